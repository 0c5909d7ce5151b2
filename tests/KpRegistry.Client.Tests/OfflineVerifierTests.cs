using KpRegistry.Client.Tests.TestData;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Verification;
using KpRegistry.Domain.Wire;
using VerificationReason = KpRegistry.Domain.Verification.VerificationReason;

namespace KpRegistry.Client.Tests;

public sealed class OfflineVerifierTests
{
    private static readonly DateTimeOffset Now = TestRegistry.Now;

    [Fact]
    public void Verify_CertificateSignedByAListedKey_IsValid()
    {
        using var registry = new TestRegistry(2);
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList());

        VerificationResult result = verifier.Verify(CertificateSigner.Sign(TestCertificates.BotswanaToEu(), registry.BwKey), Now);

        Assert.True(result.Valid, result.ToString());
        Assert.Equal(registry.BwKey.KeyId, result.KeyId);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.MlDsa65)]
    public void Verify_ListedKeyOfAnotherAlgorithm_IsValid(KeyAlgorithm algorithm)
    {
        using var registry = new TestRegistry(1);
        SigningKey key = registry.NewKey(algorithm);
        registry.List.Keys.Clear();
        registry.List.Keys.Add(TestRegistry.WireKey(key, "BW"));
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList());

        VerificationResult result = verifier.Verify(CertificateSigner.Sign(TestCertificates.BotswanaToEu(), key), Now);

        Assert.True(result.Valid, result.ToString());
    }

    [Fact]
    public void Verify_CertificateSignedByAnUnlistedKey_IsUnknownKey()
    {
        using var registry = new TestRegistry(1);
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList());

        VerificationResult result = verifier.Verify(CertificateSigner.Sign(TestCertificates.BotswanaToEu(), registry.NewKey()), Now);

        Assert.False(result.Valid);
        Assert.Equal([VerificationReason.UnknownKey], result.Reasons);
    }

    [Fact]
    public void Verify_TamperedCertificate_IsBadSignature()
    {
        using var registry = new TestRegistry(1);
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList());
        SignedEnvelope envelope = CertificateSigner.Sign(TestCertificates.BotswanaToEu(), registry.BwKey);
        byte[] payload = envelope.Payload.ToByteArray();
        payload[^3] ^= 0x01;
        envelope.Payload = Google.Protobuf.ByteString.CopyFrom(payload);

        VerificationResult result = verifier.Verify(envelope, Now);

        Assert.Equal([VerificationReason.BadSignature], result.Reasons);
    }

    [Fact]
    public void Verify_KeyRevokedSinceYesterday_IsKeyRevoked()
    {
        using var registry = new TestRegistry(1);
        SignedEnvelope certificate = CertificateSigner.Sign(TestCertificates.BotswanaToEu(), registry.BwKey);
        SignedEnvelope revocations = registry.SignedRevocations(0, 1, null, TestRegistry.KeyRevoked(1, registry.BwKey.KeyId, Now.AddDays(-1)));

        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList(), revocations);
        VerificationResult result = verifier.Verify(certificate, Now);

        Assert.False(result.Valid);
        Assert.Contains(VerificationReason.KeyRevoked, result.Reasons);
        Assert.Equal(KeyState.Revoked, result.KeyState);
        Assert.Contains(result.Details, d => d.Contains("private key stolen", StringComparison.Ordinal));
        Assert.Equal(1ul, verifier.RevocationVersion);
    }

    [Fact]
    public void Verify_CancelledCertificatesExactPayload_IsCertificateCancelled()
    {
        using var registry = new TestRegistry(1);
        SignedEnvelope certificate = CertificateSigner.Sign(TestCertificates.BotswanaToEu(), registry.BwKey);
        SignedEnvelope revocations = registry.SignedRevocations(0, 4, null,
            TestRegistry.Cancelled(4, certificate, TestCertificates.Number, Now.AddHours(-20)));

        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList(), revocations);
        VerificationResult result = verifier.Verify(certificate, Now);

        Assert.Equal([VerificationReason.CertificateCancelled], result.Reasons);
        Assert.Equal(CertificateState.Cancelled, result.CertificateState);
    }

    [Fact]
    public void Verify_OtherPayloadUnderACancelledNumber_IsNotCancelledButRecordMismatch()
    {
        using var registry = new TestRegistry(1);
        SignedEnvelope cancelled = CertificateSigner.Sign(TestCertificates.BotswanaToEu(), registry.BwKey);
        var changed = TestCertificates.BotswanaToEu();
        changed.NumberOfParcels = 4;
        SignedEnvelope other = CertificateSigner.Sign(changed, registry.BwKey);
        SignedEnvelope revocations = registry.SignedRevocations(0, 1, null, TestRegistry.Cancelled(1, cancelled, TestCertificates.Number, Now.AddHours(-20)));

        VerificationResult result = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList(), revocations).Verify(other, Now);

        Assert.Equal([VerificationReason.RecordMismatch], result.Reasons);
    }

    [Fact]
    public void Apply_DeltaFromTheCurrentVersion_MovesTheVersionAndRevokes()
    {
        using var registry = new TestRegistry(1);
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList(), registry.SignedRevocations(0, 3, null));
        SignedEnvelope certificate = CertificateSigner.Sign(TestCertificates.BotswanaToEu(), registry.BwKey);
        Assert.True(verifier.Verify(certificate, Now).Valid);

        verifier.Apply(registry.SignedRevocations(3, 5, null, TestRegistry.KeyRevoked(5, registry.BwKey.KeyId, Now.AddMinutes(-5))));

        Assert.Equal(5ul, verifier.RevocationVersion);
        Assert.Contains(VerificationReason.KeyRevoked, verifier.Verify(certificate, Now).Reasons);
    }

    [Fact]
    public void Apply_DeltaWithAGap_IsRefusedAndChangesNothing()
    {
        using var registry = new TestRegistry(1);
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList(), registry.SignedRevocations(0, 3, null));

        var e = Assert.Throws<TrustListException>(() =>
            verifier.Apply(registry.SignedRevocations(4, 5, null, TestRegistry.KeyRevoked(5, registry.BwKey.KeyId, Now))));

        Assert.Contains("gap", e.Message, StringComparison.Ordinal);
        Assert.Equal(3ul, verifier.RevocationVersion);
        Assert.Equal(KeyState.Active, verifier.Registry.FindKey(registry.BwKey.KeyId)!.State);
    }

    [Fact]
    public void Apply_ReplayedOlderDelta_IsRefused()
    {
        using var registry = new TestRegistry(1);
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList(), registry.SignedRevocations(0, 3, null));
        verifier.Apply(registry.SignedRevocations(3, 5, null));

        Assert.Throws<TrustListException>(() => verifier.Apply(registry.SignedRevocations(3, 5, null)));
    }

    [Fact]
    public void Apply_EntriesOutOfOrder_IsRefusedAndChangesNothing()
    {
        using var registry = new TestRegistry(1);
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList());
        string keyId = registry.BwKey.KeyId;

        Assert.Throws<TrustListException>(() => verifier.Apply(registry.SignedRevocations(0, 2, null,
            TestRegistry.KeyRevoked(2, keyId, Now), TestRegistry.KeyRevoked(1, keyId, Now))));

        Assert.Equal(0ul, verifier.RevocationVersion);
        Assert.Equal(KeyState.Active, verifier.Registry.FindKey(keyId)!.State);
    }

    [Fact]
    public void Apply_SignedByARevokedRegistryKey_IsRefused()
    {
        using var registry = new TestRegistry(2);
        string oldKey = registry.RegistryKeys[0].KeyId;
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList(),
            registry.SignedRevocations(0, 1, null, TestRegistry.KeyRevoked(1, oldKey, Now.AddDays(-2))));

        var e = Assert.Throws<TrustListException>(() => verifier.Apply(registry.SignedRevocations(1, 2, registry.RegistryKeys[0])));

        Assert.Contains("revoked", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TrustListWithTheRegistryParticipant_DoesNotListItAsAParticipant()
    {
        using var registry = new TestRegistry(1);

        OfflineRegistry view = OfflineRegistry.Create(registry.Pin, registry.SignedTrustList());

        Assert.Null(view.FindParticipant("XR"));
        Assert.Equal(["BW", "EU", "ZA"], view.Participants.Select(p => p.Code).Order());
        Assert.False(view.HoldsCertificateRecords);
        Assert.Equal(90, view.FindParticipant("BW")!.MaxValidityDays);
        Assert.Null(view.FindParticipant("EU")!.MaxValidityDays);
    }

    [Fact]
    public void Create_KeyWhoseIdIsNotItsSpkiHash_IsRefused()
    {
        using var registry = new TestRegistry(1);
        registry.List.Keys[0].KeyId = registry.NewKey().KeyId;

        var e = Assert.Throws<TrustListException>(() => OfflineRegistry.Create(registry.Pin, registry.SignedTrustList()));

        Assert.Contains("not the SHA-256 of its spki", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsStale_PastTheEarliestNextUpdate_IsTrue()
    {
        using var registry = new TestRegistry(1);
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList(), registry.SignedRevocations(0, 0, null));

        Assert.Equal(new DateTimeOffset(2026, 3, 10, 18, 0, 0, TimeSpan.Zero), verifier.NextUpdate);
        Assert.False(verifier.IsStale(Now));
        Assert.True(verifier.IsStale(new DateTimeOffset(2026, 3, 10, 18, 0, 0, TimeSpan.Zero)));
        Assert.Equal(7ul, verifier.TrustListVersion);
    }

    [Fact]
    public void Verify_WrongDestinationContext_IsPassedToTheDecision()
    {
        using var registry = new TestRegistry(1);
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList());

        VerificationResult result = verifier.Verify(CertificateSigner.Sign(TestCertificates.BotswanaToEu(), registry.BwKey), Now,
            new VerificationContext { PresentedAtParticipant = "ZA" });

        Assert.Equal([VerificationReason.WrongDestination], result.Reasons);
    }

    [Fact]
    public void ToWire_OfflineResult_MapsLikeTheServer()
    {
        using var registry = new TestRegistry(1);
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList());

        VerifyCertificateResult wire = VerificationResultMapping.ToWire(verifier.Verify(CertificateSigner.Sign(TestCertificates.BotswanaToEu(), registry.BwKey), Now));

        Assert.True(wire.Valid);
        Assert.Equal("BW", wire.IssuingParticipant);
        Assert.Equal("2026-03-09", wire.DateOfIssue);
        Assert.Equal(Contracts.Registry.V1.KeyState.Active, wire.KeyState);
    }

    [Fact]
    public void Verify_KeyRetiredBeforeTheDateOfIssue_IsKeyRetired()
    {
        using var registry = new TestRegistry(1);
        registry.List.Keys[0].State = Contracts.Registry.V1.KeyState.Retired;
        registry.List.Keys[0].RetiredAt = "2026-03-01T00:00:00Z";
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList());

        VerificationResult result = verifier.Verify(CertificateSigner.Sign(TestCertificates.BotswanaToEu(), registry.BwKey), Now);

        Assert.Equal([VerificationReason.KeyRetired], result.Reasons);
    }

    [Fact]
    public void Verify_KeyRetiredAfterTheDateOfIssue_IsValidOffline()
    {
        using var registry = new TestRegistry(1);
        registry.List.Keys[0].State = Contracts.Registry.V1.KeyState.Retired;
        registry.List.Keys[0].RetiredAt = "2026-03-10T00:00:00Z";
        var verifier = OfflineVerifier.Create(registry.Pin, registry.SignedTrustList());

        VerificationResult result = verifier.Verify(CertificateSigner.Sign(TestCertificates.BotswanaToEu(), registry.BwKey), Now);

        Assert.True(result.Valid, result.ToString());
    }

    [Fact]
    public void Create_TrustListSignedByACurrentKeyTheListCallsRevoked_IsRefused()
    {
        using var registry = new TestRegistry(2);
        var registryKey = TestRegistry.WireKey(registry.CurrentRegistryKey, "XR");
        registryKey.State = Contracts.Registry.V1.KeyState.Revoked;
        registry.List.Keys.Add(registryKey);

        var e = Assert.Throws<TrustListException>(() => OfflineRegistry.Create(registry.Pin, registry.SignedTrustList()));

        Assert.Contains("says is revoked", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TrustListWithTheLogKey_OffersItSignedWithTheList()
    {
        using var registry = new TestRegistry(2);
        const string logKey = "localhost:7443/log+1b6b42bd+AT5JyIcKlkQ8KlBAVjyTJPKsPTbw2B2M1vF5ZEGfd8HQ";
        registry.List.LogVerifierKey = logKey;

        Assert.Equal(logKey, OfflineRegistry.Create(registry.Pin, registry.SignedTrustList()).LogVerifierKey);
        // The key is part of the signed payload: changed after signing, the list no longer verifies.
        SignedEnvelope signed = registry.SignedTrustList();
        TrustList altered = TrustList.Parser.ParseFrom(signed.Payload);
        altered.LogVerifierKey = "attacker.example/log+00000000+AQ";
        signed.Payload = Google.Protobuf.MessageExtensions.ToByteString(altered);
        Assert.Throws<TrustListException>(() => OfflineRegistry.Create(registry.Pin, signed));
    }

    [Fact]
    public void Create_TrustListWithoutALogKey_NoLogKey()
    {
        using var registry = new TestRegistry(2);

        Assert.Null(OfflineRegistry.Create(registry.Pin, registry.SignedTrustList()).LogVerifierKey);
    }
}
