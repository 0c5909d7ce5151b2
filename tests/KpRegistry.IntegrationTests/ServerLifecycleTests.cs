using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Server.Hosting;

namespace KpRegistry.IntegrationTests;

/// <summary>Start, stop, start again; health and reflection for operators and load balancers.</summary>
public sealed class ServerLifecycleTests
{
    [Fact]
    public async Task Restart_SameDataFolder_ParticipantsKeysAndCertificatesKeptAndEarlierCertificatesStillVerify()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        Key key;
        IssueCertificateResponse issued;
        int participantCount;
        using (var authority = server.ChannelAs("BW-authority"))
        using (var anonymous = server.AnonymousChannel())
        {
            key = await new Registry.RegistryClient(authority).CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW" });
            issued = await new Certificates.CertificatesClient(authority).IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
            participantCount = (await new Registry.RegistryClient(anonymous).ListParticipantsAsync(new ListParticipantsRequest())).Participants.Count;
        }

        await server.StopAsync();
        await server.StartAsync();

        using var channel = server.AnonymousChannel();
        var registry = new Registry.RegistryClient(channel);
        Assert.Equal(participantCount, (await registry.ListParticipantsAsync(new ListParticipantsRequest())).Participants.Count);
        Assert.Equal(key, await registry.GetKeyAsync(new GetKeyRequest { KeyId = key.KeyId }));
        GetCertificateResponse stored = await new Certificates.CertificatesClient(channel).GetCertificateAsync(new GetCertificateRequest
        {
            IssuingParticipant = "BW", CertificateNumber = issued.Record.CertificateNumber,
        });
        Assert.Equal(issued.Envelope, stored.Envelope);
        VerifyCertificateResult result = await new Verification.VerificationClient(channel).VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = stored.Envelope });
        Assert.True(result.Valid, string.Join("; ", result.Details));
        Assert.Equal(issued.Record.RecordedAt, result.RecordedAt);

        // The managed key was sealed at rest and is opened again after the restart: it still signs.
        using var authorityAgain = server.ChannelAs("BW-authority");
        IssueCertificateResponse after = await new Certificates.CertificatesClient(authorityAgain).IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        Assert.Equal(key.KeyId, after.Record.KeyId);
    }

    [Fact]
    public async Task Start_ProductionWithoutKek_RefusesNamingTheMissingKey()
    {
        string root = Directory.CreateTempSubdirectory("kpreg-prod-").FullName;
        string[] args = ["--environment", "Production", "--urls", "https://127.0.0.1:0",
            $"--KpRegistry:DataDirectory={root}/data", $"--KpRegistry:CertificatesDirectory={root}/certs", "--KpRegistry:KeyEncryptionKeyVariable=KPREG_TEST_UNSET_KEK"];

        var refused = await Assert.ThrowsAsync<StartupRefusedException>(() => RegistryApp.BuildAsync(args));

        Assert.Contains("no key-encryption key", refused.Message);
        Assert.Contains("registry.kek", refused.Message);
        Assert.False(File.Exists(Path.Combine(root, "data", "registry.kek")), "outside Development no KEK is made");
        Assert.False(Directory.Exists(Path.Combine(root, "certs")), "outside Development no certificate is made");
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Start_ProductionWithKekButNoCertificates_RefusesNamingTheMissingFiles()
    {
        string root = Directory.CreateTempSubdirectory("kpreg-prod-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "data"));
        using (var kek = KpRegistry.Crypto.KeyEncryptionKey.Generate())
        {
            kek.WriteToFile(Path.Combine(root, "data", "registry.kek"));
        }
        string[] args = ["--environment", "Production", "--urls", "https://127.0.0.1:0",
            $"--KpRegistry:DataDirectory={root}/data", $"--KpRegistry:CertificatesDirectory={root}/certs", "--KpRegistry:KeyEncryptionKeyVariable=KPREG_TEST_UNSET_KEK"];

        var refused = await Assert.ThrowsAsync<StartupRefusedException>(() => RegistryApp.BuildAsync(args));

        Assert.Contains("server.crt", refused.Message);
        Assert.Contains("ca.crt", refused.Message);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Health_RunningServer_Serving()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        using var channel = server.AnonymousChannel();

        HealthCheckResponse health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Reflection_ListServices_NamesTheThreeServices()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        using var channel = server.AnonymousChannel();
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("kp.registry.v1.Registry", names);
        Assert.Contains("kp.certificate.v1.Certificates", names);
        Assert.Contains("kp.verification.v1.Verification", names);
        Assert.Contains("grpc.health.v1.Health", names);
    }
}
