namespace KpRegistry.LoadTest.Tests;

/// <summary>The read buffer: whole frames out, partial frames kept across reads.</summary>
public sealed class Http2FrameReaderTests
{
    private static byte[] Frame(int type, byte flags, int streamId, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        Http2Frame.WriteHeader(frame, payload.Length, type, flags, streamId);
        payload.CopyTo(frame, 9);
        return frame;
    }

    private static void Feed(Http2FrameReader reader, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(reader.Free.Span);
        reader.Appended(bytes.Length);
    }

    private static List<(Http2FrameHeader Header, byte[] Payload)> TakeAll(Http2FrameReader reader)
    {
        var frames = new List<(Http2FrameHeader, byte[])>();
        while (reader.TryTake(out Http2FrameHeader header, out ReadOnlySpan<byte> payload))
        {
            frames.Add((header, payload.ToArray()));
        }
        reader.Compact();
        return frames;
    }

    [Fact]
    public void TryTake_TwoFramesInOneRead_YieldsBoth()
    {
        var reader = new Http2FrameReader();
        Feed(reader, [.. Frame(Http2Frame.FrameHeaders, Http2Frame.FlagEndHeaders, 1, [0x88]), .. Frame(Http2Frame.FrameData, 0, 1, [0, 0, 0, 0, 0])]);

        var frames = TakeAll(reader);

        Assert.Equal(2, frames.Count);
        Assert.Equal(new Http2FrameHeader(1, Http2Frame.FrameHeaders, Http2Frame.FlagEndHeaders, 1), frames[0].Header);
        Assert.Equal(new byte[] { 0x88 }, frames[0].Payload);
        Assert.Equal(new Http2FrameHeader(5, Http2Frame.FrameData, 0, 1), frames[1].Header);
        Assert.Equal(0, reader.Buffered);
    }

    [Fact]
    public void TryTake_FrameCutInItsHeaderAndInItsPayload_WaitsForTheRest()
    {
        var reader = new Http2FrameReader();
        byte[] frame = Frame(Http2Frame.FrameData, Http2Frame.FlagEndStream, 3, [1, 2, 3, 4, 5, 6, 7]);

        Feed(reader, frame.AsSpan(0, 4));   // half a header
        Assert.Empty(TakeAll(reader));
        Feed(reader, frame.AsSpan(4, 8));   // the header and 3 of 7 payload bytes
        Assert.Empty(TakeAll(reader));
        Assert.Equal(12, reader.Buffered);
        Feed(reader, frame.AsSpan(12));

        var frames = TakeAll(reader);

        Assert.Single(frames);
        Assert.Equal(new Http2FrameHeader(7, Http2Frame.FrameData, Http2Frame.FlagEndStream, 3), frames[0].Header);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7 }, frames[0].Payload);
    }

    [Fact]
    public void TryTake_OneByteAtATime_YieldsEveryFrameOnceInOrder()
    {
        var reader = new Http2FrameReader();
        byte[] bytes = [.. Frame(Http2Frame.FrameSettings, 0, 0, [0, 3, 0, 0, 0, 100]), .. Frame(Http2Frame.FramePing, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]), .. Frame(Http2Frame.FrameData, 0, 1, [])];
        var frames = new List<(Http2FrameHeader Header, byte[] Payload)>();

        foreach (byte b in bytes)
        {
            Feed(reader, [b]);
            frames.AddRange(TakeAll(reader));
        }

        Assert.Equal(new[] { Http2Frame.FrameSettings, Http2Frame.FramePing, Http2Frame.FrameData }, frames.Select(f => f.Header.Type));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, frames[1].Payload);
        Assert.Empty(frames[2].Payload);
    }

    [Fact]
    public void TryTake_FrameLargerThanOurMaximum_ThrowsBeforeItsPayloadArrives()
    {
        var reader = new Http2FrameReader();
        var header = new byte[9];
        Http2Frame.WriteHeader(header, Http2Frame.OurMaxFrame + 1, Http2Frame.FrameData, 0, 1);
        Feed(reader, header);

        var e = Assert.Throws<RawGrpcException>(() => TakeAll(reader));

        Assert.Equal(13, e.StatusCode);
        Assert.Contains("16385", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compact_PartialFrameNearTheEnd_MovesItToTheFrontAndKeepsItWhole()
    {
        var reader = new Http2FrameReader();
        byte[] full = Frame(Http2Frame.FrameData, 0, 1, [.. Enumerable.Range(0, Http2Frame.OurMaxFrame).Select(i => unchecked((byte)i))]);
        byte[] last = Frame(Http2Frame.FrameData, Http2Frame.FlagEndStream, 1, [.. Enumerable.Range(0, 100).Select(i => (byte)(255 - i))]);
        for (int i = 0; i < 3; i++)
        {
            Feed(reader, full);
        }
        // Three whole frames (49,179 bytes) and 20 bytes of the fourth: less than a whole frame's room is left behind it.
        Feed(reader, last.AsSpan(0, 20));

        Assert.Equal(3, TakeAll(reader).Count);
        Assert.Equal(20, reader.Buffered);
        Assert.Equal(64 * 1024 - 20, reader.Free.Length);

        Feed(reader, last.AsSpan(20));
        var frames = TakeAll(reader);

        Assert.Single(frames);
        Assert.Equal(last.AsSpan(9).ToArray(), frames[0].Payload);
        Assert.Equal(64 * 1024, reader.Free.Length);
    }
}
