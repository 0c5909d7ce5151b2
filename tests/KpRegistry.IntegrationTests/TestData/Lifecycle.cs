using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.IntegrationTests.TestData;

/// <summary>The steps of a certificate's life as the scenarios take them: BW exports to the EU, whose authority confirms.</summary>
public static class Lifecycle
{
    public const string Exporter = "BW-authority";
    public const string Importer = "EU-authority";

    /// <summary>Keys for the exporter and the importer, then one certificate issued by BW to the EU.</summary>
    public static async Task<IssueCertificateResponse> IssueAsync(RegistryFixture registry, Action<Certificate>? change = null)
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        await registry.EnsureKeyAsync("EU", KeyAlgorithm.Ed25519);
        Certificate certificate = SampleCertificates.Valid();
        change?.Invoke(certificate);
        return await registry.Certificates(Exporter).IssueCertificateAsync(new IssueCertificateRequest { Certificate = certificate });
    }

    /// <summary>What arrived, exactly as certified unless changed.</summary>
    public static ImportConfirmation Matching(IssueCertificateResponse issued, Action<ImportConfirmation>? change = null)
    {
        Certificate certificate = Certificate.Parser.ParseFrom(issued.Envelope.Payload);
        var confirmation = new ImportConfirmation
        {
            FormatVersion = 1,
            IssuingParticipant = certificate.IssuingParticipant,
            CertificateNumber = certificate.CertificateNumber,
            ImportingAuthority = "EU-BE",
            DateReceived = certificate.DateOfIssue,
            ParcelsReceived = certificate.NumberOfParcels,
            CaratsReceivedHundredths = certificate.TotalCaratsHundredths,
            SealsIntact = true,
            Remarks = "Antwerp Diamond Office: weighed and sealed parcels checked.",
        };
        change?.Invoke(confirmation);
        return confirmation;
    }

    public static Task<ConfirmImportResponse> ConfirmAsync(RegistryFixture registry, ImportConfirmation confirmation, string caller = Importer) =>
        registry.Certificates(caller).ConfirmImportAsync(new ConfirmImportRequest { Confirmation = confirmation }).ResponseAsync;

    public static Task<GetCertificateResponse> GetAsync(RegistryFixture registry, IssueCertificateResponse issued, string caller = "anonymous") =>
        registry.Certificates(caller).GetCertificateAsync(new GetCertificateRequest
        {
            IssuingParticipant = issued.Record.IssuingParticipant,
            CertificateNumber = issued.Record.CertificateNumber,
        }).ResponseAsync;

    public static Task<VerifyCertificateResult> VerifyAsync(RegistryFixture registry, SignedEnvelope envelope, VerificationPurpose purpose = VerificationPurpose.Unspecified) =>
        registry.Verification().VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = envelope, Purpose = purpose }).ResponseAsync;

    /// <summary>The full revocation list, as a verifier reads it.</summary>
    public static async Task<RevocationList> RevocationsAsync(RegistryFixture registry)
    {
        SignedEnvelope list = await registry.Verification().GetRevocationListAsync(new GetRevocationListRequest());
        return RevocationList.Parser.ParseFrom(list.Payload);
    }

    public static ByteString Sha(IssueCertificateResponse issued) => issued.Record.PayloadSha256;
}
