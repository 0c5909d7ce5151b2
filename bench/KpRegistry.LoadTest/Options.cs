using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace KpRegistry.LoadTest;

/// <summary>
/// The load generator's command line (System.CommandLine, as kpreg's): every flag bench/run.sh
/// passes or a user adds. An unknown or misspelt flag, a value that is not a number, or an
/// unknown phase is an error printed with the usage, never silently ignored: a run that quietly
/// kept a default would measure something other than what was asked.
/// </summary>
internal sealed record Options(string ServerDll, string Work, string Output, TimeSpan Warmup, TimeSpan JitWarmup, TimeSpan Duration, TimeSpan RawDuration, TimeSpan AdjacentRawDuration, TimeSpan KillAfter,
    int Concurrency, int OpenRate, int Connections, int Streams, int Window, int IssueConcurrency, int EdCertificates, int EcCertificates, int MlCertificates, int[] ScaleSizes, bool Keep, string[] Phases)
{
    /// <summary>The optional phases --phases may name ("none": only the Ed25519 verification loads).</summary>
    private static readonly string[] KnownPhases = ["others", "half", "issue", "scale", "none"];

    /// <summary>
    /// The options of <paramref name="args"/>, or null when the program must stop: help was asked
    /// for (<paramref name="exitCode"/> 0) or the command line is wrong (its errors and the usage
    /// are printed, <paramref name="exitCode"/> non-zero).
    /// </summary>
    public static Options? Parse(string[] args, out int exitCode)
    {
        var repo = new Option<string>("--repo") { Description = "The repository's root (where the server's Release build is looked for)", HelpName = "DIR", DefaultValueFactory = _ => Directory.GetCurrentDirectory() };
        var server = new Option<string>("--server") { Description = "The server's DLL [default: <repo>/src/KpRegistry.Server/bin/Release/net10.0/KpRegistry.Server.dll]", HelpName = "DLL" };
        var work = new Option<string>("--work") { Description = "Where the data folders are built (a kpreg-load-<time> folder inside)", HelpName = "DIR", DefaultValueFactory = _ => Path.GetTempPath() };
        var output = new Option<string>("--out") { Description = "The Markdown report to write", HelpName = "FILE", DefaultValueFactory = _ => "load-results.md" };
        var warmup = Seconds("--warmup", "Unmeasured seconds at the start of every phase", 2);
        var jitWarmup = Seconds("--jit-warmup", "Seconds of unmeasured load of both RPCs after each server start, for the JIT", 6);
        var seconds = Seconds("--seconds", "Measured seconds of every phase", 8);
        var rawSeconds = Seconds("--raw-seconds", "Seconds of the first raw BouncyCastle measurement of each algorithm", 4);
        var adjacentRawSeconds = Seconds("--adjacent-raw-seconds", "Seconds of the raw measurement just before every phase", 3);
        var killAfter = Seconds("--kill-after", "Seconds into the measured issuing load when the server is killed (kill -9)", 6);
        var concurrency = Count("--concurrency", "Callers of the closed unary loads", 64);
        var openRate = Count("--open-rate", "Requests/s of the open loop; 0: half the raw client's unary maximum", 0, allowZero: true);
        var connections = Count("--connections", "HTTP/2 connections per client", 2);
        var streams = Count("--streams", "Streams of the VerifyCertificates loads", 4);
        var window = Count("--window", "Requests in flight per stream", 128);
        var issueConcurrency = Count("--issue-concurrency", "Callers of the issuing loads", 128);
        var ed = Count("--ed", "Ed25519 certificates in the main data folder (five issuers)", 120_000);
        var ec = Count("--ec", "ECDSA P-256 certificates in the main data folder (two issuers)", 20_000, allowZero: true);
        var ml = Count("--ml", "ML-DSA-65 certificates in the main data folder (two issuers)", 10_000, allowZero: true);
        var scale = new Option<string>("--scale") { Description = "Recorded certificates of the scale phase's databases, comma-separated", HelpName = "N,N", DefaultValueFactory = _ => "1000,1000000" };
        scale.Validators.Add(r =>
        {
            if (r.GetValue(scale)!.Split(',', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(n => !int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v <= 0) is { } bad)
            {
                r.AddError($"--scale: '{bad}' is not a positive whole number.");
            }
        });
        var keep = new Option<bool>("--keep") { Description = "Keep the work folder (data folders, server logs) after the run" };
        var phases = new Option<string>("--phases") { Description = $"Optional phases, comma-separated, among {string.Join(", ", KnownPhases)} (the Ed25519 verification loads always run)", HelpName = "LIST", DefaultValueFactory = _ => "others,half,issue,scale" };
        phases.Validators.Add(r =>
        {
            if (r.GetValue(phases)!.Split(',').FirstOrDefault(p => !KnownPhases.Contains(p)) is { } bad)
            {
                r.AddError($"--phases: unknown phase '{bad}' (known: {string.Join(", ", KnownPhases)}).");
            }
        });

        var root = new RootCommand("The gRPC load generator of bench/run.sh: builds the data folders, starts the Release server as its own process, loads it over TLS and writes the figures.")
        {
            repo, server, work, output, warmup, jitWarmup, seconds, rawSeconds, adjacentRawSeconds, killAfter, concurrency, openRate, connections,
            streams, window, issueConcurrency, ed, ec, ml, scale, keep, phases,
        };
        ParseResult result = root.Parse(args);
        if (result.Action is not null)
        {
            // Help, or errors: System.CommandLine prints them (errors with the usage) and sets the exit code.
            exitCode = result.Invoke();
            return null;
        }
        exitCode = 0;
        return new Options(
            result.GetValue(server) ?? Path.Combine(result.GetValue(repo)!, "src/KpRegistry.Server/bin/Release/net10.0/KpRegistry.Server.dll"),
            result.GetValue(work)!,
            result.GetValue(output)!,
            TimeSpan.FromSeconds(result.GetValue(warmup)),
            TimeSpan.FromSeconds(result.GetValue(jitWarmup)),
            TimeSpan.FromSeconds(result.GetValue(seconds)),
            TimeSpan.FromSeconds(result.GetValue(rawSeconds)),
            TimeSpan.FromSeconds(result.GetValue(adjacentRawSeconds)),
            TimeSpan.FromSeconds(result.GetValue(killAfter)),
            result.GetValue(concurrency),
            result.GetValue(openRate),
            result.GetValue(connections),
            result.GetValue(streams),
            result.GetValue(window),
            result.GetValue(issueConcurrency),
            result.GetValue(ed),
            result.GetValue(ec),
            result.GetValue(ml),
            [.. result.GetValue(scale)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture))],
            result.GetValue(keep),
            result.GetValue(phases)!.Split(','));
    }

    public bool Has(string phase) => Phases.Contains(phase);

    private static Option<int> Seconds(string name, string description, int fallback) => Count(name, description, fallback, allowZero: true, helpName: "SECONDS");

    private static Option<int> Count(string name, string description, int fallback, bool allowZero = false, string helpName = "N")
    {
        var option = new Option<int>(name) { Description = description, HelpName = helpName, DefaultValueFactory = _ => fallback };
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && !int.TryParse(r.Tokens[^1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                return; // not a number: System.CommandLine reports that itself
            }
            int value = r.GetValue(option);
            if (value < 0 || (value == 0 && !allowZero))
            {
                r.AddError($"{name}: {value} is out of range (must be {(allowZero ? "0 or more" : "1 or more")}).");
            }
        });
        return option;
    }
}
