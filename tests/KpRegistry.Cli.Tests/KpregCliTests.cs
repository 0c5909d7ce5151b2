using KpRegistry.Cli.Tests.Support;

namespace KpRegistry.Cli.Tests;

/// <summary>Parsing, shared options and connection resolution: nothing here reaches a server.</summary>
public sealed class KpregCliTests
{
    [Fact]
    public async Task InvokeAsync_Help_ListsEveryCommandGroup()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("--help");

        Assert.Equal(0, exit);
        foreach (var group in new[] { "participants", "keys", "certificates", "verify" })
            Assert.Contains(group, run.Output.ToString());
    }

    [Fact]
    public async Task InvokeAsync_AsName_ResolvesCertificateAndKeyInCertsDir()
    {
        var run = new CliRun();

        await run.InvokeAsync("participants", "list", "--as", "BW-authority");

        var settings = Assert.Single(run.Connections);
        Assert.Equal(Path.Combine("certs/dev", "BW-authority.crt"), settings.ClientCertificatePath);
        Assert.Equal(Path.Combine("certs/dev", "BW-authority.key"), settings.ClientKeyPath);
        Assert.Equal(Path.Combine("certs/dev", "ca.crt"), settings.CaPath);
        Assert.Equal(new Uri("https://localhost:7443"), settings.Server);
    }

    [Fact]
    public async Task InvokeAsync_AsNameWithCertsDir_UsesThatFolder()
    {
        var run = new CliRun();

        await run.InvokeAsync("keys", "list", "--as", "admin", "--certs-dir", "/etc/kp");

        var settings = Assert.Single(run.Connections);
        Assert.Equal("/etc/kp/admin.crt", settings.ClientCertificatePath);
        Assert.Equal("/etc/kp/admin.key", settings.ClientKeyPath);
        Assert.Equal("/etc/kp/ca.crt", settings.CaPath);
    }

    [Fact]
    public async Task InvokeAsync_AsBeforeCommand_IsStillApplied()
    {
        var run = new CliRun();

        await run.InvokeAsync("--as", "admin", "participants", "list");

        Assert.Equal(Path.Combine("certs/dev", "admin.crt"), Assert.Single(run.Connections).ClientCertificatePath);
    }

    [Fact]
    public async Task InvokeAsync_Environment_SetsServerCaAndClientCertificate()
    {
        var run = new CliRun();
        run.Environment["KPREG_SERVER"] = "https://registry.kp.test:9443";
        run.Environment["KPREG_CA"] = "/pki/ca.pem";
        run.Environment["KPREG_CERT"] = "/pki/me.crt";
        run.Environment["KPREG_KEY"] = "/pki/me.key";

        await run.InvokeAsync("participants", "list");

        Assert.Equal(
            new ConnectionSettings(new Uri("https://registry.kp.test:9443"), "/pki/ca.pem", "/pki/me.crt", "/pki/me.key"),
            Assert.Single(run.Connections));
    }

    [Fact]
    public async Task InvokeAsync_OptionsAndEnvironment_OptionsWin()
    {
        var run = new CliRun();
        run.Environment["KPREG_SERVER"] = "https://env.test";
        run.Environment["KPREG_CERT"] = "/env/me.crt";
        run.Environment["KPREG_KEY"] = "/env/me.key";

        await run.InvokeAsync("participants", "list", "--server", "https://option.test", "--as", "admin");

        var settings = Assert.Single(run.Connections);
        Assert.Equal(new Uri("https://option.test"), settings.Server);
        Assert.Equal(Path.Combine("certs/dev", "admin.crt"), settings.ClientCertificatePath);
    }

    [Fact]
    public async Task InvokeAsync_AsAndCert_FailsWithMessage()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("participants", "list", "--as", "admin", "--cert", "x.crt", "--key", "x.key");

        Assert.Equal(1, exit);
        Assert.Contains("either --as or --cert", run.Error.ToString());
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task InvokeAsync_CertWithoutKey_FailsWithMessage()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("participants", "list", "--cert", "x.crt");

        Assert.Equal(1, exit);
        Assert.Contains("--cert needs --key", run.Error.ToString());
    }

    [Fact]
    public async Task InvokeAsync_ServerNotAnAddress_FailsAtParse()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("participants", "list", "--server", "localhost:7443");

        Assert.Equal(1, exit);
        Assert.Contains("--server must be an absolute https://", run.Error.ToString());
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task InvokeAsync_DefaultChannelFactoryWithoutCa_NamesTheMissingCaFile()
    {
        using var folder = new TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new KpregContext { Output = output, Error = error, Environment = _ => null };

        var exit = await KpregCli.InvokeAsync(
            ["participants", "list", "--certs-dir", folder.Path], context, TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        Assert.Contains($"CA certificate (--ca) not found: {folder.File("ca.crt")}", error.ToString());
    }

    [Fact]
    public async Task InvokeAsync_UnknownCommand_FailsAndPointsToHelp()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("participants", "delete", "BW");

        Assert.NotEqual(0, exit);
        Assert.Contains("see: kpreg participants --help", run.Error.ToString());
    }

    [Fact]
    public void Build_TwoTrees_AreIndependent()
    {
        var first = KpregCli.Build(TextWriter.Null, TextWriter.Null);
        var second = KpregCli.Build(TextWriter.Null, TextWriter.Null);

        Assert.NotSame(first, second);
        Assert.Equal(
            ["participants", "keys", "certificates", "verify", "trust-list", "revocations", "log", "statistics"],
            first.Subcommands.Select(c => c.Name));
    }
}
