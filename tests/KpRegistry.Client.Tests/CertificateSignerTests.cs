using Google.Protobuf;
using KpRegistry.Client.Tests.TestData;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Client.Tests;

public sealed class CertificateSignerTests
{
    [Theory]
    [InlineData(KeyAlgorithm.Ed25519)]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.MlDsa65)]
    public void Sign_AnyAlgorithm_SignsThePayloadBytesItCarries(KeyAlgorithm algorithm)
    {
        using SigningKey key = SigningKey.Generate(algorithm);
        Certificate certificate = TestCertificates.BotswanaToEu();

        SignedEnvelope envelope = CertificateSigner.Sign(certificate, key);

        Assert.Equal(PayloadTypes.Certificate, envelope.PayloadType);
        Assert.Equal(certificate, Certificate.Parser.ParseFrom(envelope.Payload));
        Signature signature = Assert.Single(envelope.Signatures);
        Assert.Equal(key.KeyId, signature.KeyId);
        Assert.True(SignatureVerifiers.Create(algorithm, key.Spki).Verify(Pae.Encode(envelope.PayloadType, envelope.Payload.Span), signature.Sig.Span));
    }
}
