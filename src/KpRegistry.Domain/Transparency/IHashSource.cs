namespace KpRegistry.Domain.Transparency;

/// <summary>
/// Where the proof generator reads the tree: the hash of a complete (perfect) subtree. Level 0 is
/// the leaf hashes; the hash at (level, index) is MTH(D[index * 2^level : (index + 1) * 2^level]).
/// The generator only asks for subtrees that lie wholly inside the tree size it was given, so a
/// source built from an in-memory tree (<see cref="MemoryTree"/>) or from tiles
/// (<see cref="TileHashSource"/>) answers every question it gets.
/// </summary>
public interface IHashSource
{
    /// <summary>The 32-byte hash of the complete subtree of height <paramref name="level"/> at position <paramref name="index"/> of that level.</summary>
    byte[] GetHash(int level, long index);
}
