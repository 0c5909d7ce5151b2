using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Domain.Registry;
using KpRegistry.Storage;

namespace KpRegistry.Benchmarks;

/// <summary>A realistic certificate (a Botswana export to the EU) and the shipped participant list.</summary>
internal static class Fixtures
{
    public static Certificate SampleCertificate()
    {
        DateOnly today = DateOnly.FromDateTime(DateTime.UtcNow);
        var certificate = new Certificate
        {
            FormatVersion = 1,
            CertificateNumber = "BW-2026-000042",
            IssuingParticipant = "BW",
            IssuingAuthority = "BW-KP",
            Exporter = new Party { Name = "Okavango Diamond Company", Address = "Plot 63016, Block 8, Gaborone", LicenceNumber = "EXP-0042" },
            Importer = new Party { Name = "Antwerp Rough Trading NV", Address = "Hoveniersstraat 30, 2018 Antwerpen" },
            DestinationParticipant = "EU",
            Origin = new Origin { Mixed = false, Countries = { "BW" } },
            NumberOfParcels = 3,
            SealIds = { "SEAL-000981", "SEAL-000982" },
            DateOfIssue = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            DateOfExpiry = today.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Statement = "The rough diamonds in this shipment have been handled in accordance with the provisions of the Kimberley Process Certification Scheme for rough diamonds",
        };
        certificate.Lines.Add(new Line { HsCode = "7102.10", CaratsHundredths = 125_050, ValueUsdCents = 98_765_400 });
        certificate.Lines.Add(new Line { HsCode = "7102.31", CaratsHundredths = 20_000, ValueUsdCents = 12_000_000 });
        certificate.TotalCaratsHundredths = 145_050;
        certificate.TotalValueUsdCents = 110_765_400;
        return certificate;
    }

    public static byte[] SamplePayload() => SampleCertificate().ToByteArray();

    public static IReadOnlyList<ParticipantInfo> Participants() =>
        [.. RegistryDatabase.LoadSeed().Select(p => new ParticipantInfo(p.Code, p.Name,
            [new StatusPeriod(ParticipantStatus.Active, p.AdmittedOn, null, "admitted")], [], [], p.Embargoed, p.MaxValidityDays))];
}
