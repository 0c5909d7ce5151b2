using KpRegistry.Crypto;
using KpRegistry.Witness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// The real witness app (src/KpRegistry.Witness) on a loopback port, following one log, with a key
/// made here so the test knows its verifier key; its folder is deleted when it is disposed.
/// </summary>
public sealed class TestWitness : IAsyncDisposable
{
    public const string Name = "witness.test/kp";

    private readonly WebApplication _app;
    private readonly string _folder;

    private TestWitness(WebApplication app, string folder, string verifierKey)
    {
        _app = app;
        _folder = folder;
        VerifierKey = verifierKey;
        Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>The witness's verifier key, in the signed-note form.</summary>
    public string VerifierKey { get; }

    /// <summary>The witness's base URL (its add-checkpoint endpoint is under it).</summary>
    public string Url { get; }

    /// <summary>Starts a witness of the log <paramref name="origin"/> whose verifier key is <paramref name="logKey"/>.</summary>
    public static async Task<TestWitness> StartAsync(string origin, string logKey)
    {
        string folder = Directory.CreateTempSubdirectory("kp-it-witness-").FullName;
        // The witness loads its key from an owner-only file, as it requires.
        using SigningKey key = SigningKey.Generate(Domain.Keys.KeyAlgorithm.Ed25519);
        string keyFile = Path.Combine(folder, "witness-key.pem");
        File.WriteAllText(keyFile, key.ExportPkcs8Pem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        string verifierKey = new CosignatureSigner(Name, key).VerifierKey.ToString();
        WebApplication app = WitnessApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Witness:Name", Name,
            "--Witness:KeyFile", keyFile,
            "--Witness:Database", Path.Combine(folder, "witness.db"),
            "--Witness:Logs:0:Origin", origin,
            "--Witness:Logs:0:VerifierKey", logKey,
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        return new TestWitness(app, folder, verifierKey);
    }

    /// <summary>Configures <paramref name="server"/> (before its next start) to ask this witness, with a policy of 1 of 1.</summary>
    public void Configure(RegistryServer server) =>
        server.ExtraArguments.AddRange(
        [
            $"--KpRegistry:Log:Witnesses:0:Name={Name}",
            $"--KpRegistry:Log:Witnesses:0:VerifierKey={VerifierKey}",
            $"--KpRegistry:Log:Witnesses:0:Url={Url}",
            "--KpRegistry:Log:WitnessThreshold=1",
        ]);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
