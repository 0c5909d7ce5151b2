namespace KpRegistry.LoadTest.Tests;

/// <summary>Frame headers as RFC 9113 section 4.1 lays them out: 24-bit length, type, flags, R + 31-bit stream id.</summary>
public sealed class Http2FrameTests
{
    [Fact]
    public void WriteHeader_DataEndStream_MatchesTheRfcLayout()
    {
        var to = new byte[9];

        Http2Frame.WriteHeader(to, 5, Http2Frame.FrameData, Http2Frame.FlagEndStream, 1);

        Assert.Equal(Hex.Bytes("000005 00 01 00000001"), to);
    }

    [Fact]
    public void WriteHeader_LargeLengthAndStreamId_UsesAllTheirBytesBigEndian()
    {
        var to = new byte[9];

        Http2Frame.WriteHeader(to, 0x012345, Http2Frame.FrameWindowUpdate, 0, int.MaxValue);

        Assert.Equal(Hex.Bytes("012345 08 00 7fffffff"), to);
    }

    [Fact]
    public void ReadHeader_SettingsAck_ReadsEveryField()
    {
        Http2FrameHeader header = Http2Frame.ReadHeader(Hex.Bytes("000000 04 01 00000000"));

        Assert.Equal(new Http2FrameHeader(0, Http2Frame.FrameSettings, Http2Frame.FlagAck, 0), header);
    }

    [Fact]
    public void ReadHeader_ReservedBitSet_IgnoresIt()
    {
        // RFC 9113 4.1: the reserved bit MUST be ignored when receiving.
        Http2FrameHeader header = Http2Frame.ReadHeader(Hex.Bytes("004000 01 05 80000003"));

        Assert.Equal(new Http2FrameHeader(16384, Http2Frame.FrameHeaders, Http2Frame.FlagEndStream | Http2Frame.FlagEndHeaders, 3), header);
    }

    [Fact]
    public void ReadHeader_OfWriteHeader_RoundTrips()
    {
        var to = new byte[9];

        Http2Frame.WriteHeader(to, 0xabcdef, Http2Frame.FrameContinuation, Http2Frame.FlagEndHeaders, 0x12345678);

        Assert.Equal(new Http2FrameHeader(0xabcdef, Http2Frame.FrameContinuation, Http2Frame.FlagEndHeaders, 0x12345678), Http2Frame.ReadHeader(to));
    }
}
