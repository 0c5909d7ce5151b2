using KpRegistry.Client;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.IntegrationTests.TestData;
using DomainAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;
using DomainReason = KpRegistry.Domain.Verification.VerificationReason;

namespace KpRegistry.IntegrationTests;

/// <summary>An importing authority verifying offline with KpRegistry.Client, from the lists the real server signs.</summary>
public sealed class OfflineVerificationTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task OfflineVerifier_FollowsRotationsCancellationsAndRevocations_AsTheRegistryDecides()
    {
        using SigningKey held = SigningKey.Generate(DomainAlgorithm.Ed25519);
        var authority = registry.Registry("GH-authority");
        Key registered = await authority.RegisterKeyAsync(new RegisterKeyRequest
        {
            Statement = KeyStatementFactory.Registration(held, "GH", null, DateTimeOffset.UtcNow), Algorithm = Contracts.Registry.V1.KeyAlgorithm.Ed25519,
        });
        Assert.Equal(held.KeyId, registered.KeyId);
        SignedEnvelope signed = CertificateSigner.Sign(SampleCertificates.Valid(issuer: "GH"), held);
        SignedEnvelope second = CertificateSigner.Sign(SampleCertificates.Valid(issuer: "GH"), held);
        await registry.Certificates("GH-authority").SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = signed });
        await registry.Certificates("GH-authority").SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = second });

        SignedEnvelope tl = await registry.Verification().GetTrustListAsync(new GetTrustListRequest());
        string pin = KeyStatement.Parser.ParseFrom(TrustList.Parser.ParseFrom(tl.Payload).RegistryKeyChain[0].Payload).KeyId;
        SignedEnvelope rl = await registry.Verification().GetRevocationListAsync(new GetRevocationListRequest());
        var verifier = OfflineVerifier.Create(pin, tl, rl);
        var result = verifier.Verify(signed, DateTimeOffset.UtcNow);
        Assert.True(result.Valid, result.ToString());
        Assert.False(verifier.IsStale(DateTimeOffset.UtcNow));

        // Registry key rotation: the same pin follows the chain.
        var chain = TrustList.Parser.ParseFrom(tl.Payload).RegistryKeyChain;
        string currentRegistryKey = KeyStatement.Parser.ParseFrom(chain[^1].Payload).KeyId;
        await registry.Registry("admin").RotateKeyAsync(new RotateKeyRequest { KeyId = currentRegistryKey });
        SignedEnvelope tl2 = await registry.Verification().GetTrustListAsync(new GetTrustListRequest());
        var verifier2 = OfflineVerifier.Create(pin, tl2);
        Assert.Equal(chain.Count + 1, verifier2.Registry.RegistryKeys.Keys.Count);
        Assert.True(verifier2.Verify(signed, DateTimeOffset.UtcNow).Valid);

        // Delta signed by the new registry key, applied to the verifier made from the older list.
        var cert = Certificate.Parser.ParseFrom(signed.Payload);
        await registry.Certificates("GH-authority").CancelCertificateAsync(new CancelCertificateRequest { IssuingParticipant = "GH", CertificateNumber = cert.CertificateNumber, Reason = "stolen" });
        SignedEnvelope delta = await registry.Verification().GetRevocationListAsync(new GetRevocationListRequest { SinceVersion = verifier2.RevocationVersion });
        verifier2.Apply(delta);
        Assert.Equal([DomainReason.CertificateCancelled], verifier2.Verify(signed, DateTimeOffset.UtcNow).Reasons);
        Assert.True(verifier2.Verify(second, DateTimeOffset.UtcNow).Valid);

        // Held rotation signed by both, then revoke the retired key.
        using SigningKey next = SigningKey.Generate(DomainAlgorithm.EcdsaP256);
        var rotated = await authority.RotateKeyAsync(new RotateKeyRequest
        {
            KeyId = held.KeyId, Algorithm = Contracts.Registry.V1.KeyAlgorithm.EcdsaP256,
            Statement = KeyStatementFactory.Rotation(next, held, "GH", null, held.KeyId, DateTimeOffset.UtcNow),
        });
        Assert.Equal(next.KeyId, rotated.NewKey.KeyId);
        await authority.RevokeKeyAsync(new RevokeKeyRequest { KeyId = held.KeyId, Reason = "laptop stolen", CompromisedSince = Domain.Wire.Instants.Format(DateTimeOffset.UtcNow.AddHours(-1)) });
        verifier2.Apply(await registry.Verification().GetRevocationListAsync(new GetRevocationListRequest { SinceVersion = verifier2.RevocationVersion }));
        var revoked = verifier2.Verify(second, DateTimeOffset.UtcNow);
        Assert.Contains(DomainReason.KeyRevoked, revoked.Reasons);

        // A gap is refused.
        var e = Assert.Throws<TrustListException>(() => verifier2.Apply(rl));
        Assert.Contains("holds revocations up to", e.Message);
    }

    [Fact]
    public async Task OfflineVerifier_ReplacedAndRefusedCertificates_RefusedLikeOnlineAndTheReplacementNamed()
    {
        IssueCertificateResponse replaced = await Lifecycle.IssueAsync(registry);
        Certificate replacement = SampleCertificates.Valid();
        replacement.ReplacesCertificateNumber = replaced.Record.CertificateNumber;
        await registry.Certificates(Lifecycle.Exporter).ReplaceCertificateAsync(new ReplaceCertificateRequest { Certificate = replacement, Reason = "damaged" });
        IssueCertificateResponse refused = await Lifecycle.IssueAsync(registry);
        await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(refused, c => c.ParcelsReceived = 1));
        await registry.Certificates(Lifecycle.Importer).ResolveDetentionAsync(new ResolveDetentionRequest
        {
            IssuingParticipant = "BW", CertificateNumber = refused.Record.CertificateNumber, Decision = DetentionDecision.Refuse, Reason = "parcels missing",
        });
        SignedEnvelope tl = await registry.Verification().GetTrustListAsync(new GetTrustListRequest());
        string pin = KeyStatement.Parser.ParseFrom(TrustList.Parser.ParseFrom(tl.Payload).RegistryKeyChain[0].Payload).KeyId;
        var verifier = OfflineVerifier.Create(pin, tl, await registry.Verification().GetRevocationListAsync(new GetRevocationListRequest()));
        var importCheck = new Domain.Verification.VerificationContext { Purpose = Domain.Verification.VerificationPurpose.ImportConfirmation };

        var replacedOffline = verifier.Verify(replaced.Envelope, DateTimeOffset.UtcNow, importCheck);
        var refusedOffline = verifier.Verify(refused.Envelope, DateTimeOffset.UtcNow, importCheck);

        Assert.Equal([DomainReason.CertificateReplaced], replacedOffline.Reasons);
        Assert.Equal(replacement.CertificateNumber, replacedOffline.ReplacedBy);
        Assert.Equal([DomainReason.CertificateRefused], refusedOffline.Reasons);
    }
}
