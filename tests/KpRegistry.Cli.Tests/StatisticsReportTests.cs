using System.Text.RegularExpressions;
using System.Xml.Linq;
using KpRegistry.Contracts.Statistics.V1;
using KpRegistry.Reports;

namespace KpRegistry.Cli.Tests;

public sealed partial class StatisticsReportTests
{
    private static GetTradeStatisticsResponse Trade()
    {
        var trade = new GetTradeStatisticsResponse
        {
            Period = "2026-H2", FirstDay = "2026-07-01", LastDay = "2026-12-31",
            World = new Figures { CaratsHundredths = 300_00, ValueUsdCents = 45_000_00, UsdCentsPerCarat = 150_00, Certificates = 3 },
        };
        trade.Participants.Add(new ParticipantTrade
        {
            Participant = "BW",
            Exports = new Figures { CaratsHundredths = 300_00, ValueUsdCents = 45_000_00, UsdCentsPerCarat = 150_00, Certificates = 3 },
            Imports = new Figures(),
        });
        trade.Participants.Add(new ParticipantTrade
        {
            Participant = "EU",
            Exports = new Figures(),
            Imports = new Figures { CaratsHundredths = 300_00, ValueUsdCents = 45_000_00, UsdCentsPerCarat = 150_00, Certificates = 3 },
        });
        return trade;
    }

    [Fact]
    public void Html_PublicFiguresOnly_SaysReconciliationAndAnomaliesAreNotIncludedAndHasNoScript()
    {
        string html = StatisticsReport.Html(Trade(), null, null, "https://registry.example/");

        Assert.Contains("Not included: reconciliation is for admins and analysts", html);
        Assert.Contains("Not included: anomalies are for admins and analysts", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("US$150.00 per carat", html);
    }

    [Fact]
    public void Html_WithReconciliationAndAnomalies_EverySvgIsWellFormedXmlWithTitle()
    {
        var reconcile = new ReconcileResponse { Period = "2026-H2", AsOf = "2026-11-30", Tolerance = "t" };
        var pair = new PairReconciliation
        {
            Exporter = "BW", Importer = "EU",
            Exported = new Figures { Certificates = 3 }, Confirmed = new Figures { Certificates = 2 }, Detained = new Figures { Certificates = 1 },
            Unconfirmed = new Figures { Certificates = 1 }, ExpiredUnconfirmed = new Figures(),
        };
        pair.Differences.Add(new CertificateDifference { CertificateNumber = "BW-1", CertifiedCaratsHundredths = 100_00, ConfirmedCaratsHundredths = 90_00, DifferenceHundredths = 10_00 });
        reconcile.Pairs.Add(pair);
        var anomalies = new ListAnomaliesResponse { Period = "2026-H2", PriceRule = "p", JumpRule = "j", CertificatesExamined = 3 };
        anomalies.Anomalies.Add(new Anomaly { Kind = AnomalyKind.NonProducerOrigin, IssuingParticipant = "BW", CertificateNumber = "BW-<2>", Reason = "origin AE & more" });

        string html = StatisticsReport.Html(Trade(), reconcile, anomalies, "https://registry.example/");

        var charts = Svg().Matches(html);
        Assert.Equal(4, charts.Count);
        foreach (Match chart in charts)
        {
            XElement svg = XElement.Parse(chart.Value);
            Assert.Contains(svg.Elements(), e => e.Name.LocalName == "title");
        }
        Assert.Contains("BW-&lt;2&gt;", html);
        Assert.Contains("origin AE &amp; more", html);
        Assert.Contains("Weight differences", html);
    }

    [Fact]
    public void Csv_Trade_WorldAndEachParticipantDirectionInDollarsAndCarats()
    {
        string[] lines = StatisticsReport.Csv(Trade(), null, null).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("section,period,participant,direction,partner,hs_code,certificates,carats,usd,usd_per_carat", lines[0]);
        Assert.Equal("world,2026-H2,*,*,*,*,3,300.00,45000.00,150.00", lines[1]);
        Assert.Contains("trade,2026-H2,EU,import,*,*,3,300.00,45000.00,150.00", lines);
    }

    [GeneratedRegex("<svg[\\s\\S]*?</svg>")]
    private static partial Regex Svg();
}
