using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto.Tests;

public class EnvelopeSignerTests
{
    [Fact]
    public void Sign_TwoKeys_EachSignatureCoversPaeAndNamesItsKey()
    {
        using var ed = SigningKey.Generate(KeyAlgorithm.Ed25519);
        using var ec = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        byte[] payload = [1, 2, 3, 4];

        var envelope = EnvelopeSigner.Sign(PayloadTypes.Certificate, payload, ed, ec);

        Assert.Equal(payload, envelope.Payload.ToByteArray());
        Assert.Equal(PayloadTypes.Certificate, envelope.PayloadType);
        Assert.Equal([ed.KeyId, ec.KeyId], envelope.Signatures.Select(s => s.KeyId));
        byte[] pae = Pae.Encode(envelope.PayloadType, envelope.Payload.Span);
        Assert.True(SignatureVerifiers.Create(KeyAlgorithm.Ed25519, ed.Spki).Verify(pae, envelope.Signatures[0].Sig.Span));
        Assert.True(SignatureVerifiers.Create(KeyAlgorithm.EcdsaP256, ec.Spki).Verify(pae, envelope.Signatures[1].Sig.Span));
        Assert.False(SignatureVerifiers.Create(KeyAlgorithm.Ed25519, ed.Spki).Verify(payload, envelope.Signatures[0].Sig.Span));
    }

    [Fact]
    public void Sign_PayloadChangedAfterwards_EnvelopeKeepsTheSignedBytes()
    {
        using var key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        byte[] payload = [1, 2, 3];

        var envelope = EnvelopeSigner.Sign(PayloadTypes.Certificate, payload, key);
        payload[0] = 9;

        Assert.Equal(1, envelope.Payload[0]);
    }

    [Fact]
    public void Sign_NoKeys_Throws()
    {
        Assert.Throws<ArgumentException>(() => EnvelopeSigner.Sign(PayloadTypes.Certificate, [1]));
    }
}
