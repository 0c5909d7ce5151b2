using System.Diagnostics;

namespace KpRegistry.Crypto.Tests.TestSupport;

/// <summary>Runs the openssl command line (and bash, for FORMAT.md's script) in a temporary directory; skips the test visibly when openssl is absent.</summary>
internal sealed class OpenSsl : IDisposable
{
    private const string DefaultPath = "/usr/bin/openssl";

    private OpenSsl(string executable)
    {
        Executable = executable;
        Directory = System.IO.Directory.CreateTempSubdirectory("kpreg-openssl-").FullName;
    }

    public string Executable { get; }

    /// <summary>The working directory; deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>An openssl runner, or a visible skip of the current test when openssl is not installed.</summary>
    public static OpenSsl RequireOrSkip()
    {
        string? found = File.Exists(DefaultPath) ? DefaultPath : FindOnPath("openssl");
        if (found is null)
        {
            Assert.Skip("openssl is not installed (looked for /usr/bin/openssl and on PATH); OpenSSL interop not checked.");
        }
        return new OpenSsl(found);
    }

    public static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public void Write(string fileName, byte[] bytes) => File.WriteAllBytes(PathOf(fileName), bytes);

    public void Write(string fileName, string text) => File.WriteAllText(PathOf(fileName), text);

    public byte[] ReadBytes(string fileName) => File.ReadAllBytes(PathOf(fileName));

    public string ReadText(string fileName) => File.ReadAllText(PathOf(fileName));

    /// <summary>Runs openssl with <paramref name="arguments"/>; fails the test on a non-zero exit unless <paramref name="allowFailure"/>.</summary>
    public ProcessResult Run(bool allowFailure, params string[] arguments) => RunProcess(Executable, arguments, allowFailure);

    public ProcessResult Run(params string[] arguments) => Run(false, arguments);

    public ProcessResult RunProcess(string executable, IEnumerable<string> arguments, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', arguments)} did not finish in 60 s.");
        }
        var result = new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
        if (!allowFailure && result.ExitCode != 0)
        {
            Assert.Fail($"{Path.GetFileName(executable)} {string.Join(' ', arguments)} exited {result.ExitCode}\nstdout: {result.StandardOutput}\nstderr: {result.StandardError}");
        }
        return result;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
