using System.Numerics;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// RFC 9162 section 2.1: the tree head (MTH), inclusion and consistency proofs, generated from any
/// <see cref="IHashSource"/> and verified from nothing but the hashes. Verification returns false
/// for every malformed input (wrong sizes, wrong hash lengths, extra or missing proof elements)
/// and never throws on data a remote party sent.
/// </summary>
public static class MerkleTree
{
    /// <summary>The root of the tree whose leaf hashes are <paramref name="leafHashes"/>, in order.</summary>
    public static byte[] RootOf(IEnumerable<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        var tree = new MemoryTree();
        foreach (byte[] leaf in leafHashes)
        {
            tree.Append(leaf);
        }
        return tree.Root();
    }

    /// <summary>MTH of the first <paramref name="size"/> leaves of <paramref name="source"/>.</summary>
    public static byte[] Root(IHashSource source, long size)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return size == 0 ? MerkleHash.Empty() : RangeHash(source, 0, size);
    }

    /// <summary>
    /// The inclusion proof (RFC 9162 2.1.3.1, PATH) of leaf <paramref name="index"/> in the tree of
    /// <paramref name="size"/> leaves: from the leaf's sibling up to the root's child.
    /// </summary>
    public static IReadOnlyList<byte[]> InclusionProof(IHashSource source, long index, long size)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The leaf index must be below the tree size {size}.");
        }
        var path = new List<byte[]>();
        AppendPath(source, index, 0, size, path);
        return path;
    }

    /// <summary>
    /// The consistency proof (RFC 9162 2.1.4.1, PROOF) from the tree of <paramref name="first"/>
    /// leaves to the tree of <paramref name="second"/>; empty when they are equal.
    /// </summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(IHashSource source, long first, long second)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (first <= 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first, $"A consistency proof needs 0 < first <= second ({second}).");
        }
        var proof = new List<byte[]>();
        AppendSubproof(source, first, 0, second, true, proof);
        return proof;
    }

    /// <summary>RFC 9162 2.1.3.2: true only when <paramref name="proof"/> proves <paramref name="leafHash"/> is leaf <paramref name="index"/> of the tree of <paramref name="size"/> with root <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root) =>
        index >= 0 && size >= 0 && VerifyInclusion((ulong)index, (ulong)size, leafHash, proof, root);

    /// <summary>The same check over the full uint64 range of RFC 9162's indices and sizes (what foreign proofs may claim).</summary>
    public static bool VerifyInclusion(ulong index, ulong size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index >= size || leafHash.Length != MerkleHash.Size || !AllHashes(proof))
        {
            return false;
        }
        ulong fn = index;
        ulong sn = size - 1;
        byte[] r = leafHash.ToArray();
        foreach (byte[] p in proof)
        {
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHash.Node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MerkleHash.AreEqual(r, root);
    }

    /// <summary>
    /// RFC 9162 2.1.4.2: true only when <paramref name="proof"/> proves the tree of
    /// <paramref name="first"/> leaves with root <paramref name="firstRoot"/> is a prefix of the tree
    /// of <paramref name="second"/> leaves with root <paramref name="secondRoot"/>. Equal sizes need
    /// an empty proof and equal roots. A first size of 0 is refused: RFC 9162 defines the proof for
    /// 0 &lt; first only, and every tree is trivially an extension of the empty one.
    /// </summary>
    public static bool VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof) =>
        first >= 0 && second >= 0 && VerifyConsistency((ulong)first, (ulong)second, firstRoot, secondRoot, proof);

    /// <summary>The same check over the full uint64 range of RFC 9162's sizes.</summary>
    public static bool VerifyConsistency(ulong first, ulong second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (first == 0 || first > second)
        {
            return false;
        }
        if (first == second)
        {
            return proof.Count == 0 && MerkleHash.AreEqual(firstRoot, secondRoot);
        }
        if (proof.Count == 0 || firstRoot.Length != MerkleHash.Size || !AllHashes(proof))
        {
            return false;
        }
        var path = new List<byte[]>(proof.Count + 1);
        if (BitOperations.IsPow2(first))
        {
            path.Add(firstRoot.ToArray());
        }
        path.AddRange(proof);
        ulong fn = first - 1;
        ulong sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path[0];
        byte[] sr = path[0];
        for (int i = 1; i < path.Count; i++)
        {
            byte[] c = path[i];
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.Node(c, fr);
                sr = MerkleHash.Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHash.Node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MerkleHash.AreEqual(fr, firstRoot) && MerkleHash.AreEqual(sr, secondRoot);
    }

    /// <summary>MTH(D[start:end]) for a range that the RFC's recursion produces: start is a multiple of the largest power of two below end - start.</summary>
    internal static byte[] RangeHash(IHashSource source, long start, long end)
    {
        long width = end - start;
        if (BitOperations.IsPow2(width) && start % width == 0)
        {
            int level = BitOperations.Log2((ulong)width);
            return source.GetHash(level, start >> level);
        }
        long k = LargestPowerOfTwoBelow(width);
        return MerkleHash.Node(RangeHash(source, start, start + k), RangeHash(source, start + k, end));
    }

    /// <summary>The k of RFC 9162: the largest power of two smaller than <paramref name="n"/> (n &gt; 1).</summary>
    internal static long LargestPowerOfTwoBelow(long n) => 1L << BitOperations.Log2((ulong)(n - 1));

    private static void AppendPath(IHashSource source, long index, long start, long end, List<byte[]> path)
    {
        if (end - start == 1)
        {
            return;
        }
        long k = LargestPowerOfTwoBelow(end - start);
        if (index < start + k)
        {
            AppendPath(source, index, start, start + k, path);
            path.Add(RangeHash(source, start + k, end));
        }
        else
        {
            AppendPath(source, index, start + k, end, path);
            path.Add(RangeHash(source, start, start + k));
        }
    }

    private static void AppendSubproof(IHashSource source, long m, long start, long end, bool wholeSubtree, List<byte[]> proof)
    {
        long n = end - start;
        if (m == n)
        {
            if (!wholeSubtree)
            {
                proof.Add(RangeHash(source, start, end));
            }
            return;
        }
        long k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            AppendSubproof(source, m, start, start + k, wholeSubtree, proof);
            proof.Add(RangeHash(source, start + k, end));
        }
        else
        {
            AppendSubproof(source, m - k, start + k, end, false, proof);
            proof.Add(RangeHash(source, start, start + k));
        }
    }

    private static bool AllHashes(IReadOnlyList<byte[]> proof)
    {
        foreach (byte[] p in proof)
        {
            if (p is null || p.Length != MerkleHash.Size)
            {
                return false;
            }
        }
        return true;
    }
}
