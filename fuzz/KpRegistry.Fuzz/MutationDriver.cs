using System.Diagnostics;
using System.Text;

namespace KpRegistry.Fuzz;

/// <summary>One input that made a target fail, and how.</summary>
public sealed record DriverCrash(string Kind, string Detail, byte[] Input);

/// <summary>What a run of the built-in driver did.</summary>
public sealed record DriverReport(string Target, long Executions, int CorpusSize, int Outcomes, long CrashCount, IReadOnlyList<DriverCrash> Crashes, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"{Target}: {Executions:N0} executions in {Elapsed.TotalSeconds:0} s, {Outcomes} distinct outcomes, corpus {CorpusSize}, crashes {CrashCount}"
        + (Crashes.Count == 0 ? "" : $" ({Crashes.Count} distinct: {string.Join("; ", Crashes.Select(c => c.Kind))})");
}

/// <summary>
/// A mutational fuzzer in the harness itself, for machines without AFL++: it starts from the
/// target's valid seeds, stacks one to four byte-level mutations (bit flips, interesting bytes,
/// inserts, deletes, duplicated and spliced ranges, format tokens), and keeps an input when it
/// reaches an outcome label not seen before: feedback from what the decoder SAID, where AFL++ uses
/// the branches it took. Deterministic for a seed and an execution count.
/// </summary>
public static class MutationDriver
{
    /// <summary>Tokens of the formats under test, inserted whole: a byte-level mutation rarely spells them.</summary>
    private static readonly byte[][] Tokens = [.. new[]
    {
        "\n", "\n\n", "\u2014 ", " ", "+", ":", "/", "-", ".", "=", "KP1:", "KP1R:", "-----BEGIN ", "-----END ", "-----", "PUBLIC KEY",
        "PRIVATE KEY", "EC PRIVATE KEY", "T", "Z", "+14:00", "-00:00", "2026-02-29", "9999-12-31", "c2sp.org/tlog-proof@v1\n", "index ",
        "extra ", "tile/", "x", ".p/", "kp.certificate.v1.Certificate", "kp.registry.v1.KeyStatement", "\u0000", "\uFEFF", "\r\n",
    }.Select(Encoding.UTF8.GetBytes)];

    private const int MaxCorpus = 2048;
    private const int MaxKeptCrashes = 16;

    /// <param name="maxExecutions">Stop after this many executions (null: until <paramref name="duration"/>).</param>
    /// <param name="duration">Stop after this long (null: until <paramref name="maxExecutions"/>).</param>
    /// <param name="maxInputBytes">The largest input made.</param>
    /// <param name="onCrash">Called with each new kind of crash (e.g. to write it to a file).</param>
    public static DriverReport Run(FuzzTarget target, int seed, long? maxExecutions, TimeSpan? duration, int maxInputBytes = 8192, Action<DriverCrash>? onCrash = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (maxExecutions is null && duration is null)
        {
            throw new ArgumentException("Give an execution count, a duration, or both.");
        }
        var random = new Random(seed);
        var corpus = new List<byte[]>(target.Seeds(FuzzWorld.Shared));
        var outcomes = new HashSet<string>(StringComparer.Ordinal);
        var crashes = new Dictionary<string, DriverCrash>(StringComparer.Ordinal);
        long crashCount = 0;
        long executions = 0;
        var clock = Stopwatch.StartNew();

        // The seeds first, unmutated: a valid input must never be a crash.
        var queue = new Queue<byte[]>(corpus);
        while ((maxExecutions is null || executions < maxExecutions) && (duration is null || clock.Elapsed < duration))
        {
            byte[] input = queue.Count > 0 ? queue.Dequeue() : Mutate(corpus, random, maxInputBytes);
            executions++;
            try
            {
                string outcome = target.Run(input);
                if (outcomes.Add(outcome) && corpus.Count < MaxCorpus)
                {
                    corpus.Add(input);
                }
            }
            catch (Exception e)
            {
                crashCount++;
                string kind = CrashKind(e);
                if (!crashes.ContainsKey(kind) && crashes.Count < MaxKeptCrashes)
                {
                    var crash = new DriverCrash(kind, e.ToString(), input);
                    crashes[kind] = crash;
                    onCrash?.Invoke(crash);
                }
            }
        }
        return new DriverReport(target.Name, executions, corpus.Count, outcomes.Count, crashCount, [.. crashes.Values], clock.Elapsed);
    }

    /// <summary>The exception's type and the frame it was thrown from: one bug, one kind.</summary>
    private static string CrashKind(Exception e)
    {
        string? frame = new StackTrace(e, fNeedFileInfo: false).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType is not null)?.GetMethod() is { } method
            ? $"{method.DeclaringType!.Name}.{method.Name}"
            : null;
        return e is FuzzFinding ? $"FuzzFinding: {e.Message}" : $"{e.GetType().Name} at {frame ?? "?"}";
    }

    /// <summary>An input made from the corpus by one to four stacked mutations (one in twenty: fresh random bytes).</summary>
    public static byte[] Mutate(IReadOnlyList<byte[]> corpus, Random random, int maxInputBytes)
    {
        if (random.Next(20) == 0)
        {
            var fresh = new byte[random.Next(0, 256)];
            random.NextBytes(fresh);
            return fresh;
        }
        var data = new List<byte>(corpus[random.Next(corpus.Count)]);
        int stacked = 1 + random.Next(4);
        for (int i = 0; i < stacked; i++)
        {
            MutateOnce(data, corpus, random);
        }
        if (data.Count > maxInputBytes)
        {
            data.RemoveRange(maxInputBytes, data.Count - maxInputBytes);
        }
        return [.. data];
    }

    private static void MutateOnce(List<byte> data, IReadOnlyList<byte[]> corpus, Random random)
    {
        int at = data.Count == 0 ? 0 : random.Next(data.Count);
        switch (random.Next(10))
        {
            case 0 when data.Count > 0:
                data[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[at] = (byte)random.Next(256);
                break;
            case 2 when data.Count > 0:
                data[at] = (byte)(random.Next(5) switch { 0 => 0x00, 1 => 0xFF, 2 => 0x7F, 3 => 0x80, _ => random.Next(17) });
                break;
            case 3:
                byte[] inserted = new byte[1 + random.Next(8)];
                random.NextBytes(inserted);
                data.InsertRange(data.Count == 0 ? 0 : random.Next(data.Count + 1), inserted);
                break;
            case 4 when data.Count > 0:
                data.RemoveRange(at, Math.Min(1 + random.Next(16), data.Count - at));
                break;
            case 5 when data.Count > 0:
                int length = Math.Min(1 + random.Next(32), data.Count - at);
                data.InsertRange(random.Next(data.Count + 1), data.GetRange(at, length));
                break;
            case 6:
                byte[] other = corpus[random.Next(corpus.Count)];
                if (other.Length > 0)
                {
                    int from = random.Next(other.Length);
                    int take = Math.Min(1 + random.Next(64), other.Length - from);
                    data.InsertRange(data.Count == 0 ? 0 : random.Next(data.Count + 1), other.AsSpan(from, take).ToArray());
                }
                break;
            case 7 when data.Count > 0:
                data.RemoveRange(at, data.Count - at);
                break;
            case 8:
                data.InsertRange(data.Count == 0 ? 0 : random.Next(data.Count + 1), Tokens[random.Next(Tokens.Length)]);
                break;
            default:
                if (data.Count > 1)
                {
                    int a = random.Next(data.Count);
                    int b = random.Next(data.Count);
                    (data[a], data[b]) = (data[b], data[a]);
                }
                break;
        }
    }
}
