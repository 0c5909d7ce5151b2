using System.Text.Json;
using System.Text.Json.Nodes;
using KpRegistry.Cli.Paper;
using KpRegistry.Paper;
using KpRegistry.Contracts.Verification.V1;
using Spectre.Console;

namespace KpRegistry.Cli;

/// <summary>
/// <c>kpreg verify</c> over a folder or several files: a progress bar while it runs (only on a
/// terminal), one line a file, then a summary table (valid, invalid by reason, errors), or one JSON
/// document with <c>--json</c>. Exit 0 when every file is VALID, 2 when one is INVALID and none
/// failed, 1 when a file could not be checked (unreadable, no QR, no answer from the registry).
/// </summary>
internal static class BulkVerify
{
    /// <summary>The files of a folder that verify reads: envelopes, and photos, scans and PDFs of paper certificates. Not recursive.</summary>
    public static bool IsVerifiable(string path) =>
        Path.GetExtension(path).Equals(".envelope", StringComparison.OrdinalIgnoreCase) || QrImageReader.IsImageFileName(path);

    /// <summary>Every file named, and the verifiable files of every folder named, in order of name.</summary>
    public static List<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path).Where(IsVerifiable).Order(StringComparer.Ordinal));
            else
                files.Add(path);
        }
        return files;
    }

    public static async Task<int> RunAsync(KpregContext context, VerifyRun run, IReadOnlyList<string> files, bool qr, bool json, CancellationToken ct)
    {
        if (files.Count == 0)
            throw new CliException("no file to verify: the folder has no .envelope, .png, .jpg, .jpeg or .pdf file");
        var outcomes = new List<VerifyRun.Outcome>(files.Count);
        if (IsTerminal(context))
        {
            await AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask($"verifying {files.Count} files", maxValue: files.Count);
                    foreach (var file in files)
                    {
                        outcomes.Add(await CheckAsync(run, file, qr, ct).ConfigureAwait(false));
                        task.Increment(1);
                    }
                }).ConfigureAwait(false);
        }
        else
        {
            foreach (var file in files)
                outcomes.Add(await CheckAsync(run, file, qr, ct).ConfigureAwait(false));
        }

        var summary = Summary.Of(outcomes);
        if (json)
            context.Output.WriteLine(Json(outcomes, summary).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        else
            Human(context.Output, outcomes, summary);
        return summary.Errors > 0 ? KpregCli.ExitError : summary.Invalid > 0 ? KpregCli.ExitInvalid : KpregCli.ExitOk;
    }

    private static async Task<VerifyRun.Outcome> CheckAsync(VerifyRun run, string file, bool qr, CancellationToken ct)
    {
        try
        {
            return await run.CheckAsync(file, qr, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var message = new StringWriter();
            Output.Error(message, e);
            var line = message.ToString().Split('\n')[0].Trim();
            return new VerifyRun.Outcome(file, "", null, line.StartsWith("error: ", StringComparison.Ordinal) ? line[7..] : line);
        }
    }

    private static bool IsTerminal(KpregContext context) =>
        ReferenceEquals(context.Output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    internal sealed record Summary(int Total, int Valid, int Invalid, int Errors, SortedDictionary<string, int> InvalidByReason)
    {
        public static Summary Of(IReadOnlyList<VerifyRun.Outcome> outcomes)
        {
            var byReason = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var outcome in outcomes)
            {
                if (outcome.Result is { Valid: false } result)
                {
                    foreach (var reason in result.Reasons.Distinct())
                        byReason[Words.Of(reason)] = byReason.GetValueOrDefault(Words.Of(reason)) + 1;
                }
            }
            return new Summary(
                outcomes.Count,
                outcomes.Count(o => o.Result is { Valid: true }),
                outcomes.Count(o => o.Result is { Valid: false }),
                outcomes.Count(o => o.Result is null),
                byReason);
        }
    }

    private static JsonObject Json(IReadOnlyList<VerifyRun.Outcome> outcomes, Summary summary)
    {
        var files = new JsonArray();
        foreach (var o in outcomes)
        {
            var file = new JsonObject
            {
                ["path"] = o.Path,
                ["status"] = o.Result is null ? "ERROR" : o.Result.Valid ? "VALID" : "INVALID",
                ["form"] = o.Form,
            };
            if (o.Result is not null)
                file["result"] = JsonNode.Parse(Output.JsonFormatter.Format(o.Result));
            if (o.Error is not null)
                file["error"] = o.Error;
            files.Add(file);
        }
        var reasons = new JsonObject();
        foreach (var (reason, count) in summary.InvalidByReason)
            reasons[reason] = count;
        return new JsonObject
        {
            ["summary"] = new JsonObject
            {
                ["total"] = summary.Total,
                ["valid"] = summary.Valid,
                ["invalid"] = summary.Invalid,
                ["errors"] = summary.Errors,
                ["invalidByReason"] = reasons,
            },
            ["files"] = files,
        };
    }

    private static void Human(TextWriter w, IReadOnlyList<VerifyRun.Outcome> outcomes, Summary summary)
    {
        foreach (var o in outcomes)
        {
            if (o.Result is null)
                w.WriteLine($"ERROR    {o.Path}: {o.Error}");
            else if (o.Result.Valid)
                w.WriteLine($"VALID    {o.Path}: {o.Result.CertificateNumber} ({o.Form})");
            else
                w.WriteLine($"INVALID  {o.Path}: {string.Join(", ", o.Result.Reasons.Select(Words.Of))} ({o.Form})");
        }
        w.WriteLine();

        var table = new Table().Title($"{summary.Total} files").AddColumn("result").AddColumn("reason").AddColumn(new TableColumn("files").RightAligned());
        table.AddRow("VALID", "", summary.Valid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("INVALID", "(any)", summary.Invalid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (reason, count) in summary.InvalidByReason)
            table.AddRow("INVALID", Markup.Escape(reason), count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("ERROR", "not checked", summary.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(w),
            Ansi = ReferenceEquals(w, Console.Out) ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ReferenceEquals(w, Console.Out) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Write(table);
    }
}
