using Google.Protobuf;
using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.IntegrationTests.TestData;
using DomainAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// Every fraud case of DOMAIN.md ("Fraud the system must stop"), each stopped at the API of the
/// running registry, not only in the Domain. Case 13 (laundering through a trading hub) is a flag
/// for statistics, not a refusal, and has no test here.
/// </summary>
public sealed class FraudCaseApiTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    /// <summary>A key the participant's authority holds itself, registered with the registry: a forger inside the authority, or the authority's own system.</summary>
    private async Task<SigningKey> HeldKeyAsync(string participant)
    {
        SigningKey held = SigningKey.Generate(DomainAlgorithm.Ed25519);
        await registry.Registry($"{participant}-authority").RegisterKeyAsync(new RegisterKeyRequest
        {
            Statement = HeldKeys.Registration(held, participant), Algorithm = Contracts.Registry.V1.KeyAlgorithm.Ed25519,
        });
        return held;
    }

    private static SignedEnvelope Sign(Certificate certificate, params SigningKey[] keys) =>
        EnvelopeSigner.Sign(PayloadTypes.Certificate, certificate.ToByteArray(), keys);

    [Fact]
    public async Task FraudCase01_CertificateFromANonParticipantCode_RefusedAtSubmissionAndVerification()
    {
        using SigningKey ghKey = await HeldKeyAsync("GH");
        // Kenya is not and never was a participant; the forger signs with a key it holds.
        Certificate kenyan = SampleCertificates.Valid(issuer: "KE");
        SignedEnvelope forged = Sign(kenyan, ghKey);

        VerifyCertificateResult check = await Lifecycle.VerifyAsync(registry, forged);
        RpcException submitted = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates("GH-authority").SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = forged }).ResponseAsync);

        Assert.False(check.Valid);
        Assert.Contains(VerificationReason.IssuerNotParticipant, check.Reasons);
        Assert.Equal(StatusCode.PermissionDenied, submitted.StatusCode);
    }

    [Fact]
    public async Task FraudCase02_IssuedWhileSuspended_FailedPreconditionAndNothingRecorded()
    {
        await registry.EnsureKeyAsync("NA", Contracts.Registry.V1.KeyAlgorithm.Ed25519);
        await registry.Registry("admin").SetParticipantStatusAsync(new SetParticipantStatusRequest
        {
            Code = "NA", Status = ParticipantStatus.Suspended, Reason = "fraud case 2: suspended by administrative decision",
        });
        Certificate certificate = SampleCertificates.Valid(issuer: "NA");

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates("NA-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = certificate }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("SUSPENDED", refused.Status.Detail);
        RpcException lookup = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates().GetCertificateAsync(new GetCertificateRequest
        {
            IssuingParticipant = "NA", CertificateNumber = certificate.CertificateNumber,
        }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task FraudCase03_CentralAfricanRepublicInItsRestrictedYearsWithoutAnApprovedZone_Refused()
    {
        // The seed has CF ACTIVE_RESTRICTED from 2015-07-17 to 2024-11-15 with no zone approved:
        // a certificate of those years from any zone is refused (approving zones is SetZones, issue 10's registry half).
        using SigningKey cfKey = await HeldKeyAsync("CF");
        Certificate certificate = SampleCertificates.Valid(issuer: "CF");
        certificate.DateOfIssue = "2019-06-03";
        certificate.DateOfExpiry = "2019-07-03";
        certificate.OriginZone = "Berbérati";

        VerifyCertificateResult check = await Lifecycle.VerifyAsync(registry, Sign(certificate, cfKey));

        Assert.False(check.Valid);
        Assert.Contains(VerificationReason.ContentInvalid, check.Reasons);
        Assert.Contains(check.Violations, v => v.Contains("OriginZoneNotApproved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FraudCase04_UnsignedOrSignedWithAnUnregisteredKey_Refused()
    {
        await registry.EnsureKeyAsync("BW", Contracts.Registry.V1.KeyAlgorithm.Ed25519);
        Certificate certificate = SampleCertificates.Valid();
        var unsigned = new SignedEnvelope { PayloadType = PayloadTypes.Certificate, Payload = certificate.ToByteString() };
        using SigningKey stranger = SigningKey.Generate(DomainAlgorithm.Ed25519);

        VerifyCertificateResult unsignedCheck = await Lifecycle.VerifyAsync(registry, unsigned);
        VerifyCertificateResult strangerCheck = await Lifecycle.VerifyAsync(registry, Sign(certificate, stranger));

        Assert.Equal([VerificationReason.Malformed], unsignedCheck.Reasons);
        Assert.Equal([VerificationReason.UnknownKey], strangerCheck.Reasons);
    }

    [Fact]
    public async Task FraudCase05_NumberReused_AlreadyExistsAndTheSecondPayloadIsARecordMismatch()
    {
        using SigningKey lsKey = await HeldKeyAsync("LS");
        Certificate first = SampleCertificates.Valid(issuer: "LS");
        await registry.Certificates("LS-authority").SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = Sign(first, lsKey) });
        Certificate second = SampleCertificates.Valid(issuer: "LS", number: first.CertificateNumber);
        second.Importer.Name = "Another Buyer DMCC";
        SignedEnvelope reused = Sign(second, lsKey);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates("LS-authority").SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = reused }).ResponseAsync);
        VerifyCertificateResult check = await Lifecycle.VerifyAsync(registry, reused);

        Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);
        Assert.Contains(VerificationReason.RecordMismatch, check.Reasons);
    }

    [Fact]
    public async Task FraudCase06_ConfirmedTwiceOrPresentedAtASecondDestination_Refused()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued));

        RpcException second = await Assert.ThrowsAsync<RpcException>(() => Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued)));
        VerifyCertificateResult importAgain = await Lifecycle.VerifyAsync(registry, issued.Envelope, VerificationPurpose.Import);
        VerifyCertificateResult elsewhere = await registry.Verification().VerifyCertificateAsync(new VerifyCertificateRequest
        {
            Envelope = issued.Envelope, PresentedAtParticipant = "AE", Purpose = VerificationPurpose.Import,
        });

        Assert.Equal(StatusCode.FailedPrecondition, second.StatusCode);
        Assert.Equal([VerificationReason.AlreadyConfirmed], importAgain.Reasons);
        Assert.Contains(VerificationReason.WrongDestination, elsewhere.Reasons);
    }

    [Fact]
    public async Task FraudCase07_CaratsChangedAfterSigningOrLineSumsNotMatchingTotals_Refused()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        Certificate altered = Certificate.Parser.ParseFrom(issued.Envelope.Payload);
        altered.Lines[0].CaratsHundredths -= 5_000;
        altered.TotalCaratsHundredths -= 5_000;
        SignedEnvelope tampered = issued.Envelope.Clone();
        tampered.Payload = altered.ToByteString();
        Certificate badSums = SampleCertificates.Valid();
        badSums.TotalCaratsHundredths += 100;

        VerifyCertificateResult check = await Lifecycle.VerifyAsync(registry, tampered);
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates(Lifecycle.Exporter).IssueCertificateAsync(new IssueCertificateRequest { Certificate = badSums }).ResponseAsync);

        Assert.Equal([VerificationReason.BadSignature], check.Reasons);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("TotalCaratsMismatch", refused.Status.Detail);
    }

    [Fact]
    public async Task FraudCase08_WeighedCaratsOrParcelsDifferOnArrival_DetainedNotSilentlyAccepted()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);

        ConfirmImportResponse detained = await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued, c =>
        {
            c.CaratsReceivedHundredths -= 20_000;
            c.ParcelsReceived -= 1;
        }));
        VerifyCertificateResult check = await Lifecycle.VerifyAsync(registry, issued.Envelope, VerificationPurpose.Import);

        Assert.Equal(CertificateState.Detained, detained.Record.State);
        Assert.Equal(2, detained.Differences.Count);
        Assert.Equal([VerificationReason.CertificateDetained], check.Reasons);
    }

    [Fact]
    public async Task FraudCase09_PresentedAfterItsDateOfExpiry_ExpiredAndNotConfirmed()
    {
        var clocked = new FakeClockRegistryFixture();
        await clocked.InitializeAsync();
        try
        {
            IssueCertificateResponse issued = await Lifecycle.IssueAsync(clocked);
            clocked.Clock.Advance(TimeSpan.FromDays(31));

            VerifyCertificateResult check = await Lifecycle.VerifyAsync(clocked, issued.Envelope, VerificationPurpose.Import);
            RpcException refused = await Assert.ThrowsAsync<RpcException>(() => Lifecycle.ConfirmAsync(clocked, Lifecycle.Matching(issued)));

            Assert.Equal([VerificationReason.CertificateExpired], check.Reasons);
            Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        }
        finally
        {
            await clocked.DisposeAsync();
        }
    }

    [Fact]
    public async Task FraudCase10_CancelledOrReplacedCertificatePresented_Refused()
    {
        IssueCertificateResponse cancelled = await Lifecycle.IssueAsync(registry);
        await registry.Certificates(Lifecycle.Exporter).CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "BW", CertificateNumber = cancelled.Record.CertificateNumber, Reason = "reported stolen",
        });
        IssueCertificateResponse replaced = await Lifecycle.IssueAsync(registry);
        Certificate replacement = SampleCertificates.Valid();
        replacement.ReplacesCertificateNumber = replaced.Record.CertificateNumber;
        await registry.Certificates(Lifecycle.Exporter).ReplaceCertificateAsync(new ReplaceCertificateRequest { Certificate = replacement, Reason = "damaged" });

        VerifyCertificateResult cancelledCheck = await Lifecycle.VerifyAsync(registry, cancelled.Envelope, VerificationPurpose.Import);
        VerifyCertificateResult replacedCheck = await Lifecycle.VerifyAsync(registry, replaced.Envelope, VerificationPurpose.Import);

        Assert.Equal([VerificationReason.CertificateCancelled], cancelledCheck.Reasons);
        Assert.Equal([VerificationReason.CertificateReplaced], replacedCheck.Reasons);
        Assert.Equal(replacement.CertificateNumber, replacedCheck.ReplacedBy);
    }

    [Fact]
    public async Task FraudCase11_HsCodeOutOfScopeOrPresentedAtAnotherDestination_Refused()
    {
        await registry.EnsureKeyAsync("BW", Contracts.Registry.V1.KeyAlgorithm.Ed25519);
        Certificate polished = SampleCertificates.Valid();
        polished.Lines[0].HsCode = "7102.39";
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates(Lifecycle.Exporter).IssueCertificateAsync(new IssueCertificateRequest { Certificate = polished }).ResponseAsync);
        VerifyCertificateResult elsewhere = await registry.Verification().VerifyCertificateAsync(new VerifyCertificateRequest
        {
            Envelope = issued.Envelope, PresentedAtParticipant = "IN",
        });

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("HsCodeOutOfScope", refused.Status.Detail);
        Assert.Equal([VerificationReason.WrongDestination], elsewhere.Reasons);
    }

    [Fact]
    public async Task FraudCase12_KeyLaterFoundCompromised_RevokedFromTheCompromiseAndEveryCertificateSignedSinceListed()
    {
        using SigningKey zaKey = await HeldKeyAsync("ZA");
        SignedEnvelope before = Sign(SampleCertificates.Valid(issuer: "ZA"), zaKey);
        await registry.Certificates("ZA-authority").SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = before });
        SignedEnvelope after = Sign(SampleCertificates.Valid(issuer: "ZA"), zaKey);
        SubmitCertificateResponse afterRecord = await registry.Certificates("ZA-authority").SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = after });

        // The investigation dates the compromise to the recording of the second certificate.
        RevokeKeyResponse revoked = await registry.Registry("admin").RevokeKeyAsync(new RevokeKeyRequest
        {
            KeyId = zaKey.KeyId, Reason = "officials issued fraudulent certificates", CompromisedSince = afterRecord.Record.RecordedAt,
        });
        VerifyCertificateResult afterCheck = await Lifecycle.VerifyAsync(registry, after);
        VerifyCertificateResult beforeCheck = await Lifecycle.VerifyAsync(registry, before);

        Assert.Equal([$"ZA/{afterRecord.Record.CertificateNumber}"], revoked.AffectedCertificates);
        Assert.Contains(VerificationReason.KeyRevoked, afterCheck.Reasons);
        Assert.True(beforeCheck.Valid, string.Join("; ", beforeCheck.Details));
        Assert.Contains((await Lifecycle.RevocationsAsync(registry)).Entries, e => e.Kind == RevocationKind.Key && e.KeyId == zaKey.KeyId);
    }
}
