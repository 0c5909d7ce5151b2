using KpRegistry.Contracts.Certificate.V1;

namespace KpRegistry.Cli.Tests;

public sealed class SampleCertificateTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);

    [Fact]
    public void Create_Defaults_TotalsEqualLineSums()
    {
        var certificate = SampleCertificate.Create("BW", "EU", Today);

        Assert.Equal(2, certificate.Lines.Count);
        Assert.Equal(certificate.Lines.Sum(l => (decimal)l.CaratsHundredths), certificate.TotalCaratsHundredths);
        Assert.Equal(certificate.Lines.Sum(l => (decimal)l.ValueUsdCents), certificate.TotalValueUsdCents);
    }

    [Fact]
    public void Create_Defaults_FillsEveryRequiredField()
    {
        var certificate = SampleCertificate.Create("BW", "EU", Today);

        Assert.Equal(1u, certificate.FormatVersion);
        Assert.Equal("BW", certificate.IssuingParticipant);
        Assert.Equal("BW-KP", certificate.IssuingAuthority);
        Assert.Equal("EU", certificate.DestinationParticipant);
        Assert.Equal(["7102.10", "7102.31"], certificate.Lines.Select(l => l.HsCode));
        Assert.All(certificate.Lines, l => Assert.True(l.CaratsHundredths > 0 && l.ValueUsdCents > 0));
        Assert.False(string.IsNullOrEmpty(certificate.Exporter.Name));
        Assert.False(string.IsNullOrEmpty(certificate.Exporter.Address));
        Assert.False(string.IsNullOrEmpty(certificate.Importer.Name));
        Assert.False(string.IsNullOrEmpty(certificate.Importer.Address));
        Assert.Equal(["BW"], certificate.Origin.Countries);
        Assert.True(certificate.NumberOfParcels >= 1);
        Assert.Equal(
            "The rough diamonds in this shipment have been handled in accordance with the provisions of the Kimberley Process Certification Scheme for rough diamonds",
            certificate.Statement);
    }

    [Fact]
    public void Create_Defaults_NumberIsIssuerYearAndSixDigits()
    {
        var certificate = SampleCertificate.Create("BW", "EU", Today);

        Assert.Matches("^BW-2026-[0-9]{6}$", certificate.CertificateNumber);
    }

    [Fact]
    public void Create_Defaults_ExpiresThirtyDaysAfterIssue()
    {
        var certificate = SampleCertificate.Create("BW", "EU", Today);

        Assert.Equal("2026-03-15", certificate.DateOfIssue);
        Assert.Equal("2026-04-14", certificate.DateOfExpiry);
    }

    [Fact]
    public void Create_NumberAndAuthorityGiven_UsesThem()
    {
        var certificate = SampleCertificate.Create("BW", "EU", Today, "BW-2026-000001", "BW-MMEWR");

        Assert.Equal("BW-2026-000001", certificate.CertificateNumber);
        Assert.Equal("BW-MMEWR", certificate.IssuingAuthority);
    }

    [Fact]
    public void Create_NumberWithoutIssuerPrefix_Throws()
    {
        var error = Assert.Throws<CliException>(() => SampleCertificate.Create("BW", "EU", Today, "ZA-2026-000001"));

        Assert.Contains("ZA-2026-000001", error.Message);
    }

    [Fact]
    public void Create_EuIssuer_OriginIsAMemberState()
    {
        var certificate = SampleCertificate.Create("EU", "AE", Today);

        Assert.Equal(["BE"], certificate.Origin.Countries);
        Assert.DoesNotContain("AE", certificate.TransitCountries);
    }

    [Fact]
    public void Create_Sample_SurvivesBinaryRoundTrip()
    {
        var certificate = SampleCertificate.Create("BW", "EU", Today);

        Assert.Equal(certificate, Certificate.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(certificate)));
    }
}
