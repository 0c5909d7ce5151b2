using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Transparency;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Server.Application;
using KpRegistry.Witness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using KeyAlgorithm = KpRegistry.Contracts.Registry.V1.KeyAlgorithm;

namespace KpRegistry.IntegrationTests;

/// <summary>The registry configured with a witness (the real witness app on a loopback port) collects its cosignature.</summary>
public sealed class WitnessCosigningTests
{
    private const string WitnessName = "witness.test/kp";

    [Fact]
    public async Task Checkpoint_WitnessConfigured_ServedWithItsValidCosignature()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        TransparencyLog first = server.Services.GetRequiredService<TransparencyLog>();
        string origin = first.Origin;
        string logKey = first.VerifierKey.ToString();
        await server.StopAsync();

        string folder = Directory.CreateTempSubdirectory("kp-it-witness-").FullName;
        try
        {
            // The witness's key made here, so the test knows its verifier key; the witness loads it (owner-only, as it requires).
            using SigningKey witnessKey = SigningKey.Generate(Domain.Keys.KeyAlgorithm.Ed25519);
            string keyFile = Path.Combine(folder, "witness-key.pem");
            File.WriteAllText(keyFile, witnessKey.ExportPkcs8Pem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            string witnessVerifierKey = new CosignatureSigner(WitnessName, witnessKey).VerifierKey.ToString();
            WebApplication witness = WitnessApp.Build(
            [
                "--urls", "http://127.0.0.1:0",
                "--Witness:Name", WitnessName,
                "--Witness:KeyFile", keyFile,
                "--Witness:Database", Path.Combine(folder, "witness.db"),
                "--Witness:Logs:0:Origin", origin,
                "--Witness:Logs:0:VerifierKey", logKey,
                "--Logging:LogLevel:Default=Warning",
            ]);
            await witness.StartAsync();
            try
            {
                string witnessUrl = witness.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                server.ExtraArguments.AddRange(
                [
                    $"--KpRegistry:Log:Witnesses:0:Name={WitnessName}",
                    $"--KpRegistry:Log:Witnesses:0:VerifierKey={witnessVerifierKey}",
                    $"--KpRegistry:Log:Witnesses:0:Url={witnessUrl}",
                    "--KpRegistry:Log:WitnessThreshold=1",
                ]);
                await server.StartAsync();
                await new Registry.RegistryClient(server.ChannelAs("BW-authority")).CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.Ed25519 });
                IssueCertificateResponse issued = await new Certificates.CertificatesClient(server.ChannelAs("BW-authority"))
                    .IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
                TransparencyLog log = server.Services.GetRequiredService<TransparencyLog>();
                var trust = new LogTrust(origin, NoteVerifiers.FromVerifierKey(logKey),
                    new WitnessPolicy([NoteVerifiers.FromVerifierKey(witnessVerifierKey)], 1));

                PublishedCheckpoint cosigned = await TransparencyLogTests.WaitForAsync(() => Task.FromResult(log.Latest!),
                    c => c.TreeSize > issued.LogIndex && trust.VerifyCheckpoint(c.Note).IsValid);

                TransparencyCheck check = trust.VerifyCheckpoint(cosigned.Note);
                Assert.Equal([WitnessName], check.Witnesses!.Cosigned);
                // Without the witness's line, the same policy refuses it and names the missing witness.
                SignedNote note = SignedNote.Parse(cosigned.Note);
                string logOnly = new SignedNote(note.Text, [.. note.Signatures.Where(s => s.KeyName != WitnessName)]).Format();
                TransparencyCheck refused = trust.VerifyCheckpoint(logOnly);
                Assert.False(refused.IsValid);
                Assert.Contains(WitnessName, refused.Failure);
            }
            finally
            {
                await witness.StopAsync();
                await witness.DisposeAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
