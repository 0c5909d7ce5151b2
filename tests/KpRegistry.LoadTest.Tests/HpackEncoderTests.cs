using System.Text;

namespace KpRegistry.LoadTest.Tests;

/// <summary>The encoder against RFC 7541 C.1 and C.2.2, and the request block every call sends.</summary>
public sealed class HpackEncoderTests
{
    [Theory]
    [InlineData(10, 5, "0a")]     // C.1.1
    [InlineData(1337, 5, "1f9a0a")] // C.1.2
    [InlineData(42, 8, "2a")]     // C.1.3
    [InlineData(31, 5, "1f00")]   // the prefix's maximum itself takes a second byte
    public void WriteInteger_RfcC1Examples_MatchTheRfcBytes(int value, int prefixBits, string hex)
    {
        var to = new List<byte>();

        HpackEncoder.WriteInteger(to, 0x00, prefixBits, value);

        Assert.Equal(Hex.Bytes(hex), to.ToArray());
    }

    [Fact]
    public void WriteInteger_FirstByteBits_KeepsThemAboveThePrefix()
    {
        var to = new List<byte>();

        HpackEncoder.WriteInteger(to, 0x80, 7, 2);

        Assert.Equal(new byte[] { 0x82 }, to.ToArray());
    }

    [Fact]
    public void WriteString_RfcC22Path_MatchesTheRfcBytes()
    {
        // C.2.2: literal without indexing, indexed name :path (4), value without Huffman.
        var to = new List<byte>();

        HpackEncoder.WriteInteger(to, 0x00, 4, 4);
        HpackEncoder.WriteString(to, "/sample/path");

        Assert.Equal(Hex.Bytes("040c 2f73 616d 706c 652f 7061 7468"), to.ToArray());
    }

    [Fact]
    public void HeaderBlock_OfAMethod_StartsWithPostHttpsAndDecodesToTheRequestHeaders()
    {
        var method = new RawGrpcMethod("localhost:5001", "/kpregistry.verification.v1.Verification/VerifyCertificate");
        var fields = new List<(string, string)>();
        var headers = new ResponseHeaders { GrpcStatus = -1 };
        var decoder = new HpackDecoder();

        decoder.Decode(method.HeaderBlock, ref headers, (name, value) => fields.Add((Encoding.ASCII.GetString(name), Encoding.ASCII.GetString(value))));

        Assert.Equal(new byte[] { 0x83, 0x87 }, method.HeaderBlock[..2]); // indexed :method POST, :scheme https
        Assert.Equal(
            new[] { (":method", "POST"), (":scheme", "https"), (":path", method.Path), (":authority", "localhost:5001"), ("content-type", "application/grpc"), ("te", "trailers") },
            fields);
        // Nothing indexed: the same bytes are valid in every HEADERS frame, whatever the server's table holds.
        Assert.Equal(0, decoder.DynamicTableCount);
    }
}
