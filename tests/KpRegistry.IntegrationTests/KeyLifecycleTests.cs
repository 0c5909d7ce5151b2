using System.Globalization;
using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Storage;
using Microsoft.Extensions.DependencyInjection;
using CertificateRecord = KpRegistry.Contracts.Certificate.V1.CertificateRecord;
using DomainAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;

namespace KpRegistry.IntegrationTests;

/// <summary>Rotation, held keys, revocation and cancellation, against the real server.</summary>
public sealed class KeyLifecycleTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private async Task<IssueCertificateResponse> IssueAsync(string participant) =>
        await registry.Certificates($"{participant}-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid(issuer: participant) });

    private async Task<VerifyCertificateResult> VerifyAsync(SignedEnvelope envelope) =>
        await registry.Verification().VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = envelope });

    [Fact]
    public async Task RotateKey_ManagedKey_OldCertificateStillValidNewOneSignedByNewKey()
    {
        Key old = await registry.EnsureKeyAsync("ZA", KeyAlgorithm.Ed25519);
        IssueCertificateResponse before = await IssueAsync("ZA");

        RotateKeyResponse rotated = await registry.Registry("ZA-authority").RotateKeyAsync(new RotateKeyRequest { KeyId = old.KeyId });
        IssueCertificateResponse after = await IssueAsync("ZA");

        Assert.Equal(KeyState.Retired, rotated.RetiredKey.State);
        Assert.Equal(KeyState.Active, rotated.NewKey.State);
        Assert.NotEmpty(rotated.RetiredKey.RetiredAt);
        Assert.Equal(old.KeyId, before.Record.KeyId);
        Assert.Equal(rotated.NewKey.KeyId, after.Record.KeyId);
        Assert.True((await VerifyAsync(before.Envelope)).Valid, "a certificate recorded before the rotation stays valid");
        Assert.True((await VerifyAsync(after.Envelope)).Valid);
    }

    [Fact]
    public async Task RotateKey_TwoRotationsRace_ExactlyOneWinsAndOneActiveKeyRemains()
    {
        Key old = await registry.EnsureKeyAsync("AO", KeyAlgorithm.Ed25519);
        var client = registry.Registry("AO-authority");

        Task<RotateKeyResponse>[] racing = [.. Enumerable.Range(0, 2).Select(_ => client.RotateKeyAsync(new RotateKeyRequest { KeyId = old.KeyId }).ResponseAsync)];
        var outcomes = new List<StatusCode>();
        foreach (var call in racing)
        {
            try
            {
                await call;
                outcomes.Add(StatusCode.OK);
            }
            catch (RpcException e)
            {
                outcomes.Add(e.StatusCode);
            }
        }

        Assert.Equal(1, outcomes.Count(o => o == StatusCode.OK));
        Assert.Equal(1, outcomes.Count(o => o == StatusCode.FailedPrecondition));
        var keys = await registry.Registry().ListKeysAsync(new ListKeysRequest { ParticipantCode = "AO" });
        Assert.Single(keys.Keys, k => k.State == KeyState.Active && k.Algorithm == KeyAlgorithm.Ed25519);
        Assert.Equal(KeyState.Retired, keys.Keys.Single(k => k.KeyId == old.KeyId).State);
    }

    [Fact]
    public async Task HeldKey_RegisterSignLocallySubmit_VerifiesAndRetiredKeyIsRefusedAfterRotation()
    {
        using SigningKey held = SigningKey.Generate(DomainAlgorithm.Ed25519);
        var authority = registry.Registry("GH-authority");

        Key registered = await authority.RegisterKeyAsync(new RegisterKeyRequest { Statement = HeldKeys.Registration(held, "GH"), Algorithm = KeyAlgorithm.Ed25519 });
        Certificate certificate = SampleCertificates.Valid(issuer: "GH");
        SignedEnvelope signed = EnvelopeSigner.Sign(PayloadTypes.Certificate, Google.Protobuf.MessageExtensions.ToByteArray(certificate), held);
        SubmitCertificateResponse submitted = await registry.Certificates("GH-authority").SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = signed });
        VerifyCertificateResult check = await VerifyAsync(signed);

        Assert.Equal(KeyCustody.Held, registered.Custody);
        Assert.Equal(held.KeyId, registered.KeyId);
        Assert.Equal(held.KeyId, submitted.Record.KeyId);
        Assert.True(check.Valid, string.Join("; ", check.Details));

        // Rotate to a new held key, signed by the current one; then the retired key signs something new.
        using SigningKey next = SigningKey.Generate(DomainAlgorithm.EcdsaP256);
        RotateKeyResponse rotated = await authority.RotateKeyAsync(new RotateKeyRequest
        {
            KeyId = held.KeyId, Algorithm = KeyAlgorithm.EcdsaP256, Statement = HeldKeys.Rotation(next, "GH", held.KeyId, held),
        });
        Assert.Equal(next.KeyId, rotated.NewKey.KeyId);
        SignedEnvelope late = EnvelopeSigner.Sign(PayloadTypes.Certificate, Google.Protobuf.MessageExtensions.ToByteArray(SampleCertificates.Valid(issuer: "GH")), held);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates("GH-authority").SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = late }).ResponseAsync);
        VerifyCertificateResult lateCheck = await VerifyAsync(late);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("retired", refused.Status.Detail);
        Assert.False(lateCheck.Valid);
        Assert.Contains(VerificationReason.KeyRetired, lateCheck.Reasons);
        Assert.True((await VerifyAsync(signed)).Valid, "what was recorded before the rotation stays valid");
    }

    [Fact]
    public async Task RegisterKey_ProofMadeForBotswanaReplayedForSouthAfrica_Refused()
    {
        using SigningKey key = SigningKey.Generate(DomainAlgorithm.Ed25519);
        SignedEnvelope proofForBw = HeldKeys.Registration(key, "BW");

        RpcException byZa = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("ZA-authority")
            .RegisterKeyAsync(new RegisterKeyRequest { Statement = proofForBw, Algorithm = KeyAlgorithm.Ed25519 }).ResponseAsync);

        // Rewriting the statement to name ZA breaks the key's signature over it.
        KeyStatement rewritten = KeyStatement.Parser.ParseFrom(proofForBw.Payload);
        rewritten.ParticipantCode = "ZA";
        SignedEnvelope replayed = proofForBw.Clone();
        replayed.Payload = Google.Protobuf.MessageExtensions.ToByteString(rewritten);
        RpcException rewrittenRefused = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("ZA-authority")
            .RegisterKeyAsync(new RegisterKeyRequest { Statement = replayed, Algorithm = KeyAlgorithm.Ed25519 }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, byZa.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, rewrittenRefused.StatusCode);
        Assert.Contains("proof of possession", rewrittenRefused.Status.Detail);
        await Assert.ThrowsAsync<RpcException>(() => registry.Registry().GetKeyAsync(new GetKeyRequest { KeyId = key.KeyId }).ResponseAsync);
    }

    [Fact]
    public async Task RegisterKey_StaleProof_Refused()
    {
        using SigningKey key = SigningKey.Generate(DomainAlgorithm.Ed25519);
        SignedEnvelope stale = HeldKeys.Statement(KeyStatementPurpose.Register, key, "SL", null, DateTimeOffset.UtcNow.AddHours(-1));

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("SL-authority")
            .RegisterKeyAsync(new RegisterKeyRequest { Statement = stale, Algorithm = KeyAlgorithm.Ed25519 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("fresh", refused.Status.Detail);
    }

    [Fact]
    public async Task RotateKey_HeldKeyRotationSignedByAnotherKey_RefusedAndCurrentKeyStaysActive()
    {
        using SigningKey current = SigningKey.Generate(DomainAlgorithm.Ed25519);
        using SigningKey outsider = SigningKey.Generate(DomainAlgorithm.Ed25519);
        using SigningKey next = SigningKey.Generate(DomainAlgorithm.Ed25519);
        var authority = registry.Registry("LS-authority");
        await authority.RegisterKeyAsync(new RegisterKeyRequest { Statement = HeldKeys.Registration(current, "LS"), Algorithm = KeyAlgorithm.Ed25519 });

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => authority.RotateKeyAsync(new RotateKeyRequest
        {
            KeyId = current.KeyId, Algorithm = KeyAlgorithm.Ed25519, Statement = HeldKeys.Rotation(next, "LS", current.KeyId, outsider),
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("not signed by the current key", refused.Status.Detail);
        Assert.Equal(KeyState.Active, (await registry.Registry().GetKeyAsync(new GetKeyRequest { KeyId = current.KeyId })).State);

        // An administrator may approve the rotation of a lost key without the current key's signature.
        RotateKeyResponse approved = await registry.Registry("admin").RotateKeyAsync(new RotateKeyRequest
        {
            KeyId = current.KeyId, Algorithm = KeyAlgorithm.Ed25519, Statement = HeldKeys.Rotation(next, "LS", current.KeyId),
        });
        Assert.Equal(next.KeyId, approved.NewKey.KeyId);
    }

    [Fact]
    public async Task RevokeKey_CompromisedBetweenTwoCertificates_EarlierValidLaterKeyRevoked()
    {
        Key key = await registry.EnsureKeyAsync("TZ", KeyAlgorithm.Ed25519);
        IssueCertificateResponse earlier = await IssueAsync("TZ");
        IssueCertificateResponse later = await IssueAsync("TZ");
        DateTimeOffset a = DateTimeOffset.Parse(earlier.Record.RecordedAt, CultureInfo.InvariantCulture);
        DateTimeOffset b = DateTimeOffset.Parse(later.Record.RecordedAt, CultureInfo.InvariantCulture);
        DateTimeOffset compromise = a + (b - a) / 2;

        RevokeKeyResponse revoked = await registry.Registry("admin").RevokeKeyAsync(new RevokeKeyRequest
        {
            KeyId = key.KeyId, Reason = "officials issued fraudulent certificates", CompromisedSince = compromise.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        });
        VerifyCertificateResult earlierCheck = await VerifyAsync(earlier.Envelope);
        VerifyCertificateResult laterCheck = await VerifyAsync(later.Envelope);

        Assert.Equal(KeyState.Revoked, revoked.Key.State);
        Assert.Equal([$"TZ/{later.Record.CertificateNumber}"], revoked.AffectedCertificates);
        Assert.True(earlierCheck.Valid, string.Join("; ", earlierCheck.Details));
        Assert.False(laterCheck.Valid);
        Assert.Equal([VerificationReason.KeyRevoked], laterCheck.Reasons);
        Assert.Contains(key.KeyId, laterCheck.Details[0]);
        Assert.Equal(KeyState.Revoked, earlierCheck.KeyState);
    }

    [Fact]
    public async Task CancelCertificate_ByIssuer_VerifiesAsCancelledAndIsOnTheRevocationList()
    {
        await registry.EnsureKeyAsync("MZ", KeyAlgorithm.Ed25519);
        IssueCertificateResponse issued = await IssueAsync("MZ");

        CertificateRecord cancelled = await registry.Certificates("MZ-authority").CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "MZ", CertificateNumber = issued.Record.CertificateNumber, Reason = "shipment called off",
        });
        VerifyCertificateResult check = await VerifyAsync(issued.Envelope);
        SignedEnvelope list = await registry.Verification().GetRevocationListAsync(new GetRevocationListRequest());
        RevocationList revocations = RevocationList.Parser.ParseFrom(list.Payload);

        Assert.Equal(CertificateState.Cancelled, cancelled.State);
        Assert.Equal([VerificationReason.CertificateCancelled], check.Reasons);
        RevocationEntry entry = Assert.Single(revocations.Entries, e => e.CertificateNumber == issued.Record.CertificateNumber);
        Assert.Equal(RevocationKind.CertificateCancelled, entry.Kind);
        Assert.Equal("shipment called off", entry.Reason);
        Assert.Equal(issued.Record.PayloadSha256, entry.PayloadSha256);
        RpcException again = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates("MZ-authority").CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "MZ", CertificateNumber = issued.Record.CertificateNumber, Reason = "twice",
        }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
    }

    [Fact]
    public async Task CancelCertificate_AnotherParticipantsAuthority_PermissionDenied()
    {
        await registry.EnsureKeyAsync("MZ", KeyAlgorithm.Ed25519);
        IssueCertificateResponse issued = await IssueAsync("MZ");

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates("ZA-authority").CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "MZ", CertificateNumber = issued.Record.CertificateNumber, Reason = "not mine",
        }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.True((await VerifyAsync(issued.Envelope)).Valid);
    }

    [Fact]
    public async Task StateChanges_EachWritesAnAuditEvent()
    {
        using SigningKey held = SigningKey.Generate(DomainAlgorithm.Ed25519);
        await registry.Registry("CM-authority").RegisterKeyAsync(new RegisterKeyRequest { Statement = HeldKeys.Registration(held, "CM"), Algorithm = KeyAlgorithm.Ed25519 });
        SignedEnvelope signed = EnvelopeSigner.Sign(PayloadTypes.Certificate, Google.Protobuf.MessageExtensions.ToByteArray(SampleCertificates.Valid(issuer: "CM")), held);
        var submitted = await registry.Certificates("CM-authority").SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = signed });
        await registry.Certificates("CM-authority").CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "CM", CertificateNumber = submitted.Record.CertificateNumber, Reason = "lost",
        });
        using SigningKey next = SigningKey.Generate(DomainAlgorithm.Ed25519);
        await registry.Registry("CM-authority").RotateKeyAsync(new RotateKeyRequest
        {
            KeyId = held.KeyId, Algorithm = KeyAlgorithm.Ed25519, Statement = HeldKeys.Rotation(next, "CM", held.KeyId, held),
        });
        await registry.Registry("CM-authority").RevokeKeyAsync(new RevokeKeyRequest { KeyId = next.KeyId, Reason = "laptop stolen" });

        var audit = await registry.Server.Services.GetRequiredService<RegistryStore>().ListAuditAsync(max: 100_000);
        // The change records only: each call's own record (action "package.Service/Method") names the same targets.
        string[] actions = [.. audit.Where(a => !a.Action.Contains('/', StringComparison.Ordinal)).Where(a => a.Subject.Contains(held.KeyId) || a.Subject.Contains(next.KeyId) || a.Subject.Contains(submitted.Record.CertificateNumber)).Select(a => a.Action)];

        Assert.Equal(["key.register", "certificate.submit", "certificate.cancel", "key.rotate", "key.revoke"], actions);
        Assert.All(audit.Where(a => a.Action != "registry.init" && a.Action.StartsWith("key.", StringComparison.Ordinal) && a.Subject == next.KeyId),
            a => Assert.Contains("CM authority", a.Actor));
    }
}
