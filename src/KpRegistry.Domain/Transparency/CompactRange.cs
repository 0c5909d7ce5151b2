namespace KpRegistry.Domain.Transparency;

/// <summary>
/// The right edge of a tree of <see cref="Size"/> leaves: the roots of its complete subtrees, one
/// per set bit of the size, largest (leftmost) first. It is all a follower needs to keep: appending
/// leaves to it gives the root of any larger tree (RFC 9162's MTH), so a monitor can check that the
/// entries it read are exactly those of a new checkpoint without holding the whole tree.
/// </summary>
public sealed class CompactRange
{
    private readonly List<byte[]> hashes;

    /// <summary>The range of the empty tree.</summary>
    public CompactRange()
    {
        hashes = [];
    }

    /// <summary>The range of a tree of <paramref name="size"/> leaves from its subtree roots, largest first.</summary>
    /// <exception cref="TransparencyFormatException">Not one 32-byte hash per set bit of the size.</exception>
    public CompactRange(long size, IEnumerable<byte[]> subtreeRoots)
    {
        ArgumentNullException.ThrowIfNull(subtreeRoots);
        if (size < 0)
        {
            throw new TransparencyFormatException("A tree size is never negative.");
        }
        hashes = [.. subtreeRoots.Select(h => h.ToArray())];
        if (hashes.Count != long.PopCount(size) || hashes.Any(h => h.Length != MerkleHash.Size))
        {
            throw new TransparencyFormatException($"A tree of {size} leaves has {long.PopCount(size)} subtree roots of {MerkleHash.Size} bytes.");
        }
        Size = size;
    }

    /// <summary>How many leaves the range covers.</summary>
    public long Size { get; private set; }

    /// <summary>The subtree roots, largest (leftmost) first; copies.</summary>
    public IReadOnlyList<byte[]> SubtreeRoots => [.. hashes.Select(h => h.ToArray())];

    /// <summary>Adds the next leaf, by its leaf hash.</summary>
    public void Append(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A leaf hash is {MerkleHash.Size} bytes.", nameof(leafHash));
        }
        byte[] node = leafHash.ToArray();
        // Each trailing 1 bit of the size is a complete subtree of the same height as the node
        // being carried: they merge, as in a binary counter.
        for (long size = Size; (size & 1) == 1; size >>= 1)
        {
            node = MerkleHash.Node(hashes[^1], node);
            hashes.RemoveAt(hashes.Count - 1);
        }
        hashes.Add(node);
        Size++;
    }

    /// <summary>The root of the tree (RFC 9162 MTH): the subtree roots folded from the right.</summary>
    public byte[] Root()
    {
        if (hashes.Count == 0)
        {
            return MerkleHash.Empty();
        }
        byte[] root = hashes[^1];
        for (int i = hashes.Count - 2; i >= 0; i--)
        {
            root = MerkleHash.Node(hashes[i], root);
        }
        return root.ToArray();
    }
}
