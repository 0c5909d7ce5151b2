using CsCheck;

namespace KpRegistry.FuzzTests;

/// <summary>
/// Runs a property over a fixed number of values drawn from a CsCheck generator with a FIXED seed,
/// so that every `dotnet test` checks the same inputs and a failure names the iteration that
/// reproduces it. (CsCheck's own Sample fixes only its first iteration's seed.)
/// </summary>
internal static class Property
{
    /// <summary>The iterations of each property in `dotnet test`; docs/FUZZING.md says how to run far more by hand.</summary>
    public const int Iterations = 10_000;

    public static void ForAll<T>(Gen<T> gen, ulong seed, Action<T> property, int iterations = Iterations, Func<T, string>? describe = null)
    {
        var pcg = new PCG(13, seed);
        for (int i = 0; i < iterations; i++)
        {
            T value = gen.Generate(pcg, null, out _);
            try
            {
                property(value);
            }
            catch (Exception e)
            {
                string shown = describe?.Invoke(value) ?? (value is byte[] bytes ? Convert.ToHexString(bytes) : value?.ToString() ?? "null");
                throw new Xunit.Sdk.XunitException($"Property failed at iteration {i} of seed {seed} for input {shown}:{Environment.NewLine}{e}");
            }
        }
    }
}
