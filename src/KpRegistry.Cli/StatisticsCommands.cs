using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using KpRegistry.Contracts.Statistics.V1;
using KpRegistry.Reports;

namespace KpRegistry.Cli;

/// <summary>
/// <c>kpreg statistics trade|reconcile|anomalies|report</c> (issue 14, docs/STATISTICS.md): the
/// registry's trade statistics, reconciliation and anomalies for a period, as text, JSON, CSV or
/// one self-contained HTML report.
/// </summary>
internal static class StatisticsCommands
{
    public static Command Build(KpregContext context, CommonOptions common)
    {
        var group = new Command("statistics", "Trade statistics from the recorded certificates: figures, reconciliation, anomalies, reports");
        group.Subcommands.Add(Trade(context, common));
        group.Subcommands.Add(Reconcile(context, common));
        group.Subcommands.Add(Anomalies(context, common));
        group.Subcommands.Add(Report(context, common));
        return group;
    }

    private static Option<string> PeriodOption() =>
        new("--period") { Description = "A year (2026), half-year (2026-H2) or quarter (2026-Q3), by date of issue", Required = true, HelpName = "PERIOD" };

    private static Option<string> ParticipantOption() =>
        new("--participant") { Description = "One participant's figures (e.g. BW); all when omitted", HelpName = "CODE" };

    private static Command Trade(KpregContext context, CommonOptions common)
    {
        var period = PeriodOption();
        var participant = ParticipantOption();
        var certificates = new Option<bool>("--certificates") { Description = "Also list the certificates (an authority: its own; admin and analyst: all)" };
        var command = new Command("trade", "Exports and imports per participant, partner and HS code, and the world totals") { period, participant, certificates };
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse);
            GetTradeStatisticsResponse response = await new Statistics.StatisticsClient(channel).GetTradeStatisticsAsync(new GetTradeStatisticsRequest
            {
                Period = parse.GetValue(period)!, Participant = parse.GetValue(participant) ?? "", IncludeCertificates = parse.GetValue(certificates),
            }, cancellationToken: ct).ConfigureAwait(false);
            if (parse.GetValue(common.Json))
            {
                Output.Print(context.Output, true, response);
            }
            else
            {
                PrintTrade(context.Output, response);
            }
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Reconcile(KpregContext context, CommonOptions common)
    {
        var period = PeriodOption();
        var participant = ParticipantOption();
        var command = new Command("reconcile", "Each pair's exports against the importer's confirmations (admin or analyst)") { period, participant };
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse);
            ReconcileResponse response = await new Statistics.StatisticsClient(channel).ReconcileAsync(new ReconcileRequest
            {
                Period = parse.GetValue(period)!, Participant = parse.GetValue(participant) ?? "",
            }, cancellationToken: ct).ConfigureAwait(false);
            if (parse.GetValue(common.Json))
            {
                Output.Print(context.Output, true, response);
                return KpregCli.ExitOk;
            }
            var w = context.Output;
            w.WriteLine($"Reconciliation {response.Period}, as of {response.AsOf}");
            foreach (PairReconciliation p in response.Pairs)
            {
                w.WriteLine($"{p.Exporter} -> {p.Importer}: exported {p.Exported.Certificates}, confirmed {p.Confirmed.Certificates}, unconfirmed {p.Unconfirmed.Certificates}, " +
                    $"expired unconfirmed {p.ExpiredUnconfirmed.Certificates}, detained {p.Detained.Certificates}, weight difference {Carats(p.CaratsDifferenceHundredths)} ct");
                foreach (CertificateDifference d in p.Differences)
                {
                    w.WriteLine($"  difference {d.CertificateNumber}: certified {Carats((long)d.CertifiedCaratsHundredths)} ct, confirmed {Carats((long)d.ConfirmedCaratsHundredths)} ct");
                }
                Numbers(w, "unconfirmed", p.UnconfirmedCertificates);
                Numbers(w, "expired", p.ExpiredUnconfirmedCertificates);
                Numbers(w, "detained", p.DetainedCertificates);
            }
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Anomalies(KpregContext context, CommonOptions common)
    {
        var period = PeriodOption();
        var participant = ParticipantOption();
        var command = new Command("anomalies", "Certificates and pairs an analyst should look at, with the reason (admin or analyst)") { period, participant };
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse);
            ListAnomaliesResponse response = await new Statistics.StatisticsClient(channel).ListAnomaliesAsync(new ListAnomaliesRequest
            {
                Period = parse.GetValue(period)!, Participant = parse.GetValue(participant) ?? "",
            }, cancellationToken: ct).ConfigureAwait(false);
            if (parse.GetValue(common.Json))
            {
                Output.Print(context.Output, true, response);
                return KpregCli.ExitOk;
            }
            context.Output.WriteLine($"Anomalies {response.Period}: {response.Anomalies.Count} among {response.CertificatesExamined} certificates");
            foreach (Anomaly a in response.Anomalies)
            {
                string subject = a.CertificateNumber.Length > 0 ? a.CertificateNumber : $"{a.IssuingParticipant} -> {a.Partner}";
                context.Output.WriteLine($"{StatisticsReport.KindName(a.Kind)}: {subject}: {a.Reason}");
            }
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Report(KpregContext context, CommonOptions common)
    {
        var period = PeriodOption();
        var output = new Option<string>("--out") { Description = "The file to write (report.html or report.csv)", Required = true, HelpName = "FILE" };
        var format = new Option<string>("--format") { Description = "html (default) or csv", HelpName = "FORMAT", DefaultValueFactory = _ => "html" };
        format.AcceptOnlyFromAmong("html", "csv");
        var command = new Command("report", "One self-contained HTML report with SVG charts (or CSV): figures, and for admins and analysts reconciliation and anomalies")
        {
            period, output, format,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse);
            var client = new Statistics.StatisticsClient(channel);
            string name = parse.GetValue(period)!;
            GetTradeStatisticsResponse trade;
            ReconcileResponse? reconcile = null;
            ListAnomaliesResponse? anomalies = null;
            try
            {
                // Reconciliation first: it answers whether this caller is an admin or analyst, who also sees every certificate.
                reconcile = await client.ReconcileAsync(new ReconcileRequest { Period = name }, cancellationToken: ct).ConfigureAwait(false);
                anomalies = await client.ListAnomaliesAsync(new ListAnomaliesRequest { Period = name }, cancellationToken: ct).ConfigureAwait(false);
                trade = await client.GetTradeStatisticsAsync(new GetTradeStatisticsRequest { Period = name, IncludeCertificates = true }, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
            {
                reconcile = null;
                anomalies = null;
                trade = await client.GetTradeStatisticsAsync(new GetTradeStatisticsRequest { Period = name }, cancellationToken: ct).ConfigureAwait(false);
            }
            string source = common.Resolve(parse).Server.ToString();
            string text = parse.GetValue(format) == "csv" ? StatisticsReport.Csv(trade, reconcile, anomalies) : StatisticsReport.Html(trade, reconcile, anomalies, source);
            string path = parse.GetValue(output)!;
            await File.WriteAllTextAsync(path, text, ct).ConfigureAwait(false);
            context.Output.WriteLine($"Wrote {path}: {trade.Participants.Count} participants, {trade.World.Certificates} certificates" +
                (reconcile is null ? " (figures only: reconciliation and anomalies need --as analyst or admin)" : $", {reconcile.Pairs.Count} pairs, {anomalies!.Anomalies.Count} anomalies"));
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static void PrintTrade(TextWriter w, GetTradeStatisticsResponse r)
    {
        w.WriteLine($"Trade {r.Period} ({r.FirstDay} to {r.LastDay})");
        w.WriteLine($"World: {Line(r.World)}");
        foreach (HsCodeFigures h in r.WorldByHsCode)
        {
            w.WriteLine($"  {h.HsCode}: {Line(h.Figures)}");
        }
        foreach (ParticipantTrade p in r.Participants)
        {
            w.WriteLine($"{p.Participant} exports: {Line(p.Exports)}");
            foreach (PartnerFigures x in p.ExportsByPartner)
            {
                w.WriteLine($"  to {x.Partner}: {Line(x.Figures)}");
            }
            w.WriteLine($"{p.Participant} imports: {Line(p.Imports)}");
            foreach (PartnerFigures x in p.ImportsByPartner)
            {
                w.WriteLine($"  from {x.Partner}: {Line(x.Figures)}");
            }
        }
        foreach (CertificateFigures c in r.Certificates)
        {
            w.WriteLine($"{c.CertificateNumber} -> {c.DestinationParticipant} {c.DateOfIssue}: {Line(c.Figures)} {c.State}");
        }
        if (r.CertificatesTruncated)
        {
            w.WriteLine("(more certificates than listed)");
        }
    }

    private static string Line(Figures f) => string.Create(CultureInfo.InvariantCulture,
        $"{f.Certificates} certificates, {f.CaratsHundredths / 100m:N2} ct, US${f.ValueUsdCents / 100m:N2}, US${f.UsdCentsPerCarat / 100m:N2}/ct");

    private static string Carats(long hundredths) => (hundredths / 100m).ToString("N2", CultureInfo.InvariantCulture);

    private static void Numbers(TextWriter w, string what, IEnumerable<string> numbers)
    {
        string listed = string.Join(", ", numbers);
        if (listed.Length > 0)
        {
            w.WriteLine($"  {what}: {listed}");
        }
    }
}
