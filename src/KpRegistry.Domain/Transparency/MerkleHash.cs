using System.Security.Cryptography;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// The hashes of RFC 9162 section 2.1 with SHA-256: a leaf is SHA-256(0x00 || entry), an interior
/// node SHA-256(0x01 || left || right), the empty tree SHA-256 of nothing. The prefixes keep a leaf
/// from ever being taken for a node (second-preimage protection).
/// </summary>
public static class MerkleHash
{
    /// <summary>The size of every hash of the tree, in bytes.</summary>
    public const int Size = 32;

    /// <summary>The root of the tree of size 0.</summary>
    public static byte[] Empty() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>The leaf hash of one log entry (its bytes as logged).</summary>
    public static byte[] Leaf(ReadOnlySpan<byte> entry)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([0x00]);
        hash.AppendData(entry);
        return hash.GetHashAndReset();
    }

    /// <summary>The hash of an interior node from its two children.</summary>
    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * Size];
        if (left.Length != Size || right.Length != Size)
        {
            throw new ArgumentException($"Both children are {Size}-byte hashes.");
        }
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>Equality of two hashes in time independent of where they differ; false when the lengths differ.</summary>
    public static bool AreEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        a.Length == b.Length && CryptographicOperations.FixedTimeEquals(a, b);
}
