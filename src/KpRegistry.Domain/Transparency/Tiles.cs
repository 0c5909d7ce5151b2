namespace KpRegistry.Domain.Transparency;

/// <summary>
/// The bytes of tiles and entry bundles (C2SP tlog-tiles). A hash tile is its hashes concatenated
/// (32 bytes each); the hash i of tile n at level l is MTH(D[(n*256 + i) * 256^l : (n*256 + i + 1) * 256^l]),
/// i.e. the complete subtree of height 8l at index n*256 + i.
/// </summary>
public static class Tiles
{
    /// <summary>The bytes of <paramref name="tile"/> read from <paramref name="source"/>.</summary>
    public static byte[] HashTileBytes(IHashSource source, Tile tile)
    {
        ArgumentNullException.ThrowIfNull(source);
        var bytes = new byte[tile.Width * MerkleHash.Size];
        long first = tile.Index * Tile.FullWidth;
        for (int i = 0; i < tile.Width; i++)
        {
            byte[] hash = source.GetHash(8 * tile.Level, first + i);
            hash.CopyTo(bytes, i * MerkleHash.Size);
        }
        return bytes;
    }

    /// <summary>An entry bundle: each entry as a big-endian uint16 length, then its bytes.</summary>
    /// <exception cref="ArgumentException">An entry longer than 65,535 bytes, which the format cannot carry.</exception>
    public static byte[] EntryBundleBytes(IEnumerable<ReadOnlyMemory<byte>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var buffer = new MemoryStream();
        Span<byte> length = stackalloc byte[2];
        foreach (ReadOnlyMemory<byte> entry in entries)
        {
            if (entry.Length > ushort.MaxValue)
            {
                throw new ArgumentException($"An entry of {entry.Length} bytes does not fit an entry bundle (at most {ushort.MaxValue}).", nameof(entries));
            }
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)entry.Length);
            buffer.Write(length);
            buffer.Write(entry.Span);
        }
        return buffer.ToArray();
    }

    /// <summary>The entries of an entry bundle.</summary>
    /// <exception cref="TransparencyFormatException">A length prefix runs past the end.</exception>
    public static IReadOnlyList<byte[]> ParseEntryBundle(ReadOnlySpan<byte> bundle)
    {
        var entries = new List<byte[]>();
        while (!bundle.IsEmpty)
        {
            if (bundle.Length < 2)
            {
                throw new TransparencyFormatException("The entry bundle ends inside a length prefix.");
            }
            int length = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(bundle);
            if (bundle.Length < 2 + length)
            {
                throw new TransparencyFormatException("An entry of the bundle runs past its end.");
            }
            entries.Add(bundle.Slice(2, length).ToArray());
            bundle = bundle[(2 + length)..];
        }
        return entries;
    }
}
