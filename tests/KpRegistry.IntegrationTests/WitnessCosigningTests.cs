using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Transparency;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Server.Application;
using Microsoft.Extensions.DependencyInjection;
using KeyAlgorithm = KpRegistry.Contracts.Registry.V1.KeyAlgorithm;

namespace KpRegistry.IntegrationTests;

/// <summary>The registry configured with a witness (the real witness app on a loopback port) collects its cosignature.</summary>
public sealed class WitnessCosigningTests
{
    [Fact]
    public async Task Checkpoint_WitnessConfigured_ServedWithItsValidCosignature()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        TransparencyLog first = server.Services.GetRequiredService<TransparencyLog>();
        string origin = first.Origin;
        string logKey = first.VerifierKey.ToString();
        await server.StopAsync();

        await using TestWitness witness = await TestWitness.StartAsync(origin, logKey);
        witness.Configure(server);
        await server.StartAsync();
        await new Registry.RegistryClient(server.ChannelAs("BW-authority")).CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.Ed25519 });
        IssueCertificateResponse issued = await new Certificates.CertificatesClient(server.ChannelAs("BW-authority"))
            .IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        TransparencyLog log = server.Services.GetRequiredService<TransparencyLog>();
        var trust = new LogTrust(origin, NoteVerifiers.FromVerifierKey(logKey),
            new WitnessPolicy([NoteVerifiers.FromVerifierKey(witness.VerifierKey)], 1));

        PublishedCheckpoint cosigned = await TransparencyLogTests.WaitForAsync(() => Task.FromResult(log.Latest!),
            c => c.TreeSize > issued.LogIndex && trust.VerifyCheckpoint(c.Note).IsValid);

        TransparencyCheck check = trust.VerifyCheckpoint(cosigned.Note);
        Assert.Equal([TestWitness.Name], check.Witnesses!.Cosigned);
        // Without the witness's line, the same policy refuses it and names the missing witness.
        SignedNote note = SignedNote.Parse(cosigned.Note);
        string logOnly = new SignedNote(note.Text, [.. note.Signatures.Where(s => s.KeyName != TestWitness.Name)]).Format();
        TransparencyCheck refused = trust.VerifyCheckpoint(logOnly);
        Assert.False(refused.IsValid);
        Assert.Contains(TestWitness.Name, refused.Failure);
    }
}
