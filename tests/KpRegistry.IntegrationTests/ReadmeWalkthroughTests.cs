
namespace KpRegistry.IntegrationTests;

/// <summary>The README's walkthrough, command by command, with kpreg against the real server.</summary>
public sealed class ReadmeWalkthroughTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private Task<(int Exit, string Output, string Error)> KpregAsync(params string[] args) => registry.KpregAsync(args);

    [Fact]
    public async Task Walkthrough_KeyCertificateVerification_AsTheReadmeSays()
    {
        string folder = Directory.CreateTempSubdirectory("kpreg-walkthrough-").FullName;
        string json = Path.Combine(folder, "bw.json");
        string envelope = Path.Combine(folder, "bw.envelope");

        var participants = await KpregAsync("participants", "list");
        var key = await KpregAsync("keys", "create", "--participant", "BW", "--as", "BW-authority");
        var sample = await KpregAsync("certificates", "sample", "--issuer", "BW", "--destination", "EU", "--out", json);
        var issue = await KpregAsync("certificates", "issue", json, "--as", "BW-authority", "--out", envelope);
        var verify = await KpregAsync("verify", envelope, "--presented-at", "EU");
        var elsewhere = await KpregAsync("verify", envelope, "--presented-at", "AE");
        var again = await KpregAsync("certificates", "issue", json, "--as", "BW-authority");
        var foreign = await KpregAsync("keys", "create", "--participant", "ZA", "--as", "BW-authority");
        var suspend = await KpregAsync("participants", "set-status", "BW", "suspended", "--as", "BW-authority");

        Assert.Equal(0, participants.Exit);
        Assert.Contains("Botswana", participants.Output);
        Assert.Equal(0, key.Exit);
        Assert.Equal(0, sample.Exit);
        Assert.Equal(0, issue.Exit);
        Assert.True(File.Exists(envelope));
        Assert.Equal(0, verify.Exit);
        Assert.StartsWith("VALID", verify.Output);
        Assert.Equal(2, elsewhere.Exit);
        Assert.Contains("WRONG_DESTINATION", elsewhere.Output);
        Assert.Equal(1, again.Exit);
        Assert.Contains("AlreadyExists", again.Error);
        Assert.Equal(1, foreign.Exit);
        Assert.Contains("PermissionDenied", foreign.Error);
        Assert.Equal(1, suspend.Exit);
        Assert.Contains("PermissionDenied", suspend.Error);
        Directory.Delete(folder, recursive: true);
    }
}
