using System.Security.Cryptography;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Tests.TestData;
using KpRegistry.Domain.Verification;
using CertificateState = KpRegistry.Domain.Registry.CertificateState;

namespace KpRegistry.Domain.Tests.Verification;

/// <summary>The decision over certificates signed with each production algorithm (BouncyCastle through KpRegistry.Crypto).</summary>
public sealed class CertificateVerifierAlgorithmTests : IDisposable
{
    private static readonly DateTimeOffset RecordedAt = new(2026, 3, 9, 10, 0, 0, TimeSpan.Zero);
    private readonly KpWorld _world = new();

    public void Dispose() => _world.Dispose();

    public static TheoryData<KeyAlgorithm> Algorithms => [KeyAlgorithm.Ed25519, KeyAlgorithm.EcdsaP256, KeyAlgorithm.MlDsa65];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_SignedWithRegisteredKey_Valid(KeyAlgorithm algorithm)
    {
        SignedEnvelope envelope = SignAndRecord(algorithm, out string keyId);

        VerificationResult result = CertificateVerifier.Verify(envelope, _world.View, KpWorld.Now, VerificationContext.Default);

        Assert.True(result.Valid, result.ToString());
        Assert.Equal(keyId, result.KeyId);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_OneBitFlippedInPayload_BadSignature(KeyAlgorithm algorithm)
    {
        SignedEnvelope envelope = SignAndRecord(algorithm, out _).WithPayloadBitFlipped(byteIndex: 17, bit: 3);

        AssertOnlyBadSignature(envelope);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_OneBitFlippedInSignature_BadSignature(KeyAlgorithm algorithm)
    {
        SignedEnvelope envelope = SignAndRecord(algorithm, out _).WithSignatureBitFlipped(byteIndex: 20);

        AssertOnlyBadSignature(envelope);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Verify_OneBitFlippedInPayloadType_BadSignature(KeyAlgorithm algorithm)
    {
        // Signed under a type one bit away from the certificate type, presented as a certificate:
        // PAE covers the type, so the signature fails for the type that is presented.
        Certificate certificate = TestCertificates.BotswanaToEu();
        byte[] payload = certificate.ToByteArray();
        char[] type = PayloadTypes.Certificate.ToCharArray();
        type[5] = (char)(type[5] ^ 1);
        SignedEnvelope envelope = Sign(algorithm, new string(type), payload, out _);
        envelope.PayloadType = PayloadTypes.Certificate;

        AssertOnlyBadSignature(envelope);
    }

    private void AssertOnlyBadSignature(SignedEnvelope envelope)
    {
        VerificationResult result = CertificateVerifier.Verify(envelope, _world.View, KpWorld.Now, VerificationContext.Default);

        Assert.False(result.Valid);
        Assert.Equal([VerificationReason.BadSignature], result.Reasons);
        Assert.Null(result.Certificate);
    }

    private SignedEnvelope SignAndRecord(KeyAlgorithm algorithm, out string keyId)
    {
        Certificate certificate = TestCertificates.BotswanaToEu();
        SignedEnvelope envelope = Sign(algorithm, PayloadTypes.Certificate, certificate.ToByteArray(), out keyId);
        _world.View.Add(new CertificateRecordInfo("BW", certificate.CertificateNumber, keyId,
            SHA256.HashData(envelope.Payload.Span), RecordedAt, CertificateState.Issued));
        return envelope;
    }

    /// <summary>Registers a fresh key of <paramref name="algorithm"/> for BW's authority and signs with it.</summary>
    private SignedEnvelope Sign(KeyAlgorithm algorithm, string payloadType, byte[] payload, out string keyId)
    {
        using SigningKey key = SigningKey.Generate(algorithm);
        _world.View.Add(new KeyInfo(key.KeyId, "BW", null, algorithm, KeyCustody.Managed, KeyState.Active, key.Spki,
            new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), null, null, null, "", SignatureVerifiers.Create(algorithm, key.Spki)));
        keyId = key.KeyId;
        return EnvelopeSigner.Sign(payloadType, payload, key);
    }
}
