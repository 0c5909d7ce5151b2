using System.Text;

namespace KpRegistry.LoadTest.Tests;

/// <summary>The decoder against RFC 7541 Appendix C (the examples without Huffman) and the gRPC fields it keeps.</summary>
public sealed class HpackDecoderTests
{
    private static List<(string Name, string Value)> Decode(HpackDecoder decoder, byte[] block, out ResponseHeaders headers)
    {
        var fields = new List<(string, string)>();
        headers = new ResponseHeaders { GrpcStatus = -1 };
        decoder.Decode(block, ref headers, (name, value) => fields.Add((Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(value))));
        return fields;
    }

    private static (string Name, string Value) Entry(HpackDecoder decoder, int index)
    {
        var (name, value) = decoder.Entry(index);
        return (Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(value));
    }

    [Fact]
    public void Decode_RfcC21LiteralWithIndexing_AddsTheFieldToTheDynamicTable()
    {
        var decoder = new HpackDecoder();
        var fields = Decode(decoder, Hex.Bytes("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"), out _);

        Assert.Equal(new[] { ("custom-key", "custom-header") }, fields);
        Assert.Equal(1, decoder.DynamicTableCount);
        Assert.Equal(55, decoder.DynamicTableSize);
        Assert.Equal(("custom-key", "custom-header"), Entry(decoder, 62));
    }

    [Fact]
    public void Decode_RfcC22LiteralWithoutIndexing_LeavesTheDynamicTableEmpty()
    {
        var decoder = new HpackDecoder();
        var fields = Decode(decoder, Hex.Bytes("040c 2f73 616d 706c 652f 7061 7468"), out _);

        Assert.Equal(new[] { (":path", "/sample/path") }, fields);
        Assert.Equal(0, decoder.DynamicTableCount);
        Assert.Equal(0, decoder.DynamicTableSize);
    }

    [Fact]
    public void Decode_RfcC23NeverIndexed_LeavesTheDynamicTableEmpty()
    {
        var decoder = new HpackDecoder();
        var fields = Decode(decoder, Hex.Bytes("1008 7061 7373 776f 7264 0673 6563 7265 74"), out _);

        Assert.Equal(new[] { ("password", "secret") }, fields);
        Assert.Equal(0, decoder.DynamicTableCount);
    }

    [Fact]
    public void Decode_RfcC24Indexed_ReadsTheStaticTable()
    {
        var decoder = new HpackDecoder();
        var fields = Decode(decoder, Hex.Bytes("82"), out _);

        Assert.Equal(new[] { (":method", "GET") }, fields);
        Assert.Equal(0, decoder.DynamicTableCount);
    }

    [Fact]
    public void Decode_RfcC3RequestsOnOneConnection_FollowsTheDynamicTable()
    {
        var decoder = new HpackDecoder();

        // C.3.1
        var first = Decode(decoder, Hex.Bytes("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"), out _);
        Assert.Equal(new[] { (":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com") }, first);
        Assert.Equal(57, decoder.DynamicTableSize);
        Assert.Equal((":authority", "www.example.com"), Entry(decoder, 62));

        // C.3.2: index 62 (0xbe) is the entry the first request added.
        var second = Decode(decoder, Hex.Bytes("8286 84be 5808 6e6f 2d63 6163 6865"), out _);
        Assert.Equal(new[] { (":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"), ("cache-control", "no-cache") }, second);
        Assert.Equal(110, decoder.DynamicTableSize);
        Assert.Equal(("cache-control", "no-cache"), Entry(decoder, 62));
        Assert.Equal((":authority", "www.example.com"), Entry(decoder, 63));

        // C.3.3: the authority is now index 63 (0xbf).
        var third = Decode(decoder, Hex.Bytes("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"), out _);
        Assert.Equal(new[] { (":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value") }, third);
        Assert.Equal(164, decoder.DynamicTableSize);
        Assert.Equal(3, decoder.DynamicTableCount);
        Assert.Equal(("custom-key", "custom-value"), Entry(decoder, 62));
        Assert.Equal(("cache-control", "no-cache"), Entry(decoder, 63));
        Assert.Equal((":authority", "www.example.com"), Entry(decoder, 64));
    }

    [Fact]
    public void Decode_SizeUpdateBelowTheTable_EvictsTheOldestEntries()
    {
        var decoder = new HpackDecoder();
        Decode(decoder, Hex.Bytes("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"), out _);
        Decode(decoder, Hex.Bytes("8286 84be 5808 6e6f 2d63 6163 6865"), out _);
        Decode(decoder, Hex.Bytes("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"), out _);

        // Dynamic table size update to 110 (001 prefix, 31 + 79): the oldest entry (57 bytes) no longer fits.
        Decode(decoder, [0x3f, 0x4f], out _);

        Assert.Equal(2, decoder.DynamicTableCount);
        Assert.Equal(107, decoder.DynamicTableSize);
        Assert.Equal(("cache-control", "no-cache"), Entry(decoder, 63));
    }

    [Fact]
    public void Decode_SizeUpdateAboveOurMaximum_ThrowsInternal()
    {
        // 4,097 = 31 + 4,066: 0x3f, then 4,066 in 7-bit groups (0xe2 0x1f).
        var e = Assert.Throws<RawGrpcException>(() => Decode(new HpackDecoder(), [0x3f, 0xe2, 0x1f], out _));

        Assert.Equal(13, e.StatusCode);
        Assert.Contains("4097", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RfcC41HuffmanRequest_RefusesWithAClearMessage()
    {
        var e = Assert.Throws<RawGrpcException>(() => Decode(new HpackDecoder(), Hex.Bytes("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"), out _));

        Assert.Equal(13, e.StatusCode);
        Assert.Contains("Huffman", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_IndexNotInTheTable_ThrowsInternal()
    {
        // 0xbe is index 62: nothing is in the dynamic table of a fresh decoder.
        var e = Assert.Throws<RawGrpcException>(() => Decode(new HpackDecoder(), [0xbe], out _));

        Assert.Equal(13, e.StatusCode);
        Assert.Contains("62", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_StringLongerThanTheBlock_ThrowsTruncated()
    {
        // C.2.2 cut after two bytes of its twelve-byte value.
        var e = Assert.Throws<RawGrpcException>(() => Decode(new HpackDecoder(), Hex.Bytes("040c 2f73"), out _));

        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_GrpcTrailers_KeepsStatusAndPercentDecodedMessage()
    {
        // :status 200 (static 8), then grpc-status and grpc-message as literals with new names.
        var block = new List<byte> { 0x88, 0x00 };
        HpackEncoder.WriteString(block, "grpc-status");
        HpackEncoder.WriteString(block, "5");
        block.Add(0x00);
        HpackEncoder.WriteString(block, "grpc-message");
        HpackEncoder.WriteString(block, "no%20such%20key%C3%A9");

        Decode(new HpackDecoder(), [.. block], out ResponseHeaders headers);

        Assert.Equal(200, headers.HttpStatus);
        Assert.Equal(5, headers.GrpcStatus);
        Assert.Equal("no such keyé", headers.GrpcMessage);
    }

    [Fact]
    public void Decode_NoGrpcStatus_LeavesItAbsent()
    {
        Decode(new HpackDecoder(), [0x88], out ResponseHeaders headers);

        Assert.Equal(200, headers.HttpStatus);
        Assert.Equal(-1, headers.GrpcStatus);
        Assert.Null(headers.GrpcMessage);
    }
}
