using System.Text;
using KpRegistry.Domain.Envelopes;

namespace KpRegistry.Domain.Tests;

public class PaeTests
{
    [Fact]
    public void Encode_DsseSpecExample_MatchesSpecBytes()
    {
        // The example of the DSSE protocol document: type "http://example.com/HelloWorld", body "hello world".
        byte[] pae = Pae.Encode("http://example.com/HelloWorld", "hello world"u8);
        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void Encode_EmptyBody_WritesZeroLength()
    {
        byte[] pae = Pae.Encode("t", ReadOnlySpan<byte>.Empty);
        Assert.Equal("DSSEv1 1 t 0 ", Encoding.UTF8.GetString(pae));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(99)]
    [InlineData(100)]
    [InlineData(1000)]
    public void GetLength_AnyBodyLength_EqualsEncodedLength(int bodyLength)
    {
        byte[] body = new byte[bodyLength];
        Assert.Equal(Pae.Encode(PayloadTypes.Certificate, body).Length, Pae.GetLength(PayloadTypes.Certificate, bodyLength));
    }
}
