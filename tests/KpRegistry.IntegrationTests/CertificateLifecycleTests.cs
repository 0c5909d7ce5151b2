using Google.Protobuf;
using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.IntegrationTests.TestData;
using CertificateRecord = KpRegistry.Contracts.Certificate.V1.CertificateRecord;
using DomainAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;

namespace KpRegistry.IntegrationTests;

/// <summary>The certificate's life after issue over the API (issue 10): import confirmation, detention and its resolution, replacement.</summary>
public sealed class CertificateLifecycleTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task ConfirmImport_EverythingMatches_ReceivedAndExporterReadsTheSignedConfirmation()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);

        ConfirmImportResponse confirmed = await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued));

        Assert.Equal(CertificateState.Received, confirmed.Record.State);
        Assert.Empty(confirmed.Differences);
        Assert.Equal("application/vnd.kp.import-confirmation.v1+protobuf", confirmed.Confirmation.PayloadType);
        ImportConfirmation signed = ImportConfirmation.Parser.ParseFrom(confirmed.Confirmation.Payload);
        Assert.Equal("EU", signed.ImportingParticipant);
        Assert.Equal(issued.Record.PayloadSha256, signed.CertificatePayloadSha256);

        GetCertificateResponse asExporter = await Lifecycle.GetAsync(registry, issued, Lifecycle.Exporter);
        Assert.Equal(confirmed.Confirmation, asExporter.ImportConfirmation);
        Assert.Equal(CertificateState.Received, asExporter.Record.State);
        Assert.Equal([CertificateState.Received], asExporter.History.Select(h => h.State));
        GetCertificateResponse asImporter = await Lifecycle.GetAsync(registry, issued, Lifecycle.Importer);
        Assert.Equal(confirmed.Confirmation, asImporter.ImportConfirmation);
        GetCertificateResponse asAnyone = await Lifecycle.GetAsync(registry, issued);
        Assert.Null(asAnyone.ImportConfirmation);
        Assert.Empty(asAnyone.History);
        Assert.Equal(CertificateState.Received, asAnyone.Record.State);
    }

    [Fact]
    public async Task VerifyCertificate_AfterMatchingConfirmation_ImportCheckAlreadyConfirmedPlainCheckValidReceived()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued));

        VerifyCertificateResult importCheck = await Lifecycle.VerifyAsync(registry, issued.Envelope, VerificationPurpose.Import);
        VerifyCertificateResult plainCheck = await Lifecycle.VerifyAsync(registry, issued.Envelope);

        Assert.False(importCheck.Valid);
        Assert.Equal([VerificationReason.AlreadyConfirmed], importCheck.Reasons);
        Assert.True(plainCheck.Valid, string.Join("; ", plainCheck.Details));
        Assert.Equal(CertificateState.Received, plainCheck.CertificateState);
    }

    [Fact]
    public async Task VerifyCertificate_ImportCheckBeforeConfirmation_Valid()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);

        VerifyCertificateResult importCheck = await Lifecycle.VerifyAsync(registry, issued.Envelope, VerificationPurpose.Import);

        Assert.True(importCheck.Valid, string.Join("; ", importCheck.Details));
        Assert.Equal(CertificateState.Issued, importCheck.CertificateState);
    }

    [Fact]
    public async Task ConfirmImport_Twice_FailedPreconditionAndFirstConfirmationKept()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        ConfirmImportResponse first = await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued));

        RpcException second = await Assert.ThrowsAsync<RpcException>(() =>
            Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued, c => c.ParcelsReceived = 1)));

        Assert.Equal(StatusCode.FailedPrecondition, second.StatusCode);
        Assert.Contains("at most once", second.Status.Detail);
        GetCertificateResponse stored = await Lifecycle.GetAsync(registry, issued, Lifecycle.Exporter);
        Assert.Equal(first.Confirmation, stored.ImportConfirmation);
        Assert.Equal(CertificateState.Received, stored.Record.State);
        Assert.Single(stored.History);
    }

    [Theory]
    [InlineData("AE-authority")]
    [InlineData(Lifecycle.Exporter)]
    [InlineData("admin")]
    public async Task ConfirmImport_ByAnyoneButTheDestinationsAuthority_PermissionDeniedAndNothingChanged(string caller)
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued), caller));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        GetCertificateResponse stored = await Lifecycle.GetAsync(registry, issued, Lifecycle.Exporter);
        Assert.Equal(CertificateState.Issued, stored.Record.State);
        Assert.Null(stored.ImportConfirmation);
        Assert.Empty(stored.History);
    }

    [Fact]
    public async Task ConfirmImport_Anonymous_Unauthenticated()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued), "anonymous"));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task ConfirmImport_CancelledCertificate_FailedPrecondition()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        await registry.Certificates(Lifecycle.Exporter).CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "BW", CertificateNumber = issued.Record.CertificateNumber, Reason = "shipment called off",
        });

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued)));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("CANCELLED", refused.Status.Detail);
    }

    [Fact]
    public async Task ConfirmImport_MalformedConfirmation_InvalidArgumentNamingEachFieldAndNothingChanged()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        ImportConfirmation bad = Lifecycle.Matching(issued, c =>
        {
            c.DateReceived = "30/11/2026";
            c.BrokenSealIds.Add("SEAL-000981"); // while seals_intact is true
        });

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => Lifecycle.ConfirmAsync(registry, bad));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("date_received", refused.Status.Detail);
        Assert.Contains("broken_seal_ids", refused.Status.Detail);
        Assert.Equal(CertificateState.Issued, (await Lifecycle.GetAsync(registry, issued)).Record.State);
    }

    [Fact]
    public async Task ConfirmImport_WeighedCaratsDifferBeyondTolerance_DetainedNamingTheCarats()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);

        // 1,450.50 ct certified; 1,440.50 ct weighed: 10 ct short, far beyond the 1.45 ct tolerance.
        ConfirmImportResponse detained = await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued, c => c.CaratsReceivedHundredths -= 1_000));

        Assert.Equal(CertificateState.Detained, detained.Record.State);
        string difference = Assert.Single(detained.Differences);
        Assert.StartsWith("carats: 1450.50 ct certified, 1440.50 ct weighed", difference);
        VerifyCertificateResult check = await Lifecycle.VerifyAsync(registry, issued.Envelope, VerificationPurpose.Import);
        Assert.Equal([VerificationReason.CertificateDetained], check.Reasons);
        Assert.Contains("carats", check.Details[0]);
    }

    [Fact]
    public async Task ConfirmImport_WeighedCaratsWithinTolerance_Received()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);

        // 1.45 ct is 0.1% of 1,450.50 ct: two calibrated scales may differ by that much.
        ConfirmImportResponse confirmed = await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued, c => c.CaratsReceivedHundredths -= 145));

        Assert.Equal(CertificateState.Received, confirmed.Record.State);
        Assert.Empty(confirmed.Differences);
    }

    [Fact]
    public async Task ConfirmImport_ParcelsAndSealsDiffer_DetainedNamingEachDifference()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);

        ConfirmImportResponse detained = await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued, c =>
        {
            c.ParcelsReceived = 2;
            c.SealsIntact = false;
            c.BrokenSealIds.Add("SEAL-000982");
        }));

        Assert.Equal(CertificateState.Detained, detained.Record.State);
        Assert.Equal(["parcels: 3 certified, 2 received", "seal SEAL-000982: found broken"], detained.Differences);
        GetCertificateResponse asExporter = await Lifecycle.GetAsync(registry, issued, Lifecycle.Exporter);
        CertificateEvent detention = Assert.Single(asExporter.History);
        Assert.Equal(CertificateState.Detained, detention.State);
        Assert.Contains("parcels: 3 certified, 2 received", detention.Reason);
        Assert.Contains("seal SEAL-000982", detention.Reason);
    }

    [Fact]
    public async Task ResolveDetention_Release_ReceivedAndValidOnPlainCheck()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued, c => c.SealsIntact = false));

        CertificateRecord released = await registry.Certificates(Lifecycle.Importer).ResolveDetentionAsync(new ResolveDetentionRequest
        {
            IssuingParticipant = "BW", CertificateNumber = issued.Record.CertificateNumber,
            Decision = DetentionDecision.Release, Reason = "Parcels reweighed and opened under customs supervision: content as certified.",
        });

        Assert.Equal(CertificateState.Received, released.State);
        VerifyCertificateResult plain = await Lifecycle.VerifyAsync(registry, issued.Envelope);
        Assert.True(plain.Valid, string.Join("; ", plain.Details));
        Assert.Equal(CertificateState.Received, plain.CertificateState);
    }

    [Fact]
    public async Task ResolveDetention_Refuse_RefusedAndOnTheRevocationList()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued, c => c.ParcelsReceived = 1));

        CertificateRecord refused = await registry.Certificates(Lifecycle.Importer).ResolveDetentionAsync(new ResolveDetentionRequest
        {
            IssuingParticipant = "BW", CertificateNumber = issued.Record.CertificateNumber,
            Decision = DetentionDecision.Refuse, Reason = "Two parcels missing; shipment seized.",
        });

        Assert.Equal(CertificateState.Refused, refused.State);
        RevocationList list = await Lifecycle.RevocationsAsync(registry);
        RevocationEntry entry = Assert.Single(list.Entries, e => e.CertificateNumber == issued.Record.CertificateNumber);
        Assert.Equal(RevocationKind.CertificateRefused, entry.Kind);
        Assert.Equal(issued.Record.PayloadSha256, entry.PayloadSha256);
        VerifyCertificateResult check = await Lifecycle.VerifyAsync(registry, issued.Envelope);
        Assert.Equal([VerificationReason.CertificateRefused], check.Reasons);
    }

    [Fact]
    public async Task ResolveDetention_NotDetained_FailedPrecondition()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates(Lifecycle.Importer).ResolveDetentionAsync(new ResolveDetentionRequest
        {
            IssuingParticipant = "BW", CertificateNumber = issued.Record.CertificateNumber, Decision = DetentionDecision.Release, Reason = "no reason",
        }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("not DETAINED", refused.Status.Detail);
    }

    [Fact]
    public async Task ResolveDetention_ByAnotherParticipant_PermissionDenied()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(issued, c => c.ParcelsReceived = 1));

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates("AE-authority").ResolveDetentionAsync(new ResolveDetentionRequest
        {
            IssuingParticipant = "BW", CertificateNumber = issued.Record.CertificateNumber, Decision = DetentionDecision.Release, Reason = "release",
        }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal(CertificateState.Detained, (await Lifecycle.GetAsync(registry, issued)).Record.State);
    }

    [Fact]
    public async Task ReplaceCertificate_Issued_OldReplacedOnRevocationListAndItsVerificationNamesTheNewNumber()
    {
        IssueCertificateResponse old = await Lifecycle.IssueAsync(registry);
        Certificate replacement = SampleCertificates.Valid();
        replacement.ReplacesCertificateNumber = old.Record.CertificateNumber;

        IssueCertificateResponse issued = await registry.Certificates(Lifecycle.Exporter).ReplaceCertificateAsync(new ReplaceCertificateRequest
        {
            Certificate = replacement, Reason = "Paper certificate damaged in transit.",
        });

        Assert.Equal(old.Record.CertificateNumber, issued.Record.ReplacesCertificateNumber);
        Assert.Equal(old.Record.CertificateNumber, Certificate.Parser.ParseFrom(issued.Envelope.Payload).ReplacesCertificateNumber);
        Assert.Equal(CertificateState.Replaced, (await Lifecycle.GetAsync(registry, old)).Record.State);
        RevocationEntry entry = Assert.Single((await Lifecycle.RevocationsAsync(registry)).Entries, e => e.CertificateNumber == old.Record.CertificateNumber);
        Assert.Equal(RevocationKind.CertificateReplaced, entry.Kind);
        Assert.Equal(replacement.CertificateNumber, entry.ReplacedBy);
        VerifyCertificateResult oldCheck = await Lifecycle.VerifyAsync(registry, old.Envelope);
        Assert.Equal([VerificationReason.CertificateReplaced], oldCheck.Reasons);
        Assert.Equal(replacement.CertificateNumber, oldCheck.ReplacedBy);
        Assert.Contains(replacement.CertificateNumber, oldCheck.Details[0]);
        VerifyCertificateResult newCheck = await Lifecycle.VerifyAsync(registry, issued.Envelope);
        Assert.True(newCheck.Valid, string.Join("; ", newCheck.Details));
    }

    [Fact]
    public async Task ReplaceCertificate_AlreadyReceived_FailedPreconditionAndNothingRecorded()
    {
        IssueCertificateResponse old = await Lifecycle.IssueAsync(registry);
        await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(old));
        Certificate replacement = SampleCertificates.Valid();
        replacement.ReplacesCertificateNumber = old.Record.CertificateNumber;

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates(Lifecycle.Exporter).ReplaceCertificateAsync(new ReplaceCertificateRequest
        {
            Certificate = replacement, Reason = "late correction",
        }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        RpcException lookup = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates().GetCertificateAsync(new GetCertificateRequest
        {
            IssuingParticipant = "BW", CertificateNumber = replacement.CertificateNumber,
        }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task IssueCertificate_NamingACertificateItReplaces_InvalidArgument()
    {
        IssueCertificateResponse old = await Lifecycle.IssueAsync(registry);
        Certificate certificate = SampleCertificates.Valid();
        certificate.ReplacesCertificateNumber = old.Record.CertificateNumber;

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates(Lifecycle.Exporter).IssueCertificateAsync(new IssueCertificateRequest { Certificate = certificate }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("replaces_certificate_number", refused.Status.Detail);
        Assert.Equal(CertificateState.Issued, (await Lifecycle.GetAsync(registry, old)).Record.State);
    }

    [Fact]
    public async Task SubmitImportConfirmation_SignedWithTheImportersHeldKey_RecordedAsSigned()
    {
        // The UAE's authority keeps its own key: it signs the confirmation on its side.
        using SigningKey held = SigningKey.Generate(DomainAlgorithm.Ed25519);
        await registry.Registry("AE-authority").RegisterKeyAsync(new RegisterKeyRequest
        {
            Statement = HeldKeys.Registration(held, "AE"), Algorithm = Contracts.Registry.V1.KeyAlgorithm.Ed25519,
        });
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry, c => c.DestinationParticipant = "AE");
        ImportConfirmation confirmation = Lifecycle.Matching(issued, c =>
        {
            c.ImportingParticipant = "AE";
            c.ImportingAuthority = "AE-KP";
            c.CertificatePayloadSha256 = issued.Record.PayloadSha256;
        });
        SignedEnvelope signed = EnvelopeSigner.Sign(PayloadTypes.ImportConfirmation, confirmation.ToByteArray(), held);

        ConfirmImportResponse recorded = await registry.Certificates("AE-authority").SubmitImportConfirmationAsync(new SubmitImportConfirmationRequest { Envelope = signed });

        Assert.Equal(CertificateState.Received, recorded.Record.State);
        Assert.Equal(signed, recorded.Confirmation);
        Assert.Equal(signed, (await Lifecycle.GetAsync(registry, issued, Lifecycle.Exporter)).ImportConfirmation);
    }

    [Fact]
    public async Task SubmitImportConfirmation_SignedByAKeyOfAnotherParticipant_InvalidArgumentAndNothingChanged()
    {
        using SigningKey stranger = SigningKey.Generate(DomainAlgorithm.Ed25519);
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        ImportConfirmation confirmation = Lifecycle.Matching(issued, c =>
        {
            c.ImportingParticipant = "EU";
            c.CertificatePayloadSha256 = issued.Record.PayloadSha256;
        });
        SignedEnvelope signed = EnvelopeSigner.Sign(PayloadTypes.ImportConfirmation, confirmation.ToByteArray(), stranger);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates(Lifecycle.Importer).SubmitImportConfirmationAsync(new SubmitImportConfirmationRequest { Envelope = signed }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("no signature verifies", refused.Status.Detail);
        Assert.Equal(CertificateState.Issued, (await Lifecycle.GetAsync(registry, issued)).Record.State);
    }

    [Fact]
    public async Task Kpreg_ConfirmListAndVerifyImport_AsTheReadmeSays()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        string envelopePath = Path.Combine(registry.Server.Root, issued.Record.CertificateNumber + ".envelope");
        await File.WriteAllBytesAsync(envelopePath, issued.Envelope.ToByteArray(), TestContext.Current.CancellationToken);

        var listed = await registry.KpregAsync("certificates", "list", "--destination", "EU", "--state", "issued", "--as", "EU-authority");
        var confirmed = await registry.KpregAsync("certificates", "confirm", "BW", issued.Record.CertificateNumber,
            "--authority", "EU-BE", "--parcels", "3", "--carats", "1450.50", "--as", "EU-authority");
        var importCheck = await registry.KpregAsync("verify", envelopePath, "--purpose", "import");
        var plainCheck = await registry.KpregAsync("verify", envelopePath);

        Assert.Equal(0, listed.Exit);
        Assert.Contains(issued.Record.CertificateNumber, listed.Output);
        Assert.Equal(0, confirmed.Exit);
        Assert.Contains("received", confirmed.Output);
        Assert.Equal(2, importCheck.Exit);
        Assert.Contains("ALREADY_CONFIRMED", importCheck.Output);
        Assert.Equal(0, plainCheck.Exit);
    }

    [Fact]
    public async Task Kpreg_Replace_OldReplacedAndItsVerificationNamesTheNewNumber()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        string oldEnvelope = Path.Combine(registry.Server.Root, issued.Record.CertificateNumber + ".envelope");
        await File.WriteAllBytesAsync(oldEnvelope, issued.Envelope.ToByteArray(), TestContext.Current.CancellationToken);
        string newNumber = "BW-2026-R" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        string json = Path.Combine(registry.Server.Root, newNumber + ".json");
        string newEnvelope = Path.Combine(registry.Server.Root, newNumber + ".envelope");
        var sample = await registry.KpregAsync("certificates", "sample", "--issuer", "BW", "--destination", "EU", "--number", newNumber, "--out", json);
        Assert.Equal(0, sample.Exit);
        var content = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken))!.AsObject();
        content["replacesCertificateNumber"] = issued.Record.CertificateNumber;
        await File.WriteAllTextAsync(json, content.ToJsonString(), TestContext.Current.CancellationToken);

        var replaced = await registry.KpregAsync("certificates", "replace", json, "--reason", "damaged in transit", "--as", Lifecycle.Exporter, "--out", newEnvelope);
        var oldCheck = await registry.KpregAsync("verify", oldEnvelope);
        var newCheck = await registry.KpregAsync("verify", newEnvelope);

        Assert.Equal(0, replaced.Exit);
        Assert.Contains($"wrote {newEnvelope}", replaced.Output + replaced.Error);
        Assert.Equal(2, oldCheck.Exit);
        Assert.Contains("CERTIFICATE_REPLACED", oldCheck.Output);
        Assert.Contains(newNumber, oldCheck.Output);
        Assert.Equal(0, newCheck.Exit);
    }
}
