namespace KpRegistry.Domain.Transparency;

/// <summary>Reads the bytes of one hash tile (from disk, a database, or a log's HTTP endpoint).</summary>
public interface ITileReader
{
    /// <summary>The <c>Width * 32</c> bytes of <paramref name="tile"/>; throws when it cannot be read.</summary>
    byte[] ReadTile(Tile tile);
}

/// <summary>
/// An <see cref="IHashSource"/> over the tiles of a tree of known size: a hash at tree level h is
/// found in the tile level h / 8 and rebuilt from the 2^(h mod 8) tile hashes below it. A monitor
/// can compute any proof from a log's tiles this way, and the server can serve proofs from stored
/// tiles. Tiles read are kept for the life of this object (one object per question is the intent).
/// </summary>
public sealed class TileHashSource(ITileReader reader, long treeSize) : IHashSource
{
    private readonly Dictionary<Tile, byte[]> _tiles = [];

    public byte[] GetHash(int level, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        int tileLevel = level / 8;
        int height = level % 8;
        long span = 1L << height;
        long first = index << height;
        Tile tile = Tile.Containing(tileLevel, first + span - 1, treeSize);
        byte[] bytes = Read(tile);
        int offset = (int)(first % Tile.FullWidth);
        var hashes = new List<byte[]>((int)span);
        for (int i = 0; i < span; i++)
        {
            hashes.Add(bytes.AsSpan((offset + i) * MerkleHash.Size, MerkleHash.Size).ToArray());
        }
        // The tile hashes are complete subtrees of equal height: pair them up height times.
        while (hashes.Count > 1)
        {
            var up = new List<byte[]>(hashes.Count / 2);
            for (int i = 0; i < hashes.Count; i += 2)
            {
                up.Add(MerkleHash.Node(hashes[i], hashes[i + 1]));
            }
            hashes = up;
        }
        return hashes[0];
    }

    private byte[] Read(Tile tile)
    {
        if (!_tiles.TryGetValue(tile, out byte[]? bytes))
        {
            bytes = reader.ReadTile(tile);
            if (bytes.Length != tile.Width * MerkleHash.Size)
            {
                throw new TransparencyFormatException($"Tile {tile.Path} is {bytes.Length} bytes, not {tile.Width * MerkleHash.Size}.");
            }
            _tiles[tile] = bytes;
        }
        return bytes;
    }
}
