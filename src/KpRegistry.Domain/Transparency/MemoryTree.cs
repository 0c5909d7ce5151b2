namespace KpRegistry.Domain.Transparency;

/// <summary>
/// The whole tree in memory: every complete subtree hash, level by level, kept in one contiguous
/// buffer per level (a byte[] per hash would cost three times the memory in object headers). It
/// answers proofs and roots for any size up to <see cref="Size"/>, so the server can serve a
/// verification's inclusion proof without reading the database.
/// </summary>
/// <remarks>
/// Thread-safe: appends and reads take one short lock. Capacity: a level's buffer is one array, so
/// the tree holds up to 2^25 leaves (a 1 GiB level 0) — about a thousand years of the Kimberley
/// Process's certificates and key events; a larger log would serve from tiles (<see cref="TileHashSource"/>).
/// </remarks>
public sealed class MemoryTree : IHashSource
{
    private readonly Lock _gate = new();
    private readonly List<Level> _levels = [new Level()];

    /// <summary>The number of leaves.</summary>
    public long Size
    {
        get
        {
            lock (_gate)
            {
                return _levels[0].Count;
            }
        }
    }

    /// <summary>Appends one leaf hash and every complete subtree it closes; returns the leaf's index.</summary>
    public long Append(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A leaf hash is {MerkleHash.Size} bytes.", nameof(leafHash));
        }
        lock (_gate)
        {
            long index = _levels[0].Count;
            _levels[0].Add(leafHash);
            int level = 0;
            // A node closes each time the level below reaches an even count.
            while (_levels[level].Count % 2 == 0)
            {
                Level below = _levels[level];
                if (_levels.Count == level + 1)
                {
                    _levels.Add(new Level());
                }
                long count = below.Count;
                _levels[level + 1].Add(MerkleHash.Node(below.At(count - 2), below.At(count - 1)));
                level++;
            }
            return index;
        }
    }

    /// <inheritdoc/>
    public byte[] GetHash(int level, long index)
    {
        lock (_gate)
        {
            if (level < 0 || level >= _levels.Count || index < 0 || index >= _levels[level].Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"No complete subtree at level {level}, index {index} in a tree of {_levels[0].Count}.");
            }
            return _levels[level].At(index).ToArray();
        }
    }

    /// <summary>The root of the tree at its current size.</summary>
    public byte[] Root()
    {
        lock (_gate)
        {
            return MerkleTree.Root(this, _levels[0].Count);
        }
    }

    /// <summary>The root of the tree as it was at <paramref name="size"/> leaves.</summary>
    public byte[] Root(long size)
    {
        if (size > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The tree is smaller than that.");
        }
        return MerkleTree.Root(this, size);
    }

    private sealed class Level
    {
        private byte[] _data = new byte[MerkleHash.Size * 16];

        public long Count { get; private set; }

        public void Add(ReadOnlySpan<byte> hash)
        {
            long offset = Count * MerkleHash.Size;
            if (offset + MerkleHash.Size > _data.Length)
            {
                Array.Resize(ref _data, checked(_data.Length * 2));
            }
            hash.CopyTo(_data.AsSpan((int)offset));
            Count++;
        }

        public ReadOnlySpan<byte> At(long index) => _data.AsSpan((int)(index * MerkleHash.Size), MerkleHash.Size);
    }
}
