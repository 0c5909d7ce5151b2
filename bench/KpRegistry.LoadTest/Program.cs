using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using Grpc.Net.Client;
using KpRegistry.Domain.Keys;
using KpRegistry.LoadTest;
using Microsoft.Data.Sqlite;

// The load generator of bench/run.sh. Every figure it prints comes from this run on this machine.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
// The load generator holds hundreds of MiB (envelopes, samples): a blocking full collection of its
// own in the middle of a phase would stall its pacer and readers and be charged to the server.
// Background collections only during phases, and a full one before each (see AdjacentRaw).
GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
if (Options.Parse(args, out int exitCode) is not { } options)
{
    return exitCode; // --help, or a flag that is unknown, misspelt or malformed (printed with the usage)
}
string work = Path.Combine(options.Work, "kpreg-load-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
Directory.CreateDirectory(work);
var report = new Report();
var context = new Dictionary<PhaseResult, (double Adjacent, string Load)>();
var ceiling = new Dictionary<string, double>();
PhaseResult? adjacentRaw = null;
const string RawClient = "raw HTTP/2 client"; // the phase names' suffix for RawGrpcConnection loads
Console.WriteLine($"work folder {work}; server {options.ServerDll}");

// 1. The main data folder: >= 100,000 distinct Ed25519 envelopes signed by five participants' keys, plus ECDSA and ML-DSA.
string[] edIssuers = ["BW", "ZA", "NA", "CA", "RU"];
var plans = new List<KeyPlan>();
plans.AddRange(edIssuers.Select(p => new KeyPlan(p, KeyAlgorithm.Ed25519, options.EdCertificates / edIssuers.Length)));
plans.AddRange(new[] { "BW", "ZA" }.Select(p => new KeyPlan(p, KeyAlgorithm.EcdsaP256, options.EcCertificates / 2)));
plans.AddRange(new[] { "BW", "ZA" }.Select(p => new KeyPlan(p, KeyAlgorithm.MlDsa65, options.MlCertificates / 2)));
var clock = Stopwatch.StartNew();
string mainData = Path.Combine(work, "main", "data"), mainCerts = Path.Combine(work, "main", "certs");
var sets = await DataBuilder.BuildAsync(mainData, plans, int.MaxValue, "B");
Console.WriteLine($"main data: {sets.Sum(s => s.Value.Envelopes.Count)} certificates in {clock.Elapsed.TotalSeconds:F1} s");
report.Note($"Main data folder: {sets[KeyAlgorithm.Ed25519].Envelopes.Count:N0} distinct Ed25519 certificates (keys of {string.Join(", ", edIssuers)}), "
    + $"{sets[KeyAlgorithm.EcdsaP256].Envelopes.Count:N0} ECDSA P-256 (BW, ZA), {sets[KeyAlgorithm.MlDsa65].Envelopes.Count:N0} ML-DSA-65 (BW, ZA); built in {clock.Elapsed.TotalSeconds:F0} s.");

// 2. The ceilings: raw BouncyCastle verify on all cores, before the server starts.
var raw = new Dictionary<KeyAlgorithm, PhaseResult>();
foreach (KeyAlgorithm algorithm in new[] { KeyAlgorithm.Ed25519, KeyAlgorithm.EcdsaP256, KeyAlgorithm.MlDsa65 }.Where(a => a == KeyAlgorithm.Ed25519 || options.Has("others")))
{
    raw[algorithm] = Loads.RawVerify(sets[algorithm], options.RawDuration);
    Console.WriteLine($"{raw[algorithm].Name}: {raw[algorithm].Rate:F0}/s ({raw[algorithm].Errors} failed, others' CPU {raw[algorithm].OthersCpu:F2} s/s)");
}

// 3. Verification against the real server.
// Each load runs twice: with Grpc.Net.Client, and with the raw HTTP/2 client (RawGrpcConnection), which
// costs the load generator far less CPU; on this machine the client's CPU is the server's loss, so
// the targets judge the raw-client rows.
var verify = new List<(KeyAlgorithm Algorithm, PhaseResult Result)>();
PhaseResult? edUnary = null, edUnaryGrpc = null, edStream = null, edStreamGrpc = null;
PhaseResult? halfRate = null, halfRateGrpc = null;
double mainPeak, mainRss;
TimeSpan mainStart;
await using (ServerProcess server = await ServerProcess.StartAsync(options.ServerDll, mainData, mainCerts))
{
    mainStart = server.StartTime;
    Console.WriteLine($"server pid {server.Pid} ready in {server.StartTime.TotalSeconds:F1} s, {server.MemoryMiB:F0} MiB");
    GrpcChannel[] channels = [.. Enumerable.Range(0, options.Connections).Select(_ => server.Channel(null))];
    await JitWarmupAsync(server, channels, sets[KeyAlgorithm.Ed25519].Envelopes);
    RawGrpcConnection[] rawConnections = await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(_ => server.RawConnectionAsync()));
    foreach (KeyAlgorithm algorithm in new[] { KeyAlgorithm.Ed25519, KeyAlgorithm.EcdsaP256, KeyAlgorithm.MlDsa65 }.Where(a => a == KeyAlgorithm.Ed25519 || options.Has("others")))
    {
        var envelopes = sets[algorithm].Envelopes;
        Adjacent(AdjacentRaw(sets[algorithm]));
        PhaseResult unaryGrpc = await Loads.UnaryAsync($"VerifyCertificate {algorithm}, {options.Concurrency} callers, Grpc.Net.Client", channels, envelopes, options.Concurrency, options.Warmup, options.Duration, server);
        Print(unaryGrpc, raw[algorithm]);
        verify.Add((algorithm, unaryGrpc));
        Adjacent(AdjacentRaw(sets[algorithm]));
        PhaseResult unary = await Loads.RawUnaryAsync($"VerifyCertificate {algorithm}, {options.Concurrency} callers, {RawClient}", rawConnections, envelopes, options.Concurrency, options.Warmup, options.Duration, server);
        Print(unary, raw[algorithm]);
        verify.Add((algorithm, unary));
        Adjacent(AdjacentRaw(sets[algorithm]));
        PhaseResult streamGrpc = await Loads.StreamAsync($"VerifyCertificates {algorithm}, {options.Streams} streams x {options.Window} in flight, Grpc.Net.Client", channels, envelopes, options.Streams, options.Window, options.Warmup, options.Duration, server);
        Print(streamGrpc, raw[algorithm]);
        verify.Add((algorithm, streamGrpc));
        Adjacent(AdjacentRaw(sets[algorithm]));
        PhaseResult stream = await Loads.RawStreamAsync($"VerifyCertificates {algorithm}, {options.Streams} streams x {options.Window} in flight, {RawClient}", rawConnections, envelopes, options.Streams, options.Window, options.Warmup, options.Duration, server);
        Print(stream, raw[algorithm]);
        verify.Add((algorithm, stream));
        if (algorithm == KeyAlgorithm.Ed25519)
        {
            (edUnary, edUnaryGrpc, edStream, edStreamGrpc) = (unary, unaryGrpc, stream, streamGrpc);
        }
        if (algorithm == KeyAlgorithm.Ed25519 && options.Has("half"))
        {
            // Half the raw client's unary maximum, through both clients: the same offered load.
            // (--open-rate N fixes the rate instead, to draw the latency curve by hand.)
            double rate = options.OpenRate > 0 ? options.OpenRate : Math.Floor(unary.Rate / 2 / 100) * 100;
            Adjacent(AdjacentRaw(sets[algorithm]));
            halfRate = await Loads.RawFixedRateAsync($"VerifyCertificate Ed25519 at {rate:F0}/s (half the unary maximum), open loop, {RawClient}", rawConnections, envelopes, rate, options.Warmup, options.Duration, server);
            Print(halfRate, raw[algorithm]);
            Adjacent(AdjacentRaw(sets[algorithm]));
            halfRateGrpc = await Loads.FixedRateAsync($"VerifyCertificate Ed25519 at {rate:F0}/s (half the unary maximum), open loop, Grpc.Net.Client (256 callers)", channels, envelopes, rate, 256, options.Warmup, options.Duration, server);
            Print(halfRateGrpc, raw[algorithm]);
        }
    }
    mainPeak = server.PeakMemoryMiB;
    mainRss = server.MemoryMiB;
    foreach (GrpcChannel channel in channels)
    {
        channel.Dispose();
    }
    foreach (RawGrpcConnection connection in rawConnections)
    {
        await connection.DisposeAsync();
    }
}

// 4. Issuing, durable: IssueCertificate under load, then SIGKILL mid-load; restart; count what survived.
Loads.IssueOutcome? issued = null;
Loads.IssueOutcome? killed = null;
int found = 0;
long lostCount = 0;
double restartSeconds = 0;
if (options.Has("issue"))
{
await using (ServerProcess server = await ServerProcess.StartAsync(options.ServerDll, mainData, mainCerts))
{
    // The issuing path (rules, signing, group commit, EF) gets the same JIT warm-up as verification.
    issued = await Loads.IssueAsync($"IssueCertificate Ed25519, {options.IssueConcurrency} callers over {edIssuers.Length} authorities", server, edIssuers, "T", options.IssueConcurrency, options.Warmup + options.JitWarmup, options.Duration, null);
    Print(issued.Phase, null);
    killed = await Loads.IssueAsync($"IssueCertificate Ed25519 with kill -9 after {options.KillAfter.TotalSeconds:F0} s", server, edIssuers, "K", options.IssueConcurrency, options.Warmup, options.Duration, options.KillAfter);
    Print(killed.Phase, null);
}
await using (ServerProcess restarted = await ServerProcess.StartAsync(options.ServerDll, mainData, mainCerts))
{
    restartSeconds = restarted.StartTime.TotalSeconds;
    var recorded = new HashSet<(string, string)>();
    await using (var connection = new SqliteConnection($"Data Source={Path.Combine(mainData, "registry.db")};Mode=ReadOnly;Pooling=False"))
    {
        await connection.OpenAsync();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT issuing_participant, certificate_number FROM certificates WHERE certificate_number LIKE '%-K-%'";
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            recorded.Add((reader.GetString(0), reader.GetString(1)));
        }
    }
    found = killed.Acknowledged.Count(recorded.Contains);
    lostCount = killed.Acknowledged.Count - found;
    Console.WriteLine($"durability: acknowledged {killed.Acknowledged.Count}, found after restart {found}, lost {lostCount}; " +
        $"recorded but unacknowledged (in flight at the kill) {recorded.Count - found}; server restarted in {restartSeconds:F1} s");
}
}

// 5. Scale: the same unary load with 1,000 and with 1,000,000 certificates recorded. Both servers
// run at once and are loaded in turn, twice (A B A B): the machine's speed drifts by 10 to 20 %
// within minutes here, and alternating makes the drift weigh on both alike.
var scale = new List<(int Recorded, int Sent, PhaseResult Result, double DbMiB, double RssMiB, double PeakMiB, double StartSeconds)>();
var scaleServers = new List<(int Recorded, ServerProcess Server, GrpcChannel[] Channels, RawGrpcConnection[] Raw, SignedSet Set, double DbMiB)>();
try
{
    foreach (int recordedCount in options.Has("scale") ? options.ScaleSizes : [])
    {
        string data = Path.Combine(work, $"scale-{recordedCount}", "data"), certs = Path.Combine(work, $"scale-{recordedCount}", "certs");
        clock.Restart();
        var scaleSets = await DataBuilder.BuildAsync(data, [.. edIssuers.Select(p => new KeyPlan(p, KeyAlgorithm.Ed25519, recordedCount / edIssuers.Length))], 100_000, "S");
        Console.WriteLine($"scale data {recordedCount}: built in {clock.Elapsed.TotalSeconds:F1} s");
        double dbMiB = new DirectoryInfo(data).GetFiles("registry.db*").Sum(f => f.Length) / 1024.0 / 1024.0;
        ServerProcess server = await ServerProcess.StartAsync(options.ServerDll, data, certs);
        GrpcChannel[] channels = [.. Enumerable.Range(0, options.Connections).Select(_ => server.Channel(null))];
        RawGrpcConnection[] rawConnections = await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(_ => server.RawConnectionAsync()));
        scaleServers.Add((recordedCount, server, channels, rawConnections, scaleSets[KeyAlgorithm.Ed25519], dbMiB));
        await JitWarmupAsync(server, channels, scaleSets[KeyAlgorithm.Ed25519].Envelopes);
    }
    // The same 1,000 distinct envelopes against every database isolates the number recorded (the
    // client's and server's caches see the same working set).
    var rounds = scaleServers.ToDictionary(s => s.Recorded, _ => new List<PhaseResult>());
    for (int round = 1; round <= 2 && scaleServers.Count > 0; round++)
    {
        foreach (var s in scaleServers)
        {
            Adjacent(AdjacentRaw(s.Set));
            PhaseResult unary = await Loads.RawUnaryAsync($"VerifyCertificate Ed25519, {s.Recorded:N0} recorded, 1,000 distinct sent, round {round}, {RawClient}", s.Raw, [.. s.Set.Envelopes.Take(1000)], options.Concurrency, options.Warmup, options.Duration, s.Server);
            Print(unary, raw[KeyAlgorithm.Ed25519]);
            rounds[s.Recorded].Add(unary);
        }
    }
    foreach (var s in scaleServers)
    {
        scale.Add((s.Recorded, 1000, PhaseResult.Merge(rounds[s.Recorded]), s.DbMiB, s.Server.MemoryMiB, s.Server.PeakMemoryMiB, s.Server.StartTime.TotalSeconds));
    }
    // The largest database is also loaded with 100,000 distinct envelopes.
    if (scaleServers.Count > 0 && scaleServers[^1].Recorded > 1000)
    {
        var s = scaleServers[^1];
        Adjacent(AdjacentRaw(s.Set));
        PhaseResult unary = await Loads.RawUnaryAsync($"VerifyCertificate Ed25519, {s.Recorded:N0} recorded, {s.Set.Envelopes.Count:N0} distinct sent, {RawClient}", s.Raw, s.Set.Envelopes, options.Concurrency, options.Warmup, options.Duration, s.Server);
        Print(unary, raw[KeyAlgorithm.Ed25519]);
        scale.Add((s.Recorded, s.Set.Envelopes.Count, unary, s.DbMiB, s.Server.MemoryMiB, s.Server.PeakMemoryMiB, s.Server.StartTime.TotalSeconds));
    }
}
finally
{
    foreach (var s in scaleServers)
    {
        foreach (RawGrpcConnection connection in s.Raw)
        {
            await connection.DisposeAsync();
        }
        foreach (GrpcChannel channel in s.Channels)
        {
            channel.Dispose();
        }
        await s.Server.DisposeAsync();
    }
}

// 6. The report. The ceiling of an algorithm is the BEST raw rate measured in this run (first
// measurement or any of those just before a phase): other processes on the machine can only
// lower a raw measurement, so the best one is the fairest ceiling and the strictest denominator.
foreach (var (algorithm, r) in raw)
{
    ceiling[r.Name] = Math.Max(ceiling.GetValueOrDefault(r.Name), r.Rate);
}
double Ceiling(KeyAlgorithm algorithm) => ceiling[raw[algorithm].Name];
double edRaw = Ceiling(KeyAlgorithm.Ed25519);
var md = new StringBuilder();
md.AppendLine("### Raw ceiling (BouncyCastle verify, all cores, no gRPC)");
md.AppendLine();
md.AppendLine("| algorithm | threads | first measurement, verifies/s | others' CPU s/s then | ceiling (best of the run), verifies/s | failed |");
md.AppendLine("|---|---:|---:|---:|---:|---:|");
foreach (var (algorithm, r) in raw)
{
    md.AppendLine($"| {algorithm} | {Environment.ProcessorCount} | {r.Rate:N0} | {r.OthersCpu:F2} | **{Ceiling(algorithm):N0}** | {r.Errors} |");
}
md.AppendLine();
md.AppendLine($"### Verification over gRPC + TLS (server: Release, SQLite; client on the same machine; {options.Connections} HTTP/2 connections; {options.Duration.TotalSeconds:F0} s measured after {options.Warmup.TotalSeconds:F0} s warm-up)");
md.AppendLine();
md.AppendLine("| phase | requests/s | ratio to ceiling | raw verifies/s just before | ratio to that | p50 ms | p99 ms | p99.9 ms | errors | server CPU us/request | client CPU us/request | others' CPU s/s | load avg |");
md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (algorithm, r) in verify)
{
    md.AppendLine(Row(r, Ceiling(algorithm)));
}
if (halfRate is not null && halfRateGrpc is not null)
{
    md.AppendLine(Row(halfRate, edRaw));
    md.AppendLine(Row(halfRateGrpc, edRaw));
    md.AppendLine();
    md.AppendLine($"Open loop at half the unary maximum: latency from the moment each request was DUE (the figures above, coordinated omission excluded) and, for comparison, from the moment it was actually sent: "
        + $"p50 {Pct(halfRate.FromSendMs, 50):F2} ms, p99 {Pct(halfRate.FromSendMs, 99):F2} ms, p99.9 {Pct(halfRate.FromSendMs, 99.9):F2} ms ({RawClient}); "
        + $"p50 {Pct(halfRateGrpc.FromSendMs, 50):F2} ms, p99 {Pct(halfRateGrpc.FromSendMs, 99):F2} ms, p99.9 {Pct(halfRateGrpc.FromSendMs, 99.9):F2} ms (Grpc.Net.Client).");
}
md.AppendLine();
md.AppendLine($"Every load runs with both clients. Grpc.Net.Client is what a .NET caller would use; the {RawClient} (bench/KpRegistry.LoadTest/RawGrpcConnection.cs) "
    + "is a load tool that costs the load generator far less CPU per request, and on this machine the load generator's CPU is taken from the server: the targets judge its rows.");
md.AppendLine();
md.AppendLine($"Server: ready in {mainStart.TotalSeconds:F1} s; peak memory (VmHWM) {mainPeak:F0} MiB, resident after the verification phases {mainRss:F0} MiB.");
md.AppendLine();
if (issued is not null && killed is not null)
{
md.AppendLine("### Issuing (IssueCertificate, Ed25519 managed keys, SQLite WAL + synchronous=FULL)");
md.AppendLine();
md.AppendLine("| phase | certificates/s | p50 ms | p99 ms | p99.9 ms | errors | server CPU us/certificate | others' CPU s/s | load avg |");
md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (PhaseResult r in new[] { issued.Phase, killed.Phase })
{
    md.AppendLine($"| {r.Name} | {r.Rate:N0} | {r.Percentile(50):F2} | {r.Percentile(99):F2} | {r.Percentile(99.9):F2} | {r.Errors} | {PerRequest(r.ServerCpuSeconds, r)} | {r.OthersCpu:F2} | {context[r].Load} |");
}
md.AppendLine();
md.AppendLine($"Durability (kill -9 during the load, restart on the same folder, read the database): acknowledged **{killed.Acknowledged.Count:N0}**, found **{found:N0}**, lost **{lostCount}**; "
    + $"calls cut by the kill (never acknowledged): {killed.Refused}; restart took {restartSeconds:F1} s.");
}
md.AppendLine();
md.AppendLine("### Scale (VerifyCertificate Ed25519, same unary load with the raw HTTP/2 client, different number of recorded certificates)");
md.AppendLine();
md.AppendLine("| recorded | distinct envelopes sent | requests/s | ratio to ceiling | p50 ms | p99 ms | errors | DB size MiB | server resident MiB | peak MiB | start s |");
md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var s in scale)
{
    md.AppendLine($"| {s.Recorded:N0} | {s.Sent:N0} | {s.Result.Rate:N0} | {s.Result.Rate / edRaw:P1} | {s.Result.Percentile(50):F2} | {s.Result.Percentile(99):F2} | {s.Result.Errors} | {s.DbMiB:F0} | {s.RssMiB:F0} | {s.PeakMiB:F0} | {s.StartSeconds:F1} |");
}
md.AppendLine();
md.AppendLine("### Targets");
md.AppendLine();
md.AppendLine("| target | figure | met |");
md.AppendLine("|---|---|---|");
Target(md, "VerifyCertificate (unary, Ed25519) >= 70% of raw", $"{edUnary!.Rate:N0}/s = {edUnary.Rate / edRaw:P1} of {edRaw:N0} ({RawClient}; Grpc.Net.Client: {edUnaryGrpc!.Rate:N0}/s = {edUnaryGrpc.Rate / edRaw:P1})", edUnary.Rate >= 0.7 * edRaw && edUnary.Errors == 0);
Target(md, "VerifyCertificates (stream, Ed25519) >= 90% of raw", $"{edStream!.Rate:N0}/s = {edStream.Rate / edRaw:P1} of {edRaw:N0} ({RawClient}; Grpc.Net.Client: {edStreamGrpc!.Rate:N0}/s = {edStreamGrpc.Rate / edRaw:P1})", edStream.Rate >= 0.9 * edRaw && edStream.Errors == 0);
if (halfRate is not null)
{
    double sentP99 = Pct(halfRate.FromSendMs, 99);
    Target(md, "p99 of VerifyCertificate < 5 ms at half the maximum throughput", $"p99 {halfRate.Percentile(99):F2} ms from the due time, {sentP99:F2} ms from the send, at {halfRate.Rate:N0}/s ({RawClient})", halfRate.Percentile(99) < 5);
}
if (scale.Count >= 2)
{
    var small = scale[0];
    var large = scale.Last(x => x.Sent == small.Sent);
    double ratio = large.Result.Rate / small.Result.Rate;
    Target(md, $"throughput with {large.Recorded:N0} recorded within 10% of {small.Recorded:N0}", $"{ratio:P1} ({large.Result.Rate:N0} vs {small.Result.Rate:N0}/s, the same {small.Sent:N0} distinct envelopes sent to both)", ratio >= 0.9);
}
if (issued is not null && killed is not null)
{
    Target(md, "IssueCertificate >= 1,000 certificates/s sustained", $"{issued.Phase.Rate:N0}/s", issued.Phase.Rate >= 1000);
    Target(md, "kill -9 loses no acknowledged certificate", $"{lostCount} lost of {killed.Acknowledged.Count:N0}", lostCount == 0 && killed.Acknowledged.Count > 0);
}
md.AppendLine();
foreach (string note in report.Notes)
{
    md.AppendLine(note);
    md.AppendLine();
}
File.WriteAllText(options.Output, md.ToString());
Console.WriteLine(md.ToString());
if (!options.Keep)
{
    Directory.Delete(work, recursive: true);
}
return 0;

// A fresh server runs tier-0 code for its first seconds: a throwaway load of both RPCs lets the
// JIT finish (tiered compilation, PGO) before anything is measured.
async Task JitWarmupAsync(ServerProcess server, GrpcChannel[] channels, IReadOnlyList<KpRegistry.Contracts.Common.V1.SignedEnvelope> envelopes)
{
    await Loads.UnaryAsync("JIT warm-up unary", channels, envelopes, options.Concurrency, TimeSpan.Zero, options.JitWarmup, server);
    await Loads.StreamAsync("JIT warm-up stream", channels, envelopes, options.Streams, options.Window, TimeSpan.Zero, options.JitWarmup / 2, server);
}

// Runs before every phase: the load generator's own garbage is collected first, so neither the
// raw measurement nor the phase after it meets a full collection of this process.
PhaseResult AdjacentRaw(SignedSet set)
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    return Loads.RawVerify(set, options.AdjacentRawDuration);
}

void Adjacent(PhaseResult raw)
{
    adjacentRaw = raw;
    ceiling[raw.Name] = Math.Max(ceiling.GetValueOrDefault(raw.Name), raw.Rate);
    Console.WriteLine($"  {raw.Name} just before: {raw.Rate:F0}/s (others' CPU {raw.OthersCpu:F2} s/s)");
}

void Print(PhaseResult r, PhaseResult? raw)
{
    context[r] = (raw is null ? double.NaN : adjacentRaw?.Rate ?? double.NaN, File.ReadAllText("/proc/loadavg").Split(' ')[0]);
    Console.WriteLine(
    $"{r.Name}: {r.Rate:F0}/s{(raw is null ? "" : $" ({r.Rate / Math.Max(raw.Rate, ceiling.GetValueOrDefault(raw.Name)):P1} of best raw so far, {r.Rate / context[r].Adjacent:P1} of raw just before)")} load {context[r].Load} p50 {r.Percentile(50):F2} p99 {r.Percentile(99):F2} p99.9 {r.Percentile(99.9):F2} ms, errors {r.Errors}, server CPU {r.ServerCpuSeconds / r.Seconds:F2} s/s ({r.ServerCpuSeconds * 1e6 / Math.Max(1, r.Requests):F0} us/request), client CPU {r.ClientCpu:F2} s/s ({r.ClientCpu * r.Seconds * 1e6 / Math.Max(1, r.Requests):F0} us/request), others' CPU {r.OthersCpu:F2} s/s");
}

string Row(PhaseResult r, double raw) =>
    $"| {r.Name} | {r.Rate:N0} | **{r.Rate / raw:P1}** | {context[r].Adjacent:N0} | {r.Rate / context[r].Adjacent:P1} | {r.Percentile(50):F2} | {r.Percentile(99):F2} | {r.Percentile(99.9):F2} | {r.Errors} | {PerRequest(r.ServerCpuSeconds, r)} | {PerRequest(r.ClientCpu * r.Seconds, r)} | {r.OthersCpu:F2} | {context[r].Load} |";

static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

static string PerRequest(double cpuSeconds, PhaseResult r) => (cpuSeconds * 1e6 / Math.Max(1, r.Requests)).ToString("F0", CultureInfo.InvariantCulture);

static void Target(StringBuilder md, string target, string figure, bool met) =>
    md.AppendLine($"| {target} | {figure} | {(met ? "met" : "**missed**")} |");

internal sealed class Report
{
    public List<string> Notes { get; } = [];
    public void Note(string text) => Notes.Add(text);
}
