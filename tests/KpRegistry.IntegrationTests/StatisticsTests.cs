using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Statistics.V1;
using KpRegistry.IntegrationTests.TestData;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// A registry with one quarter of trade, issued and confirmed through the real API (dates of
/// issue are today, so the period is the current quarter): BW exports seven certificates to the
/// EU (one at US$5,000/ct among prices of US$90-110/ct) and one to AE, ZA two to the EU, AE two to
/// the EU (one declaring origin AE, which produces no diamonds); a cancelled BW certificate that
/// must count nowhere. The EU confirms four of BW's: one as certified, one 50 hundredths light
/// (within the tolerance), one with broken seals (detained), one 100 carats light (detained, a
/// difference).
/// </summary>
public sealed class StatisticsFixture : RegistryFixture
{
    public static readonly string Quarter = $"{DateTime.UtcNow.Year}-Q{(DateTime.UtcNow.Month - 1) / 3 + 1}";

    /// <summary>Every counted certificate as issued, for figures computed by hand.</summary>
    public List<Certificate> Counted { get; } = [];

    public Certificate Outlier { get; private set; } = null!;
    public Certificate FromNonProducer { get; private set; } = null!;
    public Certificate Detained { get; private set; } = null!;
    public Certificate Light { get; private set; } = null!;
    public Certificate WithinTolerance { get; private set; } = null!;
    public Certificate Cancelled { get; private set; } = null!;
    public List<Certificate> Unconfirmed { get; } = [];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (string participant in new[] { "BW", "ZA", "AE", "EU" })
        {
            await EnsureKeyAsync(participant, KeyAlgorithm.Ed25519);
        }
        var bw = new List<Certificate>();
        foreach ((long carats, long value) in new[] { (100_000L, 10_000_000L), (100_000L, 10_500_000L), (100_000L, 9_500_000L), (200_000L, 22_000_000L), (50_000L, 4_500_000L) })
        {
            bw.Add(await IssueAsync("BW", "EU", "BW", (carats, value)));
        }
        bw.Add(await IssueAsync("BW", "EU", "BW", (150_000, 15_000_000), ("7102.21", 20_000, 3_000_000)));
        Outlier = await IssueAsync("BW", "EU", "BW", (1_000, 5_000_000));
        bw.Add(Outlier);
        await IssueAsync("BW", "AE", "BW", (40_000, 4_000_000));
        await IssueAsync("ZA", "EU", "ZA", (300_000, 30_000_000));
        await IssueAsync("ZA", "EU", "ZA", (80_000, 6_400_000));
        FromNonProducer = await IssueAsync("AE", "EU", "AE", (10_000, 800_000));
        await IssueAsync("AE", "EU", "BW", (20_000, 2_000_000));

        Cancelled = await IssueAsync("BW", "EU", "BW", (999_900, 99_990_000), counted: false);
        await Certificates("BW-authority").CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "BW", CertificateNumber = Cancelled.CertificateNumber, Reason = "shipment called off",
        });

        await ConfirmAsync(bw[0], c => { });
        WithinTolerance = bw[1];
        await ConfirmAsync(WithinTolerance, c => c.CaratsReceivedHundredths = 99_950);
        Detained = bw[2];
        await ConfirmAsync(Detained, c => { c.SealsIntact = false; c.BrokenSealIds.Add("SEAL-000981"); });
        Light = bw[3];
        await ConfirmAsync(Light, c => c.CaratsReceivedHundredths = 190_000);
        Unconfirmed.AddRange(bw.Skip(4));
    }

    private async Task<Certificate> IssueAsync(string issuer, string destination, string origin, (long Carats, long Value) first,
        (string HsCode, long Carats, long Value)? second = null, bool counted = true)
    {
        Certificate certificate = SampleCertificates.Valid(issuer, destination);
        certificate.IssuingAuthority = $"{issuer}-KP";
        certificate.Origin = new Origin { Mixed = false, Countries = { origin } };
        certificate.Lines.Clear();
        certificate.Lines.Add(new Line { HsCode = "7102.10", CaratsHundredths = (ulong)first.Carats, ValueUsdCents = (ulong)first.Value });
        if (second is { } line)
        {
            certificate.Lines.Add(new Line { HsCode = line.HsCode, CaratsHundredths = (ulong)line.Carats, ValueUsdCents = (ulong)line.Value });
        }
        certificate.TotalCaratsHundredths = (ulong)certificate.Lines.Sum(l => (long)l.CaratsHundredths);
        certificate.TotalValueUsdCents = (ulong)certificate.Lines.Sum(l => (long)l.ValueUsdCents);
        await Certificates($"{issuer}-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = certificate });
        if (counted)
        {
            Counted.Add(certificate);
        }
        return certificate;
    }

    private async Task ConfirmAsync(Certificate certificate, Action<ImportConfirmation> change)
    {
        GetCertificateResponse recorded = await Certificates("BW-authority").GetCertificateAsync(new GetCertificateRequest
        {
            IssuingParticipant = certificate.IssuingParticipant, CertificateNumber = certificate.CertificateNumber,
        });
        var confirmation = new ImportConfirmation
        {
            FormatVersion = 1,
            IssuingParticipant = certificate.IssuingParticipant,
            CertificateNumber = certificate.CertificateNumber,
            CertificatePayloadSha256 = recorded.Record.PayloadSha256,
            ImportingAuthority = "EU-BE",
            DateReceived = certificate.DateOfIssue,
            ParcelsReceived = certificate.NumberOfParcels,
            CaratsReceivedHundredths = certificate.TotalCaratsHundredths,
            SealsIntact = true,
        };
        change(confirmation);
        await Certificates("EU-authority").ConfirmImportAsync(new ConfirmImportRequest { Confirmation = confirmation });
    }
}

/// <summary>kp.statistics.v1.Statistics against a real server (issue 14): figures, reconciliation, anomalies, access.</summary>
public sealed class StatisticsTests(StatisticsFixture registry) : IClassFixture<StatisticsFixture>
{
    private Statistics.StatisticsClient Client(string name = "anonymous") => new(registry.As(name));

    private static long Carats(IEnumerable<Certificate> certificates) => certificates.Sum(c => (long)c.TotalCaratsHundredths);

    private static long Value(IEnumerable<Certificate> certificates) => certificates.Sum(c => (long)c.TotalValueUsdCents);

    /// <summary>US cents per carat, half up, computed here independently of the service.</summary>
    private static ulong CentsPerCarat(IEnumerable<Certificate> certificates) =>
        (ulong)Math.Round((decimal)Value(certificates) * 100 / Carats(certificates), MidpointRounding.AwayFromZero);

    private static void AssertFigures(IReadOnlyList<Certificate> expected, Figures actual)
    {
        Assert.Equal((ulong)Carats(expected), actual.CaratsHundredths);
        Assert.Equal((ulong)Value(expected), actual.ValueUsdCents);
        Assert.Equal((ulong)expected.Count, actual.Certificates);
        Assert.Equal(CentsPerCarat(expected), actual.UsdCentsPerCarat);
    }

    [Fact]
    public async Task GetTradeStatistics_Anonymous_ExportsImportsAndWorldEqualTheFiguresComputedByHand()
    {
        GetTradeStatisticsResponse stats = await Client().GetTradeStatisticsAsync(new GetTradeStatisticsRequest { Period = StatisticsFixture.Quarter });

        var counted = registry.Counted;
        AssertFigures(counted, stats.World);
        Assert.Equal(["AE", "BW", "EU", "ZA"], stats.Participants.Select(p => p.Participant));
        ParticipantTrade bw = stats.Participants.Single(p => p.Participant == "BW");
        AssertFigures([.. counted.Where(c => c.IssuingParticipant == "BW")], bw.Exports);
        Assert.Equal(0UL, bw.Imports.Certificates);
        Assert.Equal(["AE", "EU"], bw.ExportsByPartner.Select(p => p.Partner));
        AssertFigures([.. counted.Where(c => c.IssuingParticipant == "BW" && c.DestinationParticipant == "EU")], bw.ExportsByPartner.Single(p => p.Partner == "EU").Figures);
        ParticipantTrade eu = stats.Participants.Single(p => p.Participant == "EU");
        AssertFigures([.. counted.Where(c => c.DestinationParticipant == "EU")], eu.Imports);
        Assert.Equal(["AE", "BW", "ZA"], eu.ImportsByPartner.Select(p => p.Partner));
        AssertFigures([.. counted.Where(c => c.IssuingParticipant == "ZA")], eu.ImportsByPartner.Single(p => p.Partner == "ZA").Figures);
        // The one 7102.21 line (200 carats, US$30,000) of one BW certificate: US$150.00/ct.
        HsCodeFigures industrial = bw.ExportsByHsCode.Single(h => h.HsCode == "7102.21");
        Assert.Equal(new Figures { CaratsHundredths = 20_000, ValueUsdCents = 3_000_000, UsdCentsPerCarat = 15_000, Certificates = 1 }, industrial.Figures);
        Assert.Equal((ulong)counted.Count, stats.WorldByHsCode.Single(h => h.HsCode == "7102.10").Figures.Certificates);
        Assert.Empty(stats.Certificates);
    }

    [Fact]
    public async Task GetTradeStatistics_YearAndHalfYear_ContainTheQuarter()
    {
        string year = StatisticsFixture.Quarter[..4];
        string half = year + (StatisticsFixture.Quarter[^1] <= '2' ? "-H1" : "-H2");

        GetTradeStatisticsResponse byYear = await Client().GetTradeStatisticsAsync(new GetTradeStatisticsRequest { Period = year });
        GetTradeStatisticsResponse byHalf = await Client().GetTradeStatisticsAsync(new GetTradeStatisticsRequest { Period = half });

        AssertFigures(registry.Counted, byYear.World);
        AssertFigures(registry.Counted, byHalf.World);
        Assert.Equal($"{year}-01-01", byYear.FirstDay);
    }

    [Fact]
    public async Task GetTradeStatistics_OneParticipant_OnlyItsFiguresAndTheWholeWorld()
    {
        GetTradeStatisticsResponse stats = await Client().GetTradeStatisticsAsync(new GetTradeStatisticsRequest { Period = StatisticsFixture.Quarter, Participant = "ZA" });

        ParticipantTrade za = Assert.Single(stats.Participants);
        AssertFigures([.. registry.Counted.Where(c => c.IssuingParticipant == "ZA")], za.Exports);
        AssertFigures(registry.Counted, stats.World);
    }

    [Theory]
    [InlineData("2026-H3")]
    [InlineData("26")]
    [InlineData("2026-Q5")]
    [InlineData("")]
    public async Task GetTradeStatistics_BadPeriod_InvalidArgument(string period)
    {
        RpcException e = await Assert.ThrowsAsync<RpcException>(() => Client().GetTradeStatisticsAsync(new GetTradeStatisticsRequest { Period = period }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("period", e.Status.Detail);
    }

    [Fact]
    public async Task GetTradeStatistics_UnknownParticipant_InvalidArgument()
    {
        RpcException e = await Assert.ThrowsAsync<RpcException>(() =>
            Client().GetTradeStatisticsAsync(new GetTradeStatisticsRequest { Period = StatisticsFixture.Quarter, Participant = "XX" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task GetTradeStatistics_CertificatesAnonymous_Unauthenticated()
    {
        RpcException e = await Assert.ThrowsAsync<RpcException>(() =>
            Client().GetTradeStatisticsAsync(new GetTradeStatisticsRequest { Period = StatisticsFixture.Quarter, IncludeCertificates = true }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task GetTradeStatistics_CertificatesByAnAuthority_OnlyItsOwnParticipants()
    {
        GetTradeStatisticsResponse stats = await Client("ZA-authority").GetTradeStatisticsAsync(new GetTradeStatisticsRequest { Period = StatisticsFixture.Quarter, IncludeCertificates = true });

        Assert.Equal(registry.Counted.Where(c => c.IssuingParticipant == "ZA").Select(c => c.CertificateNumber).Order(StringComparer.Ordinal),
            stats.Certificates.Select(c => c.CertificateNumber));
        Assert.All(stats.Certificates, c => Assert.Equal("ZA", c.IssuingParticipant));
    }

    [Fact]
    public async Task GetTradeStatistics_CertificatesOfAnotherParticipantByAnAuthority_PermissionDenied()
    {
        RpcException e = await Assert.ThrowsAsync<RpcException>(() => Client("ZA-authority").GetTradeStatisticsAsync(
            new GetTradeStatisticsRequest { Period = StatisticsFixture.Quarter, Participant = "BW", IncludeCertificates = true }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Theory]
    [InlineData("analyst")]
    [InlineData("admin")]
    public async Task GetTradeStatistics_CertificatesByAnalystOrAdmin_EveryCountedCertificateWithState(string caller)
    {
        GetTradeStatisticsResponse stats = await Client(caller).GetTradeStatisticsAsync(new GetTradeStatisticsRequest { Period = StatisticsFixture.Quarter, IncludeCertificates = true });

        Assert.Equal(registry.Counted.Count, stats.Certificates.Count);
        Assert.DoesNotContain(stats.Certificates, c => c.CertificateNumber == registry.Cancelled.CertificateNumber);
        Assert.Equal(CertificateState.Detained, stats.Certificates.Single(c => c.CertificateNumber == registry.Light.CertificateNumber).State);
        Assert.Equal(["AE"], stats.Certificates.Single(c => c.CertificateNumber == registry.FromNonProducer.CertificateNumber).OriginCountries);
    }

    [Fact]
    public async Task Reconcile_Analyst_FindsTheUnconfirmedTheDetainedAndTheCaratDifference()
    {
        ReconcileResponse reconciled = await Client("analyst").ReconcileAsync(new ReconcileRequest { Period = StatisticsFixture.Quarter });

        PairReconciliation bwEu = reconciled.Pairs.Single(p => p.Exporter == "BW" && p.Importer == "EU");
        var exported = registry.Counted.Where(c => c.IssuingParticipant == "BW" && c.DestinationParticipant == "EU").ToList();
        AssertFigures(exported, bwEu.Exported);
        Assert.Equal(4UL, bwEu.Confirmed.Certificates);
        // Received as weighed: 1000 ct, 999.50 ct, 1000 ct (detained for its seals), 1900 ct (100 ct light).
        Assert.Equal(100_000UL + 99_950 + 100_000 + 190_000, bwEu.Confirmed.CaratsHundredths);
        Assert.Equal(50L + 10_000, bwEu.CaratsDifferenceHundredths);
        Assert.Equal(registry.Unconfirmed.Select(c => c.CertificateNumber).Order(StringComparer.Ordinal), bwEu.UnconfirmedCertificates);
        AssertFigures(registry.Unconfirmed, bwEu.Unconfirmed);
        Assert.Equal(new[] { registry.Detained, registry.Light }.Select(c => c.CertificateNumber).Order(StringComparer.Ordinal), bwEu.DetainedCertificates);
        Assert.Equal(2UL, bwEu.Detained.Certificates);
        CertificateDifference difference = Assert.Single(bwEu.Differences);
        Assert.Equal(registry.Light.CertificateNumber, difference.CertificateNumber);
        Assert.Equal(10_000L, difference.DifferenceHundredths);
        // 100 of 2000 carats at the certificate's US$110/ct.
        Assert.Equal(1_100_000UL, difference.ValueDifferenceUsdCents);
        Assert.Empty(bwEu.ExpiredUnconfirmedCertificates);
        Assert.Equal(0UL, bwEu.ExpiredUnconfirmed.Certificates);
        PairReconciliation zaEu = reconciled.Pairs.Single(p => p.Exporter == "ZA" && p.Importer == "EU");
        Assert.Equal(2UL, zaEu.Unconfirmed.Certificates);
        Assert.Empty(zaEu.Differences);
    }

    [Fact]
    public async Task ListAnomalies_Admin_FlagsThePlantedPriceOutlierAndNonProducerOriginAndNothingElse()
    {
        ListAnomaliesResponse anomalies = await Client("admin").ListAnomaliesAsync(new ListAnomaliesRequest { Period = StatisticsFixture.Quarter });

        Assert.Equal((ulong)registry.Counted.Count, anomalies.CertificatesExamined);
        Assert.Equal(
            [
                (AnomalyKind.PriceOutlierIssuer, registry.Outlier.CertificateNumber, ""),
                (AnomalyKind.PriceOutlierOrigin, registry.Outlier.CertificateNumber, "BW"),
                (AnomalyKind.NonProducerOrigin, registry.FromNonProducer.CertificateNumber, "AE"),
            ],
            anomalies.Anomalies.Select(a => (a.Kind, a.CertificateNumber, a.OriginCountry)));
        Anomaly price = anomalies.Anomalies[0];
        Assert.Equal(500_000UL, price.UsdCentsPerCarat);
        Assert.Equal(10_250UL, price.MedianUsdCentsPerCarat);
        Assert.True(price.RobustScoreMilli > 3_500, price.Reason);
    }

    [Theory]
    [InlineData("anonymous", StatusCode.Unauthenticated)]
    [InlineData("BW-authority", StatusCode.PermissionDenied)]
    public async Task ReconcileAndListAnomalies_NotAnalystOrAdmin_Refused(string caller, StatusCode expected)
    {
        RpcException reconcile = await Assert.ThrowsAsync<RpcException>(() => Client(caller).ReconcileAsync(new ReconcileRequest { Period = StatisticsFixture.Quarter }).ResponseAsync);
        RpcException anomalies = await Assert.ThrowsAsync<RpcException>(() => Client(caller).ListAnomaliesAsync(new ListAnomaliesRequest { Period = StatisticsFixture.Quarter }).ResponseAsync);

        Assert.Equal(expected, reconcile.StatusCode);
        Assert.Equal(expected, anomalies.StatusCode);
    }

    [Fact]
    public async Task ReconcileAndListAnomalies_Analyst_CannotChangeAnything()
    {
        RpcException e = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates("analyst").CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "ZA", CertificateNumber = registry.Counted.First(c => c.IssuingParticipant == "ZA").CertificateNumber, Reason = "not an analyst's call",
        }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }
}
