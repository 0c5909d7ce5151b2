using CsCheck;
using KpRegistry.Fuzz;

namespace KpRegistry.FuzzTests;

/// <summary>
/// Every fuzz target (one per decoder an attacker reaches) over arbitrary bytes and over mutations
/// of its valid seeds: only the documented refusal comes out, and nothing the fuzz world did not
/// sign is ever accepted (the targets throw <see cref="FuzzFinding"/> for that).
/// </summary>
public class DecoderPropertyTests
{
    public static readonly TheoryData<string> TargetNames = new(Targets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Run_ArbitraryBytes_OnlyDocumentedRefusalsAndNeverValid(string name)
    {
        FuzzTarget target = Targets.Named(name);

        Property.ForAll(Gen.Byte.Array[0, 700], seed: 20261130, input => target.Run(input));
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Run_MutatedValidSeeds_OnlyDocumentedRefusalsAndNeverValid(string name)
    {
        FuzzTarget target = Targets.Named(name);
        IReadOnlyList<byte[]> seeds = target.Seeds(FuzzWorld.Shared);
        // A mutation: which seed, then up to four (operation, position, value) edits; CsCheck shrinks toward fewer, smaller edits.
        Gen<byte[]> mutated =
            from seedIndex in Gen.Int[0, seeds.Count - 1]
            from edits in Gen.Select(Gen.Int[0, 4], Gen.Int[0, int.MaxValue], Gen.Byte).Array[1, 4]
            select Apply(seeds[seedIndex], edits);

        Property.ForAll(mutated, seed: 13, input => target.Run(input));
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Run_BuiltInDriverFixedSeed_FindsNoCrash(string name)
    {
        DriverReport report = MutationDriver.Run(Targets.Named(name), seed: 13, maxExecutions: Property.Iterations, duration: null);

        Assert.True(report.CrashCount == 0, report + Environment.NewLine + string.Join(Environment.NewLine, report.Crashes.Select(c => c.Detail)));
        Assert.Equal(Property.Iterations, report.Executions);
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Seeds_EachTarget_AreAcceptedAsValidInput(string name)
    {
        // The seeds are the valid inputs mutations start from: a target whose seed were refused would fuzz only its first check.
        FuzzTarget target = Targets.Named(name);
        foreach (byte[] seed in target.Seeds(FuzzWorld.Shared))
        {
            string outcome = target.Run(seed);
            Assert.False(outcome.StartsWith("refused", StringComparison.Ordinal) || outcome == "not-an-envelope", $"the seed of {name} was refused: {outcome}");
        }
    }

    private static byte[] Apply(byte[] seed, (int Operation, int Position, byte Value)[] edits)
    {
        var data = new List<byte>(seed);
        foreach ((int operation, int position, byte value) in edits)
        {
            int at = data.Count == 0 ? 0 : position % data.Count;
            switch (operation)
            {
                case 0 when data.Count > 0: data[at] ^= (byte)(1 << (value & 7)); break;
                case 1 when data.Count > 0: data[at] = value; break;
                case 2: data.Insert(data.Count == 0 ? 0 : position % (data.Count + 1), value); break;
                case 3 when data.Count > 0: data.RemoveRange(at, Math.Min(1 + value % 16, data.Count - at)); break;
                case 4 when data.Count > 0: data.RemoveRange(at, data.Count - at); break;
            }
        }
        return [.. data];
    }
}
