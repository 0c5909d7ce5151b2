using System.Security.Cryptography;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Domain.Certificates;

namespace KpRegistry.Cli;

/// <summary>
/// A realistic certificate with every Annex I field filled, for <c>kpreg certificates sample</c>:
/// a newcomer edits it instead of writing protobuf JSON by hand.
/// </summary>
public static class SampleCertificate
{
    /// <summary>The KPCS statement, word for word (certificate.proto, field 19).</summary>
    public const string KpcsStatement =
        "The rough diamonds in this shipment have been handled in accordance with the provisions of the Kimberley Process Certification Scheme for rough diamonds";

    /// <summary>Days between the date of issue and the date of expiry.</summary>
    public const int ValidityDays = 30;

    /// <summary>
    /// The sample from <paramref name="issuer"/> to <paramref name="destination"/>, issued
    /// <paramref name="today"/>. <paramref name="number"/> defaults to ISSUER-YEAR-NNNNNN with a random
    /// six-digit NNNNNN; <paramref name="authority"/> to "ISSUER-KP" ("EU-BE", a seeded authority, for the EU).
    /// </summary>
    public static Certificate Create(string issuer, string destination, DateOnly today, string? number = null, string? authority = null)
    {
        number ??= $"{issuer}-{today.Year:D4}-{RandomNumberGenerator.GetInt32(0, 1_000_000):D6}";
        if (!number.StartsWith(issuer, StringComparison.Ordinal))
            throw new CliException($"a certificate number begins with the issuer's code {issuer}: '{number}' does not");

        var certificate = new Certificate
        {
            FormatVersion = 1,
            CertificateNumber = number,
            IssuingParticipant = issuer,
            // The authority must be one registered for the issuing participant (kpreg participants
            // show ISSUER lists them); "<ISSUER>-KP" is only a placeholder that a test registry may hold.
            IssuingAuthority = authority ?? (issuer == "EU" ? "EU-BE" : $"{issuer}-KP"),
            Exporter = new Party
            {
                Name = $"{issuer} Rough Diamond Exports Ltd",
                Address = $"Plot 1001, Diamond Park, Capital City, {issuer}",
                LicenceNumber = $"{issuer}-EXP-0042",
            },
            Importer = new Party
            {
                Name = $"{destination} Rough Trading NV",
                Address = destination == "EU" ? "Hoveniersstraat 22, 2018 Antwerpen, Belgium" : $"12 Trade Avenue, Capital City, {destination}",
            },
            Consignee = new Party
            {
                Name = $"{destination} Secure Diamond Logistics",
                Address = destination == "EU" ? "Schupstraat 9, 2018 Antwerpen, Belgium" : $"3 Airport Road, Capital City, {destination}",
            },
            DestinationParticipant = destination,
            Origin = new Origin { Mixed = false, Countries = { issuer == "EU" ? "BE" : issuer } },
            // OriginZone stays empty: it is required only of an ACTIVE_RESTRICTED issuer, and must then
            // name one of its approved zones.
            OriginZone = "",
            Lines =
            {
                // 7102.10: unsorted. 7102.31: non-industrial, unworked or simply sawn, cleaved or bruted.
                new Line { HsCode = "7102.10", CaratsHundredths = 152_347, ValueUsdCents = 123_456_789 },
                new Line { HsCode = "7102.31", CaratsHundredths = 87_425, ValueUsdCents = 98_765_432 },
            },
            NumberOfParcels = 3,
            SealIds = { $"{issuer}-SEAL-000117", $"{issuer}-SEAL-000118" },
            // A transit hub that is neither end of the shipment.
            TransitCountries = { issuer == "ZA" || destination == "ZA" ? "AE" : "ZA" },
            DateOfIssue = Format(today),
            DateOfExpiry = Format(today.AddDays(ValidityDays)),
            Statement = KpcsStatement,
        };
        certificate.TotalCaratsHundredths = certificate.Lines.Aggregate(0UL, (sum, line) => checked(sum + line.CaratsHundredths));
        certificate.TotalValueUsdCents = certificate.Lines.Aggregate(0UL, (sum, line) => checked(sum + line.ValueUsdCents));
        return certificate;
    }

    private static string Format(DateOnly date) => CertificateDates.ToText(date);
}
