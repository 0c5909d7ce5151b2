using System.Text;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Domain.Tests.Transparency;

public class MerkleTreeTests
{
    private static byte[] LeafOf(long i) => MerkleHash.Leaf(Encoding.UTF8.GetBytes($"entry {i}"));

    private static MemoryTree TreeOf(long size)
    {
        var tree = new MemoryTree();
        for (long i = 0; i < size; i++)
        {
            tree.Append(LeafOf(i));
        }
        return tree;
    }

    /// <summary>MTH exactly as RFC 9162 2.1.1 writes it, recursively, to check the iterative tree against.</summary>
    private static byte[] ReferenceRoot(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 0)
        {
            return MerkleHash.Empty();
        }
        if (leaves.Count == 1)
        {
            return leaves[0];
        }
        int k = 1;
        while (k * 2 < leaves.Count)
        {
            k *= 2;
        }
        return MerkleHash.Node(ReferenceRoot(leaves.Take(k).ToList()), ReferenceRoot(leaves.Skip(k).ToList()));
    }

    [Fact]
    public void Empty_NoInput_IsSha256OfNothing()
    {
        Assert.Equal("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", Convert.ToBase64String(MerkleHash.Empty()));
    }

    [Fact]
    public void Leaf_EmptyEntry_IsSha256OfTheZeroPrefix()
    {
        // RFC 6962's test data: the leaf hash of the empty entry.
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Convert.ToHexStringLower(MerkleHash.Leaf([])));
    }

    [Fact]
    public void Root_TreeOfTheVectorReadme_MatchesItsRoot()
    {
        // The README of tlog-vectors: RFC 6962's eight leaves; leaf 0 (the empty entry) and the root of all eight.
        byte[][] entries =
        [
            [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
            [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
            [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
        ];
        byte[] root = MerkleTree.RootOf(entries.Select(e => MerkleHash.Leaf(e)));
        Assert.Equal("bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", Convert.ToBase64String(MerkleHash.Leaf(entries[0])));
        Assert.Equal("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", Convert.ToBase64String(root));
    }

    [Fact]
    public void Root_EverySizeUpTo300_EqualsTheRecursiveDefinition()
    {
        MemoryTree tree = TreeOf(300);
        var leaves = Enumerable.Range(0, 300).Select(i => LeafOf(i)).ToList();
        for (int size = 0; size <= 300; size++)
        {
            Assert.Equal(ReferenceRoot(leaves.Take(size).ToList()), tree.Root(size));
        }
    }

    [Fact]
    public void InclusionProof_EveryLeafOfEverySizeUpTo130_VerifiesAndFailsForAnotherIndex()
    {
        MemoryTree tree = TreeOf(130);
        for (long size = 1; size <= 130; size++)
        {
            byte[] root = tree.Root(size);
            for (long index = 0; index < size; index++)
            {
                IReadOnlyList<byte[]> proof = MerkleTree.InclusionProof(tree, index, size);
                Assert.True(MerkleTree.VerifyInclusion(index, size, LeafOf(index), proof, root), $"leaf {index} of {size}");
                if (size > 1)
                {
                    long other = (index + 1) % size;
                    Assert.False(MerkleTree.VerifyInclusion(other, size, LeafOf(index), proof, root), $"leaf {index} of {size} claimed at {other}");
                }
            }
        }
    }

    [Fact]
    public void ConsistencyProof_EveryPairOfSizesUpTo80_VerifiesAndFailsAgainstAnotherRoot()
    {
        MemoryTree tree = TreeOf(80);
        for (long second = 1; second <= 80; second++)
        {
            byte[] secondRoot = tree.Root(second);
            for (long first = 1; first <= second; first++)
            {
                byte[] firstRoot = tree.Root(first);
                IReadOnlyList<byte[]> proof = MerkleTree.ConsistencyProof(tree, first, second);
                Assert.True(MerkleTree.VerifyConsistency(first, second, firstRoot, secondRoot, proof), $"{first} -> {second}");
                Assert.False(MerkleTree.VerifyConsistency(first, second, LeafOf(999), secondRoot, proof), $"{first} -> {second} with a forged first root");
            }
        }
    }

    [Fact]
    public void ConsistencyProof_RewrittenHistory_DoesNotVerify()
    {
        MemoryTree honest = TreeOf(40);
        var rewritten = new MemoryTree();
        for (long i = 0; i < 40; i++)
        {
            rewritten.Append(i == 7 ? LeafOf(1000) : LeafOf(i));
        }
        IReadOnlyList<byte[]> proof = MerkleTree.ConsistencyProof(rewritten, 20, 40);
        Assert.False(MerkleTree.VerifyConsistency(20, 40, honest.Root(20), rewritten.Root(40), proof));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(70_000)]
    public void TileHashSource_ProofsFromTiles_EqualProofsFromMemory(long size)
    {
        MemoryTree tree = TreeOf(size);
        var tiles = Tile.OfTree(size).ToDictionary(t => t, t => Tiles.HashTileBytes(tree, t));
        var source = new TileHashSource(new DictionaryTileReader(tiles), size);
        Assert.Equal(tree.Root(size), MerkleTree.Root(source, size));
        foreach (long index in new long[] { 0, 1, 255, 256, size / 2, size - 2, size - 1 })
        {
            Assert.Equal(MerkleTree.InclusionProof(tree, index, size), MerkleTree.InclusionProof(source, index, size));
        }
        foreach (long first in new long[] { 1, 256, 257, size / 3, size - 1 })
        {
            Assert.Equal(MerkleTree.ConsistencyProof(tree, first, size), MerkleTree.ConsistencyProof(source, first, size));
        }
    }

    private sealed class DictionaryTileReader(Dictionary<Tile, byte[]> tiles) : ITileReader
    {
        public byte[] ReadTile(Tile tile) => tiles[tile];
    }
}
