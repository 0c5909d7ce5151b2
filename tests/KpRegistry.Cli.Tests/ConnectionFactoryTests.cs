using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using KpRegistry.Cli.Tests.Support;

namespace KpRegistry.Cli.Tests;

public sealed class ConnectionFactoryTests
{
    private static readonly X509Certificate2 RegistryCa = TestCertificates.Ca("KpRegistry Test CA");
    private static readonly X509Certificate2 OtherCa = TestCertificates.Ca("Someone Else's CA");

    private static X509Certificate2Collection Trust(X509Certificate2 ca) => [ca];

    [Fact]
    public void ValidateServerCertificate_SignedByGivenCa_Accepts()
    {
        var server = TestCertificates.Server(RegistryCa, "localhost");

        Assert.True(ConnectionFactory.ValidateServerCertificate(Trust(RegistryCa), server, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void ValidateServerCertificate_SignedByAnotherCa_Refuses()
    {
        var server = TestCertificates.Server(OtherCa, "localhost");

        Assert.False(ConnectionFactory.ValidateServerCertificate(Trust(RegistryCa), server, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void ValidateServerCertificate_PlatformTrustsButNotGivenCa_Refuses()
    {
        // The machine's store may trust the server (no policy errors): only the given CA counts.
        var server = TestCertificates.Server(OtherCa, "localhost");

        Assert.False(ConnectionFactory.ValidateServerCertificate(Trust(RegistryCa), server, null, SslPolicyErrors.None));
    }

    [Fact]
    public void ValidateServerCertificate_OtherCaPresentedInChain_Refuses()
    {
        // A server that sends its own root along does not become trusted by doing so.
        var server = TestCertificates.Server(OtherCa, "localhost");
        using var presented = new X509Chain();
        presented.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        presented.ChainPolicy.CustomTrustStore.Add(OtherCa);
        presented.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(presented.Build(server));

        Assert.False(ConnectionFactory.ValidateServerCertificate(Trust(RegistryCa), server, presented, SslPolicyErrors.None));
    }

    [Fact]
    public void ValidateServerCertificate_SelfSigned_Refuses()
    {
        var server = TestCertificates.SelfSignedServer("localhost");

        Assert.False(ConnectionFactory.ValidateServerCertificate(Trust(RegistryCa), server, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void ValidateServerCertificate_NameMismatch_Refuses()
    {
        var server = TestCertificates.Server(RegistryCa, "registry.example");

        Assert.False(ConnectionFactory.ValidateServerCertificate(
            Trust(RegistryCa), server, null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void ValidateServerCertificate_ClientOnlyCertificate_Refuses()
    {
        var client = TestCertificates.Client(RegistryCa, "BW-authority");

        Assert.False(ConnectionFactory.ValidateServerCertificate(Trust(RegistryCa), client, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void ValidateServerCertificate_NoCertificate_Refuses()
    {
        Assert.False(ConnectionFactory.ValidateServerCertificate(Trust(RegistryCa), null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void LoadCertificateAuthorities_PemFile_ReadsTheCa()
    {
        using var folder = new TempFolder();
        TestCertificates.WritePem(RegistryCa, folder.File("ca.crt"));

        var roots = ConnectionFactory.LoadCertificateAuthorities(folder.File("ca.crt"));

        Assert.Equal(RegistryCa.Thumbprint, Assert.Single(roots).Thumbprint);
    }

    [Fact]
    public void LoadCertificateAuthorities_MissingFile_ThrowsNamingIt()
    {
        var error = Assert.Throws<CliException>(() => ConnectionFactory.LoadCertificateAuthorities("/nowhere/ca.crt"));

        Assert.Contains("/nowhere/ca.crt", error.Message);
    }

    [Fact]
    public void LoadCertificateAuthorities_NotPem_ThrowsNamingIt()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("ca.crt"), "not a certificate");

        var error = Assert.Throws<CliException>(() => ConnectionFactory.LoadCertificateAuthorities(folder.File("ca.crt")));

        Assert.Contains("ca.crt", error.Message);
    }

    [Fact]
    public void LoadClientCertificate_PemPair_HasPrivateKey()
    {
        using var folder = new TempFolder();
        var client = TestCertificates.Client(RegistryCa, "BW-authority");
        TestCertificates.WritePem(client, folder.File("BW-authority.crt"), folder.File("BW-authority.key"));

        using var loaded = ConnectionFactory.LoadClientCertificate(folder.File("BW-authority.crt"), folder.File("BW-authority.key"));

        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(client.Thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public void LoadClientCertificate_KeyOfAnotherCertificate_ThrowsWithoutKeyContent()
    {
        using var folder = new TempFolder();
        var client = TestCertificates.Client(RegistryCa, "BW-authority");
        var other = TestCertificates.Client(RegistryCa, "ZA-authority");
        TestCertificates.WritePem(client, folder.File("BW-authority.crt"));
        TestCertificates.WritePem(other, folder.File("other.crt"), folder.File("BW-authority.key"));

        var error = Assert.Throws<CliException>(() =>
            ConnectionFactory.LoadClientCertificate(folder.File("BW-authority.crt"), folder.File("BW-authority.key")));

        Assert.Contains("BW-authority.crt", error.Message);
        Assert.DoesNotContain("PRIVATE KEY", error.Message);
    }

    [Fact]
    public void CreateHandler_CertificateWithoutKey_Throws()
    {
        using var folder = new TempFolder();
        TestCertificates.WritePem(RegistryCa, folder.File("ca.crt"));
        var settings = new ConnectionSettings(new Uri("https://localhost:7443"), folder.File("ca.crt"), folder.File("x.crt"), null);

        Assert.Throws<CliException>(() => ConnectionFactory.CreateHandler(settings));
    }

    [Fact]
    public void CreateHandler_Https_InstallsValidationCallbackAndClientCertificate()
    {
        using var folder = new TempFolder();
        TestCertificates.WritePem(RegistryCa, folder.File("ca.crt"));
        TestCertificates.WritePem(TestCertificates.Client(RegistryCa, "admin"), folder.File("admin.crt"), folder.File("admin.key"));
        var settings = new ConnectionSettings(new Uri("https://localhost:7443"), folder.File("ca.crt"), folder.File("admin.crt"), folder.File("admin.key"));

        using var handler = ConnectionFactory.CreateHandler(settings);

        Assert.NotNull(handler.SslOptions.RemoteCertificateValidationCallback);
        var client = Assert.IsType<X509Certificate2>(Assert.Single(handler.SslOptions.ClientCertificates!.Cast<X509Certificate>()));
        Assert.True(client.HasPrivateKey);
        var good = TestCertificates.Server(RegistryCa, "localhost");
        var bad = TestCertificates.Server(OtherCa, "localhost");
        Assert.True(handler.SslOptions.RemoteCertificateValidationCallback(this, good, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(handler.SslOptions.RemoteCertificateValidationCallback(this, bad, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Anonymous_WithClientCertificate_DropsIt()
    {
        var settings = new ConnectionSettings(new Uri("https://localhost:7443"), "ca.crt", "a.crt", "a.key");

        Assert.Equal(new ConnectionSettings(new Uri("https://localhost:7443"), "ca.crt"), settings.Anonymous());
    }
}
