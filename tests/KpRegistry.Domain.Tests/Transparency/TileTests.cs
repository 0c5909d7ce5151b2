using KpRegistry.Domain.Transparency;

namespace KpRegistry.Domain.Tests.Transparency;

public class TileTests
{
    [Fact]
    public void OfTree_SeventyThousand_IsTheSpecExample()
    {
        // tlog-tiles: 273 full level-0 tiles, a partial level-0 of width 112, one full level-1 tile,
        // a partial level-1 of width 17 and a partial level-2 of width 1.
        var tiles = Tile.OfTree(70_000).ToList();
        Assert.Equal(273, tiles.Count(t => t.Level == 0 && !t.IsPartial));
        Assert.Equal([new Tile(0, 273, 112)], tiles.Where(t => t.Level == 0 && t.IsPartial));
        Assert.Equal([new Tile(1, 0, 256)], tiles.Where(t => t.Level == 1 && !t.IsPartial));
        Assert.Equal([new Tile(1, 1, 17)], tiles.Where(t => t.Level == 1 && t.IsPartial));
        Assert.Equal([new Tile(2, 0, 1)], tiles.Where(t => t.Level == 2));
        Assert.Equal(277, tiles.Count);
    }

    [Fact]
    public void OfTree_TwoHundredFiftySix_IsOneFullTileAndAPartialLevelOne()
    {
        Assert.Equal([new Tile(0, 0, 256), new Tile(1, 0, 1)], Tile.OfTree(256));
    }

    [Fact]
    public void OfTree_Empty_HasNoTiles()
    {
        Assert.Empty(Tile.OfTree(0));
    }

    [Theory]
    [InlineData(1234067, "x001/x234/067")]
    [InlineData(0, "000")]
    [InlineData(999, "999")]
    [InlineData(1000, "x001/000")]
    [InlineData(1_000_000, "x001/x000/000")]
    public void EncodeIndex_Index_IsTheSpecEncoding(long index, string expected)
    {
        Assert.Equal(expected, Tile.EncodeIndex(index));
    }

    [Fact]
    public void Path_FullAndPartialTiles_FollowTheSpec()
    {
        Assert.Equal("tile/0/x001/x234/067", new Tile(0, 1234067, 256).Path);
        Assert.Equal("tile/1/001.p/17", new Tile(1, 1, 17).Path);
        Assert.Equal("tile/entries/273.p/112", new Tile(0, 273, 112).EntriesPath);
    }

    [Theory]
    [InlineData("0/x001/x234/067", false, 0, 1234067, 256)]
    [InlineData("2/000.p/1", false, 2, 0, 1)]
    [InlineData("63/005", false, 63, 5, 256)]
    [InlineData("x001/x234/067.p/255", true, 0, 1234067, 255)]
    public void TryParse_CanonicalPath_ReadsTheTile(string path, bool entries, int level, long index, int width)
    {
        Assert.True(Tile.TryParse(path, entries, out Tile tile));
        Assert.Equal(new Tile(level, index, width), tile);
    }

    [Theory]
    [InlineData("00/000")]
    [InlineData("64/000")]
    [InlineData("0/1234067")]
    [InlineData("0/001/234")]
    [InlineData("0/x000/001")]
    [InlineData("0/67")]
    [InlineData("0/000.p/0")]
    [InlineData("0/000.p/256")]
    [InlineData("0/000.p/012")]
    [InlineData("0/-01")]
    public void TryParse_NonCanonicalPath_IsRefused(string path)
    {
        Assert.False(Tile.TryParse(path, false, out _));
    }

    [Fact]
    public void HashTileBytes_LevelOneTile_HoldsTheRootsOfFullLevelZeroTiles()
    {
        var tree = new MemoryTree();
        for (int i = 0; i < 600; i++)
        {
            tree.Append(MerkleHash.Leaf([(byte)(i & 0xFF), (byte)(i >> 8)]));
        }
        byte[] level1 = Tiles.HashTileBytes(tree, new Tile(1, 0, 2));
        byte[] firstTile = Tiles.HashTileBytes(tree, new Tile(0, 0, 256));
        Assert.Equal(64, level1.Length);
        Assert.Equal(tree.Root(256), level1[..32]);
        Assert.Equal(MerkleTree.RootOf(Enumerable.Range(0, 256).Select(i => firstTile.AsSpan(i * 32, 32).ToArray())), level1[..32]);
        Assert.Equal(MerkleTree.Root(tree, 512), MerkleHash.Node(level1[..32], level1[32..]));
    }

    [Fact]
    public void EntryBundleBytes_TwoEntries_AreBigEndianLengthPrefixed()
    {
        byte[] bundle = Tiles.EntryBundleBytes([new byte[] { 0xAA }, new byte[300]]);
        Assert.Equal(new byte[] { 0x00, 0x01, 0xAA, 0x01, 0x2C }, bundle[..5]);
        Assert.Equal(2 + 1 + 2 + 300, bundle.Length);
        IReadOnlyList<byte[]> entries = Tiles.ParseEntryBundle(bundle);
        Assert.Equal(new byte[] { 0xAA }, entries[0]);
        Assert.Equal(new byte[300], entries[1]);
    }

    [Fact]
    public void ParseEntryBundle_TruncatedEntry_Throws()
    {
        Assert.Throws<TransparencyFormatException>(() => Tiles.ParseEntryBundle(new byte[] { 0x00, 0x05, 0x01 }));
    }

    [Fact]
    public void EntryBundleBytes_EntryTooLong_Throws()
    {
        Assert.Throws<ArgumentException>(() => Tiles.EntryBundleBytes([new byte[65_536]]));
    }
}
