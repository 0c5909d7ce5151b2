using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Domain.Certificates;

namespace KpRegistry.Domain.Tests.TestData;

/// <summary>Realistic certificates, each valid in <see cref="KpWorld"/> at <see cref="KpWorld.Now"/>; tests change one thing.</summary>
public static class TestCertificates
{
    public const string Number = "BW-2026-000123";
    public static readonly DateOnly IssuedOn = new(2026, 3, 9);
    public static readonly DateOnly ExpiresOn = new(2026, 5, 8);

    /// <summary>
    /// Botswana exports two lines of rough diamonds (sorted and unsorted) to the EU, for an
    /// importer in Antwerp, transiting South Africa: issued 2026-03-09, valid 60 days.
    /// </summary>
    public static Certificate BotswanaToEu() => new()
    {
        FormatVersion = 1,
        CertificateNumber = Number,
        IssuingParticipant = "BW",
        IssuingAuthority = KpWorld.BwAuthority,
        Exporter = new Party
        {
            Name = "Okavango Diamond Company (Pty) Ltd",
            Address = "Plot 63016, Block 8, Airport Road, Gaborone, Botswana",
            LicenceNumber = "BW-DEL-0042",
        },
        Importer = new Party
        {
            Name = "Antwerp Rough Trading NV",
            Address = "Hoveniersstraat 22, 2018 Antwerpen, Belgium",
        },
        DestinationParticipant = "EU",
        Origin = new Origin { Mixed = false, Countries = { "BW" } },
        Lines =
        {
            // 12,500.00 ct of unsorted at USD 1,187,500.00; 3,410.25 ct of sorted gem quality at USD 2,046,150.00.
            new Line { HsCode = "7102.10", CaratsHundredths = 1_250_000, ValueUsdCents = 118_750_000 },
            new Line { HsCode = "7102.31", CaratsHundredths = 341_025, ValueUsdCents = 204_615_000 },
        },
        TotalCaratsHundredths = 1_591_025,
        TotalValueUsdCents = 323_365_000,
        NumberOfParcels = 3,
        SealIds = { "BWS-558812", "BWS-558813", "BWS-558814" },
        TransitCountries = { "ZA" },
        DateOfIssue = CertificateDates.ToText(IssuedOn),
        DateOfExpiry = CertificateDates.ToText(ExpiresOn),
        Statement = CertificateRules.Statement,
    };

    /// <summary>The same shipment, issued by another participant on another date, with a number of that issuer.</summary>
    public static Certificate Issued(string issuer, string authority, DateOnly issuedOn, int validityDays = 60, string destination = "EU", string? number = null)
    {
        Certificate c = BotswanaToEu();
        c.IssuingParticipant = issuer;
        c.IssuingAuthority = authority;
        c.CertificateNumber = number ?? $"{issuer}-{issuedOn.Year}-000123";
        c.Origin.Countries[0] = issuer;
        c.DateOfIssue = CertificateDates.ToText(issuedOn);
        c.DateOfExpiry = CertificateDates.ToText(issuedOn.AddDays(validityDays));
        c.DestinationParticipant = destination;
        return c;
    }

    /// <summary>Sets the totals to the sums of the lines, after a test changed the lines.</summary>
    public static Certificate WithTotalsFromLines(this Certificate c)
    {
        ulong carats = 0;
        ulong value = 0;
        foreach (Line line in c.Lines)
        {
            carats += line.CaratsHundredths;
            value += line.ValueUsdCents;
        }
        c.TotalCaratsHundredths = carats;
        c.TotalValueUsdCents = value;
        return c;
    }
}
