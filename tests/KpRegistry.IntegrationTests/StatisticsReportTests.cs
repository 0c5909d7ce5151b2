using System.Security.Cryptography;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Statistics.V1;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Registry;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// The sample report of docs/ (issue 14): two years of generated trade, seeded through the store
/// (the past cannot be issued through the API, whose date of issue is today), with planted
/// anomalies; kpreg writes the report as an analyst, the test checks that it parses, that its SVG
/// is well-formed XML, that the planted anomalies are found, and counts the false positives.
/// The report is written to docs/statistics-sample.html on every run (like the screenshots).
/// </summary>
public sealed class StatisticsReportTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    /// <summary>Ordinary certificates the rules flag on the generated data: stated in docs/STATISTICS.md.</summary>
    private const int ExpectedFalsePositives = 1;

    /// <summary>The sample's half-year: the generated data are fixed (2025 and 2026), whatever the day of the run.</summary>
    private const string Period = "2026-H2";

    [Fact]
    public async Task Report_TwoYearsOfGeneratedTrade_ParsesValidSvgPlantedAnomaliesFoundFalsePositivesCounted()
    {
        SampleTrade sample = await SeedAsync();
        string period = Period;
        string folder = Directory.CreateTempSubdirectory("kpreg-stats-").FullName;
        string html = Path.Combine(folder, "report.html");
        string csv = Path.Combine(folder, "report.csv");

        var (exit, output, error) = await registry.KpregAsync("statistics", "report", "--period", period, "--out", html, "--as", "analyst");
        var (csvExit, _, csvError) = await registry.KpregAsync("statistics", "report", "--period", period, "--out", csv, "--format", "csv", "--as", "analyst");
        ListAnomaliesResponse anomalies = await new Statistics.StatisticsClient(registry.As("analyst")).ListAnomaliesAsync(new ListAnomaliesRequest { Period = period });

        Assert.True(exit == 0, output + error);
        Assert.True(csvExit == 0, csvError);
        string text = await File.ReadAllTextAsync(html, TestContext.Current.CancellationToken);
        var document = new HtmlParser(new HtmlParserOptions { IsStrictMode = true }).ParseDocument(text);
        Assert.StartsWith("KP trade statistics", document.Title);
        Assert.Empty(document.QuerySelectorAll("script"));
        Assert.DoesNotContain(document.All, e => (e.GetAttribute("src") ?? e.GetAttribute("href") ?? "").Contains("://", StringComparison.Ordinal));
        var charts = document.QuerySelectorAll("svg");
        Assert.True(charts.Length >= 4, $"{charts.Length} charts");
        foreach (var chart in charts)
        {
            XElement svg = XElement.Parse(chart.OuterHtml);
            Assert.Equal("svg", svg.Name.LocalName);
            Assert.Contains(svg.Elements(), e => e.Name.LocalName == "rect");
        }
        Assert.StartsWith("section,period,participant", await File.ReadAllTextAsync(csv, TestContext.Current.CancellationToken));

        var flagged = anomalies.Anomalies.Where(a => a.CertificateNumber.Length > 0).Select(a => a.CertificateNumber).ToHashSet();
        Assert.Contains(sample.Overpriced, flagged);
        Assert.Contains(sample.Underpriced, flagged);
        Assert.Contains(anomalies.Anomalies, a => a.Kind == AnomalyKind.NonProducerOrigin && a.CertificateNumber == sample.NonProducer);
        Assert.Contains(anomalies.Anomalies, a => a.Kind == AnomalyKind.ExportJump && a.IssuingParticipant == "AE" && a.Partner == "IN");
        var falsePositives = flagged.Except([sample.Overpriced, sample.Underpriced, sample.NonProducer])
            .Concat(anomalies.Anomalies.Where(a => a.Kind == AnomalyKind.ExportJump && !(a.IssuingParticipant == "AE" && a.Partner == "IN")).Select(a => $"{a.IssuingParticipant}->{a.Partner}"))
            .ToList();
        Assert.True(falsePositives.Count == ExpectedFalsePositives,
            $"{falsePositives.Count} ordinary certificates flagged among {anomalies.CertificatesExamined}: {string.Join(", ", falsePositives)}");

        File.Copy(html, Path.Combine(RepositoryFolder(), "docs", "statistics-sample.html"), overwrite: true);
    }

    private sealed record SampleTrade(string Overpriced, string Underpriced, string NonProducer);

    private sealed record Profile(string Code, string[] Origins, bool Mixed, double DollarsPerCarat, string[] Destinations);

    /// <summary>
    /// 2025 and 2026 of exports of six participants (BW, NA, CA, ZA producers; AE and IN re-exporters of
    /// mixed parcels), prices normally spread 8% around each one's own level; most certificates
    /// confirmed a few days after issue, some never (expired), one 30 carats light. Planted: a BW
    /// parcel at US$1,900/ct, a ZA parcel at US$14/ct, an AE certificate declaring origin AE, and
    /// AE's exports to IN tripled in 2026-H2 (several times 2025-H2's).
    /// </summary>
    private async Task<SampleTrade> SeedAsync()
    {
        Profile[] profiles =
        [
            new("BW", ["BW"], false, 160, ["EU", "AE", "IN"]),
            new("NA", ["NA"], false, 520, ["EU", "AE"]),
            new("CA", ["CA"], false, 230, ["EU", "IN"]),
            new("ZA", ["ZA"], false, 140, ["EU", "AE"]),
            new("AE", ["BW", "ZA", "NA"], true, 170, ["IN", "EU"]),
            new("IN", ["BW", "CA"], true, 135, ["AE", "EU"]),
        ];
        var keys = new Dictionary<string, string>();
        foreach (string code in profiles.Select(p => p.Code).Append("EU"))
        {
            keys[code] = (await registry.EnsureKeyAsync(code, KeyAlgorithm.Ed25519)).KeyId;
        }
        RegistryStore store = registry.Server.Services.GetRequiredService<RegistryStore>();
        var random = new Random(14);
        var batch = new List<(Certificate Certificate, bool Confirm, long? ReceivedCarats)>();
        DateOnly halfStart = new(2026, 7, 1);
        string overpriced = "", underpriced = "", nonProducer = "";
        int sequence = 0;
        Certificate Make(Profile p, string destination, DateOnly issued, double dollarsPerCarat, string[]? origins = null, bool? mixed = null)
        {
            long carats = random.NextInt64(500_00, 5_000_00);
            long value = (long)Math.Round(carats * dollarsPerCarat);
            var certificate = SampleCertificates.Valid(p.Code, destination, $"{p.Code}-S{issued.Year}-{++sequence:D5}");
            certificate.IssuingAuthority = $"{p.Code}-KP";
            certificate.Origin = new Origin { Mixed = mixed ?? p.Mixed, Countries = { origins ?? p.Origins } };
            certificate.DateOfIssue = issued.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            certificate.DateOfExpiry = issued.AddDays(60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            certificate.Lines.Clear();
            certificate.Lines.Add(new Line { HsCode = random.Next(10) == 0 ? "7102.21" : "7102.10", CaratsHundredths = (ulong)carats, ValueUsdCents = (ulong)value });
            certificate.TotalCaratsHundredths = (ulong)carats;
            certificate.TotalValueUsdCents = (ulong)value;
            return certificate;
        }
        double Noise() => 1 + 0.08 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        for (var month = new DateOnly(2025, 1, 1); month.Year <= 2026; month = month.AddMonths(1))
        {
            foreach (Profile p in profiles)
            {
                int count = p.Code == "AE" && month >= halfStart ? 6 : 2;
                for (int i = 0; i < count; i++)
                {
                    var issued = month.AddDays(random.Next(0, 28));
                    string destination = p.Code == "AE" && month >= halfStart ? "IN" : p.Destinations[random.Next(p.Destinations.Length)];
                    Certificate c = Make(p, destination, issued, p.DollarsPerCarat * Noise());
                    // Confirmed, except December 2026's (still open) and one in twelve (never: it expires).
                    bool confirm = month < new DateOnly(2026, 12, 1) && random.Next(12) != 0;
                    batch.Add((c, confirm, null));
                }
            }
        }
        var planted = new DateOnly(2026, 9, 15);
        Certificate over = Make(profiles[0], "EU", planted, 1_900);
        Certificate under = Make(profiles[3], "AE", planted, 14);
        Certificate fromAe = Make(profiles[4], "EU", planted, 170, ["AE"], false);
        Certificate light = Make(profiles[2], "EU", planted, 230 * Noise());
        batch.Add((over, false, null));
        batch.Add((under, false, null));
        batch.Add((fromAe, false, null));
        batch.Add((light, true, (long)light.TotalCaratsHundredths - 30_00));
        overpriced = over.CertificateNumber;
        underpriced = under.CertificateNumber;
        nonProducer = fromAe.CertificateNumber;

        foreach (var chunk in batch.Chunk(200))
        {
            await store.AddCertificatesAsync([.. chunk.Select(x => new CertificateToRecord(New(x.Certificate, keys[x.Certificate.IssuingParticipant]),
                new AuditEntry("statistics-sample", "certificate.generate", $"{x.Certificate.IssuingParticipant}/{x.Certificate.CertificateNumber}")))],
                TestContext.Current.CancellationToken);
        }
        foreach (var (certificate, _, received) in batch.Where(x => x.Confirm))
        {
            long carats = received ?? (long)certificate.TotalCaratsHundredths;
            string destination = certificate.DestinationParticipant;
            var confirmation = new ImportConfirmation
            {
                FormatVersion = 1, IssuingParticipant = certificate.IssuingParticipant, CertificateNumber = certificate.CertificateNumber,
                ImportingParticipant = destination, ImportingAuthority = destination == "EU" ? "EU-BE" : $"{destination}-KP",
                DateReceived = certificate.DateOfIssue, ParcelsReceived = certificate.NumberOfParcels, CaratsReceivedHundredths = (ulong)carats, SealsIntact = true,
            };
            byte[] envelope = new SignedEnvelope { PayloadType = PayloadTypes.ImportConfirmation, Payload = confirmation.ToByteString() }.ToByteArray();
            bool differs = received is not null;
            await store.ConfirmImportAsync(certificate.IssuingParticipant, certificate.CertificateNumber,
                new NewImportConfirmation(envelope, keys[destination], destination, confirmation.ImportingAuthority, carats),
                new NewCertificateEvent(differs ? CertificateEventKind.Detained : CertificateEventKind.Received, differs ? "detained on arrival: weight" : "import confirmed"),
                new AuditEntry("statistics-sample", "certificate.import.generate", $"{certificate.IssuingParticipant}/{certificate.CertificateNumber}"),
                TestContext.Current.CancellationToken);
        }
        return new SampleTrade(overpriced, underpriced, nonProducer);
    }

    /// <summary>
    /// The row of a generated certificate. Its envelope carries the certificate unsigned: these rows
    /// exist only for statistics, which read the recorded figures and never the signature.
    /// </summary>
    private static NewCertificate New(Certificate c, string keyId)
    {
        byte[] payload = c.ToByteArray();
        byte[] envelope = new SignedEnvelope { PayloadType = PayloadTypes.Certificate, Payload = ByteString.CopyFrom(payload) }.ToByteArray();
        return new NewCertificate(c.IssuingParticipant, c.CertificateNumber, c.IssuingAuthority, keyId, envelope, SHA256.HashData(payload),
            DateOnly.ParseExact(c.DateOfIssue, "yyyy-MM-dd"), DateOnly.ParseExact(c.DateOfExpiry, "yyyy-MM-dd"), c.DestinationParticipant,
            (long)c.TotalCaratsHundredths, (long)c.TotalValueUsdCents, null, Server.Application.StatisticsService.TradeDetail(c));
    }

    private static string RepositoryFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KpRegistry.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("KpRegistry.sln not found above " + AppContext.BaseDirectory);
    }
}
