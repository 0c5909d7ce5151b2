using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto.Tests.TestSupport;

/// <summary>
/// The inputs of the golden vectors of docs/FORMAT.md: fixed keys and a fixed certificate. The
/// expected OUTPUTS live only in FORMAT.md and the test-vector data files, never here, so that a
/// change of code or document fails a test.
/// </summary>
internal static class TestVectors
{
    /// <summary>Test-vector seeds: SHA-256 of a public label. Anyone can derive them; they protect nothing.</summary>
    public static byte[] Seed(KeyAlgorithm algorithm) => SHA256.HashData(Encoding.ASCII.GetBytes(algorithm switch
    {
        KeyAlgorithm.Ed25519 => "kpregistry test vector ed25519",
        KeyAlgorithm.EcdsaP256 => "kpregistry test vector p-256",
        KeyAlgorithm.MlDsa65 => "kpregistry test vector ml-dsa-65",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    }));

    public static SigningKey Key(KeyAlgorithm algorithm) => SigningKey.FromTestVectorSeed(algorithm, Seed(algorithm));

    /// <summary>A realistic Botswana to EU (Antwerp) shipment: every Certificate field set.</summary>
    public static Certificate Certificate() => new()
    {
        FormatVersion = 1,
        CertificateNumber = "BW-2026-000123",
        IssuingParticipant = "BW",
        IssuingAuthority = "BW-MMEWR",
        Exporter = new Party
        {
            Name = "Kalahari Rough Exports (Pty) Ltd",
            Address = "Plot 50369, Fairground Office Park, Gaborone, Botswana",
            LicenceNumber = "BW-DEL-2026-0042",
        },
        Importer = new Party
        {
            Name = "Schelde Rough Trading NV",
            Address = "Hoveniersstraat 30, 2018 Antwerpen, Belgium",
        },
        Consignee = new Party
        {
            Name = "Antwerp Diamond Vault Services BV",
            Address = "Schupstraat 9, 2018 Antwerpen, Belgium",
        },
        DestinationParticipant = "EU",
        Origin = new Origin { Mixed = false, Countries = { "BW" } },
        OriginZone = "Jwaneng",
        Lines =
        {
            new Line { HsCode = "7102.10", CaratsHundredths = 125_050, ValueUsdCents = 187_575_000 },
            new Line { HsCode = "7102.21", CaratsHundredths = 340_000, ValueUsdCents = 10_200_000 },
            new Line { HsCode = "7102.31", CaratsHundredths = 84_225, ValueUsdCents = 210_562_500 },
        },
        TotalCaratsHundredths = 549_275,
        TotalValueUsdCents = 408_337_500,
        NumberOfParcels = 3,
        SealIds = { "BW-SEAL-0457781", "BW-SEAL-0457782", "BW-SEAL-0457783" },
        TransitCountries = { "ZA" },
        DateOfIssue = "2026-03-02",
        DateOfExpiry = "2026-05-01",
        Statement = "The rough diamonds in this shipment have been handled in accordance with the provisions of the Kimberley Process Certification Scheme for rough diamonds",
    };

    public static byte[] Payload() => Certificate().ToByteArray();

    public static byte[] CertificatePae() => Pae.Encode(PayloadTypes.Certificate, Payload());

    public static string CertificateJson() =>
        new JsonFormatter(JsonFormatter.Settings.Default.WithIndentation("  ")).Format(Certificate());
}
