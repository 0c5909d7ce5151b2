using KpRegistry.Domain.Statistics;

namespace KpRegistry.Domain.Tests.Statistics;

public sealed class AnomalyRulesTests
{
    private static PricedCertificate At(string number, long dollarsPerCarat, string issuer = "BW", string origin = "BW") =>
        new(issuer, number, "EU", 100_00, dollarsPerCarat * 100 * 100, [origin], false);

    [Fact]
    public void Find_OnePriceFarOutAmongOrdinaryOnes_OnlyThatOneForIssuerAndOrigin()
    {
        var certificates = new[] { 100L, 104, 96, 110, 90, 102, 98 }.Select((p, i) => At($"BW-{i}", p)).Append(At("BW-X", 2_000)).ToList();

        IReadOnlyList<AnomalyFinding> findings = new AnomalyRules().Find(certificates, [], []);

        Assert.Equal([(AnomalyKind.PriceOutlierIssuer, "BW-X"), (AnomalyKind.PriceOutlierOrigin, "BW-X")], findings.Select(f => (f.Kind, f.CertificateNumber)));
        Assert.Equal(200_000, findings[0].CentsPerCarat);
        Assert.Equal(10_100, findings[0].MedianCentsPerCarat);
    }

    [Fact]
    public void Find_FewerThanTheMinimumGroup_NoPriceFlag()
    {
        var certificates = new[] { 100L, 101, 99, 5_000 }.Select((p, i) => At($"BW-{i}", p)).ToList();

        Assert.Empty(new AnomalyRules().Find(certificates, [], []));
    }

    [Fact]
    public void Find_AllPricesEqualSoMadZero_NoPriceFlag()
    {
        var certificates = Enumerable.Range(0, 6).Select(i => At($"BW-{i}", 100)).Append(At("BW-X", 101)).ToList();

        Assert.Empty(new AnomalyRules().Find(certificates, [], []));
    }

    [Fact]
    public void Find_OriginWithoutProduction_Flagged()
    {
        IReadOnlyList<AnomalyFinding> findings = new AnomalyRules().Find([At("AE-1", 100, "AE", "AE"), At("AE-2", 100, "AE", "BW")], [], []);

        AnomalyFinding finding = Assert.Single(findings);
        Assert.Equal((AnomalyKind.NonProducerOrigin, "AE-1", "AE"), (finding.Kind, finding.CertificateNumber, finding.OriginCountry));
    }

    [Fact]
    public void Find_PairExportsDoubledByMoreThanAMillion_ExportJump()
    {
        var rules = new AnomalyRules();
        PairExports[] now = [new("AE", "IN", 1, 300_000_000, 3), new("BW", "EU", 1, 199_000_000, 2), new("ZA", "EU", 1, 1_000_000, 1)];
        PairExports[] before = [new("AE", "IN", 1, 100_000_000, 1), new("BW", "EU", 1, 100_000_000, 1), new("ZA", "EU", 1, 100_000, 1)];

        IReadOnlyList<AnomalyFinding> findings = rules.Find([], now, before);

        // AE->IN tripled (+US$2m): flagged. BW->EU 1.99x: not. ZA->EU 10x but only +US$9,000: not.
        AnomalyFinding jump = Assert.Single(findings);
        Assert.Equal((AnomalyKind.ExportJump, "AE", "IN"), (jump.Kind, jump.IssuingParticipant, jump.Partner));
        Assert.Equal(100_000_000, jump.Previous!.ValueUsdCents);
    }

    [Fact]
    public void Median_EvenCount_MeanOfTheMiddleTwo()
    {
        Assert.Equal(2.5, RobustStatistics.Median([4, 1, 3, 2]));
        Assert.Equal(1, RobustStatistics.Mad([1, 2, 3, 4, 100], 3));
    }

    [Theory]
    [InlineData(100_00, 10_000_00, 10_000)]
    [InlineData(3, 1, 33)]
    [InlineData(3, 2, 67)]
    [InlineData(0, 5, 0)]
    public void CentsPerCarat_Totals_RoundedHalfUp(long caratsHundredths, long valueCents, long expected)
    {
        Assert.Equal(expected, StatisticsMath.CentsPerCarat(caratsHundredths, valueCents));
    }
}
