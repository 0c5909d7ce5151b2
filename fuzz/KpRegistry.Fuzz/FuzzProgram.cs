using System.Globalization;
using System.Security.Cryptography;

namespace KpRegistry.Fuzz;

/// <summary>The harness's command line (docs/FUZZING.md).</summary>
public static class FuzzProgram
{
    private const string Usage = """
        KpRegistry.Fuzz: one fuzz target per decoder (docs/FUZZING.md).
          list                                 the targets and what each feeds
          seeds TARGET DIR                     write the target's valid seed inputs to DIR (an AFL++ -i folder)
          afl TARGET                           run under afl-fuzz (the assemblies instrumented by sharpfuzz)
          libfuzzer TARGET                     run under libfuzzer-dotnet
          run TARGET|all [--seconds N] [--executions N] [--seed N] [--crashes DIR]
                                               the built-in mutational driver; prints counts; exit 1 on a crash
          repro TARGET FILE                    run one input (a crash file) and show what it throws
        """;

    public static int Execute(string[] args)
    {
        try
        {
            return args.FirstOrDefault() switch
            {
                "list" => List(),
                "seeds" when args.Length == 3 => Seeds(Targets.Named(args[1]), args[2]),
                "afl" when args.Length == 2 => Afl(Targets.Named(args[1])),
                "libfuzzer" when args.Length == 2 => LibFuzzer(Targets.Named(args[1])),
                "run" when args.Length >= 2 => Run(args[1], args[2..]),
                "repro" when args.Length == 3 => Repro(Targets.Named(args[1]), args[2]),
                _ => Fail(Usage),
            };
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message + Environment.NewLine + Usage);
        }
    }

    private static int List()
    {
        foreach (FuzzTarget target in Targets.All)
        {
            Console.WriteLine($"{target.Name,-14} {target.Feeds}");
        }
        return 0;
    }

    private static int Seeds(FuzzTarget target, string directory)
    {
        Directory.CreateDirectory(directory);
        IReadOnlyList<byte[]> seeds = target.Seeds(FuzzWorld.Shared);
        for (int i = 0; i < seeds.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(directory, $"seed-{i}"), seeds[i]);
        }
        Console.WriteLine($"{seeds.Count} seeds of {target.Name} in {directory}");
        return 0;
    }

    private static int Afl(FuzzTarget target)
    {
        _ = FuzzWorld.Shared;
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.Run(buffer.ToArray());
        });
        return 0;
    }

    private static int LibFuzzer(FuzzTarget target)
    {
        _ = FuzzWorld.Shared;
        SharpFuzz.Fuzzer.LibFuzzer.Run(span => target.Run(span.ToArray()));
        return 0;
    }

    private static int Run(string name, string[] options)
    {
        int? seconds = null;
        long? executions = null;
        int seed = 13;
        string? crashes = null;
        for (int i = 0; i + 1 < options.Length; i += 2)
        {
            switch (options[i])
            {
                case "--seconds": seconds = int.Parse(options[i + 1], CultureInfo.InvariantCulture); break;
                case "--executions": executions = long.Parse(options[i + 1], CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(options[i + 1], CultureInfo.InvariantCulture); break;
                case "--crashes": crashes = options[i + 1]; break;
                default: throw new ArgumentException($"unknown option {options[i]}");
            }
        }
        if (seconds is null && executions is null)
        {
            seconds = 60;
        }
        IReadOnlyList<FuzzTarget> targets = name == "all" ? Targets.All : [Targets.Named(name)];
        long total = 0;
        long crashed = 0;
        foreach (FuzzTarget target in targets)
        {
            DriverReport report = MutationDriver.Run(target, seed, executions, seconds is { } s ? TimeSpan.FromSeconds(s) : null,
                onCrash: crash => Save(crashes, target, crash));
            Console.WriteLine(report);
            foreach (DriverCrash crash in report.Crashes)
            {
                Console.WriteLine($"  {crash.Kind}{Environment.NewLine}    {crash.Detail.ReplaceLineEndings(Environment.NewLine + "    ")}");
            }
            total += report.Executions;
            crashed += report.CrashCount;
        }
        Console.WriteLine($"total: {total:N0} executions, {crashed} crashes");
        return crashed == 0 ? 0 : 1;
    }

    private static void Save(string? directory, FuzzTarget target, DriverCrash crash)
    {
        if (directory is null)
        {
            return;
        }
        Directory.CreateDirectory(directory);
        string file = Path.Combine(directory, $"{target.Name}-{Convert.ToHexStringLower(SHA256.HashData(crash.Input))[..16]}");
        File.WriteAllBytes(file, crash.Input);
        Console.WriteLine($"  crash input written to {file}");
    }

    private static int Repro(FuzzTarget target, string file)
    {
        string outcome = target.Run(File.ReadAllBytes(file));
        Console.WriteLine($"{target.Name}: {outcome}");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
