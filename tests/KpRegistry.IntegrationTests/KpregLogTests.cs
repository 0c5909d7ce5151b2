using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Transparency;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Server.Application;
using Microsoft.Extensions.DependencyInjection;

namespace KpRegistry.IntegrationTests;

/// <summary>kpreg log key, log checkpoint, certificates proof and verify --offline --proof against the real server.</summary>
public sealed class KpregLogTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task LogKeyAndCheckpoint_LogKeyGiven_PrintsTheKeyAndAcceptsTheCheckpoint()
    {
        string key = registry.Server.Services.GetRequiredService<TransparencyLog>().VerifierKey.ToString();

        var printed = await registry.KpregAsync("log", "key");
        var accepted = await registry.KpregAsync("log", "checkpoint", "--log-key", key);

        Assert.Equal(0, printed.Exit);
        Assert.Equal(key, printed.Output.Trim());
        Assert.Equal(0, accepted.Exit);
        Assert.Contains("ACCEPTED", accepted.Output);
    }

    [Fact]
    public async Task LogCheckpoint_WitnessPolicyNotMet_RefusedNamingTheMissingWitness()
    {
        string key = registry.Server.Services.GetRequiredService<TransparencyLog>().VerifierKey.ToString();
        using SigningKey witnessKey = SigningKey.Generate(Domain.Keys.KeyAlgorithm.Ed25519);
        string witness = new CosignatureSigner("absent.witness/kp", witnessKey).VerifierKey.ToString();

        var refused = await registry.KpregAsync("log", "checkpoint", "--log-key", key, "--witness", witness);

        Assert.Equal(2, refused.Exit);
        Assert.Contains("REFUSED", refused.Output);
        Assert.Contains("missing: absent.witness/kp", refused.Output);
    }

    [Fact]
    public async Task CertificatesProof_ThenVerifyOfflineWithProof_ValidAndProofAccepted()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        IssueCertificateResponse issued = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        await TransparencyLogTests.WaitForAsync(
            () => registry.Verification().VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = issued.Envelope }).ResponseAsync,
            r => r.Checkpoint.Length > 0);
        string folder = Directory.CreateTempSubdirectory("kpreg-proof-").FullName;
        try
        {
            string proofFile = Path.Combine(folder, "x.proof");
            string envelopeFile = Path.Combine(folder, "cert.bin");
            string trustListFile = Path.Combine(folder, "tl.bin");
            await File.WriteAllBytesAsync(envelopeFile, Google.Protobuf.MessageExtensions.ToByteArray(issued.Envelope));
            SignedEnvelope tl = await registry.Verification().GetTrustListAsync(new GetTrustListRequest());
            await File.WriteAllBytesAsync(trustListFile, Google.Protobuf.MessageExtensions.ToByteArray(tl));
            string pin = KeyStatement.Parser.ParseFrom(TrustList.Parser.ParseFrom(tl.Payload).RegistryKeyChain[0].Payload).KeyId;
            string key = registry.Server.Services.GetRequiredService<TransparencyLog>().VerifierKey.ToString();

            var written = await registry.KpregAsync("certificates", "proof", "BW", issued.Record.CertificateNumber, "--out", proofFile);
            var verified = await registry.KpregAsync("verify", envelopeFile, "--offline", "--trust-list", trustListFile, "--pin", pin, "--proof", proofFile, "--log-key", key);

            Assert.Equal(0, written.Exit);
            Assert.StartsWith(TlogProof.Header, await File.ReadAllTextAsync(proofFile));
            Assert.True(0 == verified.Exit, verified.Output + verified.Error);
            Assert.Contains($"log proof: entry {issued.LogIndex} ", verified.Error);

            // Another certificate's envelope with this proof: refused.
            IssueCertificateResponse other = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
            await File.WriteAllBytesAsync(envelopeFile, Google.Protobuf.MessageExtensions.ToByteArray(other.Envelope));
            var mismatched = await registry.KpregAsync("verify", envelopeFile, "--offline", "--trust-list", trustListFile, "--pin", pin, "--proof", proofFile, "--log-key", key);
            Assert.Equal(2, mismatched.Exit);
            Assert.Contains("log proof REFUSED: the proof's log entry is not this certificate", mismatched.Error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task VerifyOfflineWithProof_NoLogKeyGiven_UsesTheTrustListsLogKey()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        IssueCertificateResponse issued = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        await TransparencyLogTests.WaitForAsync(
            () => registry.Verification().VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = issued.Envelope }).ResponseAsync,
            r => r.Checkpoint.Length > 0);
        string folder = Directory.CreateTempSubdirectory("kpreg-proof-").FullName;
        try
        {
            string proofFile = Path.Combine(folder, "x.proof");
            string envelopeFile = Path.Combine(folder, "cert.bin");
            string trustListFile = Path.Combine(folder, "tl.bin");
            await File.WriteAllBytesAsync(envelopeFile, Google.Protobuf.MessageExtensions.ToByteArray(issued.Envelope));
            SignedEnvelope tl = await registry.Verification().GetTrustListAsync(new GetTrustListRequest());
            await File.WriteAllBytesAsync(trustListFile, Google.Protobuf.MessageExtensions.ToByteArray(tl));
            TrustList list = TrustList.Parser.ParseFrom(tl.Payload);
            string pin = KeyStatement.Parser.ParseFrom(list.RegistryKeyChain[0].Payload).KeyId;

            var written = await registry.KpregAsync("certificates", "proof", "BW", issued.Record.CertificateNumber, "--out", proofFile);
            var verified = await registry.KpregAsync("verify", envelopeFile, "--offline", "--trust-list", trustListFile, "--pin", pin, "--proof", proofFile);
            var online = await registry.KpregAsync("verify", envelopeFile, "--proof", proofFile);

            Assert.Equal(registry.Server.Services.GetRequiredService<TransparencyLog>().VerifierKey.ToString(), list.LogVerifierKey);
            Assert.Equal(0, written.Exit);
            Assert.True(0 == verified.Exit, verified.Output + verified.Error);
            Assert.Contains($"log proof: entry {issued.LogIndex} ", verified.Error);
            // Online there is no verified trust list to take the key from.
            Assert.Equal(1, online.Exit);
            Assert.Contains("--proof needs --log-key", online.Error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
