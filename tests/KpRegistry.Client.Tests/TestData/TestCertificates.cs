using KpRegistry.Contracts.Certificate.V1;

namespace KpRegistry.Client.Tests.TestData;

/// <summary>A certificate valid in <see cref="TestRegistry"/> at <see cref="TestRegistry.Now"/>.</summary>
public static class TestCertificates
{
    public const string Number = "BW-2026-000123";

    /// <summary>Botswana exports two lines of rough diamonds to the EU, issued 2026-03-09 by BW-MMGE, valid 60 days.</summary>
    public static Certificate BotswanaToEu(string number = Number) => new()
    {
        FormatVersion = 1,
        CertificateNumber = number,
        IssuingParticipant = "BW",
        IssuingAuthority = TestRegistry.BwAuthority,
        Exporter = new Party
        {
            Name = "Okavango Diamond Company (Pty) Ltd",
            Address = "Plot 63016, Block 8, Airport Road, Gaborone, Botswana",
            LicenceNumber = "BW-DEL-0042",
        },
        Importer = new Party { Name = "Antwerp Rough Trading NV", Address = "Hoveniersstraat 22, 2018 Antwerpen, Belgium" },
        DestinationParticipant = "EU",
        Origin = new Origin { Mixed = false, Countries = { "BW" } },
        Lines =
        {
            new Line { HsCode = "7102.10", CaratsHundredths = 1_250_000, ValueUsdCents = 118_750_000 },
            new Line { HsCode = "7102.31", CaratsHundredths = 341_025, ValueUsdCents = 204_615_000 },
        },
        TotalCaratsHundredths = 1_591_025,
        TotalValueUsdCents = 323_365_000,
        NumberOfParcels = 3,
        SealIds = { "BWS-558812", "BWS-558813", "BWS-558814" },
        TransitCountries = { "ZA" },
        DateOfIssue = "2026-03-09",
        DateOfExpiry = "2026-05-08",
        Statement = Domain.Certificates.CertificateRules.Statement,
    };
}
