using KpRegistry.Contracts.Certificate.V1;

namespace KpRegistry.IntegrationTests.TestData;

/// <summary>Realistic certificates for the scenarios: a Botswana export to the EU unless told otherwise.</summary>
public static class SampleCertificates
{
    public const string Statement =
        "The rough diamonds in this shipment have been handled in accordance with the provisions of the Kimberley Process Certification Scheme for rough diamonds";

    private static int _sequence;

    /// <summary>A certificate number unique within this test run, prefixed by the issuer's code.</summary>
    public static string NextNumber(string issuer) => $"{issuer}-2026-{Interlocked.Increment(ref _sequence):D6}";

    public static Certificate Valid(string issuer = "BW", string destination = "EU", string? number = null)
    {
        DateOnly today = DateOnly.FromDateTime(DateTime.UtcNow);
        var certificate = new Certificate
        {
            FormatVersion = 1,
            CertificateNumber = number ?? NextNumber(issuer),
            IssuingParticipant = issuer,
            IssuingAuthority = $"{issuer}-KP",
            Exporter = new Party { Name = "Okavango Diamond Company", Address = "Plot 63016, Block 8, Gaborone, Botswana", LicenceNumber = "EXP-0042" },
            Importer = new Party { Name = "Antwerp Rough Trading NV", Address = "Hoveniersstraat 30, 2018 Antwerpen, Belgium" },
            DestinationParticipant = destination,
            Origin = new Origin { Mixed = false, Countries = { issuer } },
            NumberOfParcels = 3,
            SealIds = { "SEAL-000981", "SEAL-000982" },
            DateOfIssue = today.ToString("yyyy-MM-dd"),
            DateOfExpiry = today.AddDays(30).ToString("yyyy-MM-dd"),
            Statement = Statement,
        };
        certificate.Lines.Add(new Line { HsCode = "7102.10", CaratsHundredths = 125_050, ValueUsdCents = 98_765_400 });
        certificate.Lines.Add(new Line { HsCode = "7102.31", CaratsHundredths = 20_000, ValueUsdCents = 12_000_000 });
        certificate.TotalCaratsHundredths = 145_050;
        certificate.TotalValueUsdCents = 110_765_400;
        return certificate;
    }
}
