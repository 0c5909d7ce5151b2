using System.Diagnostics;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// The Dockerfile and compose.yaml, checked by a Docker engine where one answers. The project's
/// machines have none: there the tests are skipped, saying so, rather than passing unchecked.
/// </summary>
public sealed class DockerfileTests
{
    [Fact]
    public async Task Dockerfile_BuiltByADockerEngine_Succeeds()
    {
        await SkipWithoutDockerAsync();

        var (exit, output) = await RunAsync("docker", ["build", "--tag", "kpregistry-test", "."], TimeSpan.FromMinutes(30));

        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task ComposeFile_ReadByDockerCompose_NamesTwoRegistryInstancesAndSqlServer()
    {
        await SkipWithoutDockerAsync();
        if ((await RunAsync("docker", ["compose", "version"], TimeSpan.FromMinutes(1))).Exit != 0)
        {
            Assert.Skip("the Docker engine answers but the compose plugin is not installed (`docker compose version` failed)");
        }

        var (exit, output) = await RunAsync("docker", ["compose", "config", "--services"], TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["KPREG_KEK"] = Convert.ToBase64String(new byte[32]), ["MSSQL_SA_PASSWORD"] = "only-to-read-the-file-1A!" });

        Assert.True(exit == 0, output);
        Assert.Equal(["registry-a", "registry-b", "sqlserver"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
    }

    private static async Task SkipWithoutDockerAsync()
    {
        string? reason;
        try
        {
            var (exit, output) = await RunAsync("docker", ["info", "--format", "{{.ServerVersion}}"], TimeSpan.FromMinutes(1));
            reason = exit == 0 ? null : $"no Docker engine answers on this machine (`docker info` exited {exit}: {output.Trim()})";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            reason = "no Docker on this machine (`docker` is not on the PATH)";
        }
        if (reason is not null)
        {
            Assert.Skip(reason);
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments, TimeSpan limit, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Checkout(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await error);
    }

    private static string Checkout()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "KpRegistry.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("The checkout (KpRegistry.sln) is not above the test binaries.");
    }
}
