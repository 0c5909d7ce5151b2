using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

if (args.Length > 0 && args[0] == "statistics")
{
    // Issue 14: GetTradeStatistics over a million certificates (docs/PERFORMANCE.md#statistics).
    return await KpRegistry.Benchmarks.StatisticsMeasure.RunAsync(args[1..]);
}

// Short, in-process jobs so that bench/run.sh stays within its time budget on a 2-core machine:
// no separate build per benchmark, 3 warm-up and 8 measured iterations.
IConfig config = DefaultConfig.Instance
    .AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(3)
        .WithIterationCount(8)
        .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
        .WithId("short"))
    .AddExporter(MarkdownExporter.GitHub)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(KpRegistry.Benchmarks.CryptoBenchmarks).Assembly).Run(args, config);
return 0;
