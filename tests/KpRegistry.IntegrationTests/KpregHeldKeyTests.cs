using KpRegistry.IntegrationTests.TestData;

namespace KpRegistry.IntegrationTests;

/// <summary>The held-key journey with kpreg: generate, register, sign locally, submit, fetch the lists, verify offline.</summary>
public sealed class KpregHeldKeyTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private Task<(int Exit, string Output, string Error)> KpregAsync(params string[] args) => registry.KpregAsync(args);

    [Fact]
    public async Task Kpreg_HeldKeyGenerateRegisterSignSubmitAndVerifyOffline_AsTheReadmeSays()
    {
        string folder = Directory.CreateTempSubdirectory("kpreg-held-").FullName;
        string F(string n) => Path.Combine(folder, n);
        var c = SampleCertificates.Valid(issuer: "GH");
        await File.WriteAllTextAsync(F("gh.json"), KpRegistry.Cli.Output.JsonFormatter.Format(c), TestContext.Current.CancellationToken);

        var gen = await KpregAsync("keys", "generate", "--out", F("gh.pem"));
        Assert.True(gen.Exit == 0, gen.Error);
        var reg = await KpregAsync("keys", "register", "--key", F("gh.pem"), "--participant", "GH", "--as", "GH-authority");
        Assert.True(reg.Exit == 0, reg.Error + reg.Output);
        var sign = await KpregAsync("certificates", "sign", F("gh.json"), "--key", F("gh.pem"), "--out", F("gh.envelope"));
        Assert.True(sign.Exit == 0, sign.Error);
        var submit = await KpregAsync("certificates", "submit", F("gh.envelope"), "--as", "GH-authority");
        Assert.True(submit.Exit == 0, submit.Error);
        var online = await KpregAsync("verify", F("gh.envelope"));
        Assert.True(online.Exit == 0, online.Output);

        var fetch0 = await KpregAsync("trust-list", "fetch", "--out", F("tl.bin"));
        Assert.True(fetch0.Exit == 0, fetch0.Error);
        string pin = fetch0.Output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("1  ", StringComparison.Ordinal))[3..67];
        var fetch = await KpregAsync("trust-list", "fetch", "--out", F("tl.bin"), "--pin", pin);
        Assert.True(fetch.Exit == 0, fetch.Error);
        var rl = await KpregAsync("revocations", "fetch", "--out", F("rl.bin"));
        Assert.True(rl.Exit == 0, rl.Error);
        var offline = await KpregAsync("verify", F("gh.envelope"), "--offline", "--trust-list", F("tl.bin"), "--revocations", F("rl.bin"), "--pin", pin);
        Assert.True(offline.Exit == 0, offline.Output + offline.Error);
        Assert.Equal(online.Output.Split('\n')[0], offline.Output.Split('\n')[0]);

        var cancel = await KpregAsync("certificates", "cancel", "GH", c.CertificateNumber, "--reason", "stolen", "--as", "GH-authority");
        Assert.True(cancel.Exit == 0, cancel.Error);
        var rl2 = await KpregAsync("revocations", "fetch", "--out", F("rl.bin"));
        var offline2 = await KpregAsync("verify", F("gh.envelope"), "--offline", "--trust-list", F("tl.bin"), "--revocations", F("rl.bin"), "--pin", pin);
        Assert.Equal(2, offline2.Exit);
        Assert.Contains("CERTIFICATE_CANCELLED", offline2.Output);

        using var key = Crypto.SigningKey.ImportPkcs8Pem(await File.ReadAllTextAsync(F("gh.pem"), TestContext.Current.CancellationToken));
        var gen2 = await KpregAsync("keys", "generate", "--algorithm", "ml-dsa-65", "--out", F("gh2.pem"));
        var rotate = await KpregAsync("keys", "rotate", key.KeyId, "--key", F("gh2.pem"), "--current-key", F("gh.pem"), "--as", "GH-authority");
        Assert.True(rotate.Exit == 0, rotate.Error + rotate.Output);
        var revoke = await KpregAsync("keys", "revoke", key.KeyId, "--reason", "laptop stolen", "--compromised-since", "2020-01-01T00:00:00Z", "--as", "GH-authority");
        Assert.True(revoke.Exit == 0, revoke.Error + revoke.Output);
        Assert.Contains("affected certificates", revoke.Output);
        Directory.Delete(folder, recursive: true);
    }
}
