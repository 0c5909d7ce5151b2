using System.Security.Cryptography.X509Certificates;
using KpRegistry.Cli.Tests.Support;

namespace KpRegistry.Cli.Tests;

/// <summary>The handler from ConnectionFactory in a real TLS handshake on a loopback port.</summary>
public sealed class ConnectionFactoryHandshakeTests
{
    private static readonly X509Certificate2 RegistryCa = TestCertificates.Ca("KpRegistry Test CA");
    private static readonly X509Certificate2 OtherCa = TestCertificates.Ca("Someone Else's CA");

    private static async Task<HttpResponseMessage> GetAsync(LoopbackTlsServer server, ConnectionSettings settings)
    {
        using var client = new HttpClient(ConnectionFactory.CreateHandler(settings with { Server = server.Address }));
        return await client.GetAsync(server.Address, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task CreateHandler_ServerSignedByGivenCa_Connects()
    {
        using var folder = new TempFolder();
        TestCertificates.WritePem(RegistryCa, folder.File("ca.crt"));
        await using var server = new LoopbackTlsServer(TestCertificates.Server(RegistryCa, "localhost"));

        using var response = await GetAsync(server, new ConnectionSettings(server.Address, folder.File("ca.crt")));

        Assert.Equal("ok", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Null(server.LastClientCertificate);
    }

    [Fact]
    public async Task CreateHandler_ServerSignedByAnotherCa_RefusesTheHandshake()
    {
        using var folder = new TempFolder();
        TestCertificates.WritePem(RegistryCa, folder.File("ca.crt"));
        await using var server = new LoopbackTlsServer(TestCertificates.Server(OtherCa, "localhost"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(server, new ConnectionSettings(server.Address, folder.File("ca.crt"))));

        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task CreateHandler_ServerNamedForAnotherHost_RefusesTheHandshake()
    {
        using var folder = new TempFolder();
        TestCertificates.WritePem(RegistryCa, folder.File("ca.crt"));
        await using var server = new LoopbackTlsServer(TestCertificates.Server(RegistryCa, "registry.example"));

        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(server, new ConnectionSettings(server.Address, folder.File("ca.crt"))));
    }

    [Fact]
    public async Task CreateHandler_ClientCertificateFromPem_IsPresentedToTheServer()
    {
        using var folder = new TempFolder();
        TestCertificates.WritePem(RegistryCa, folder.File("ca.crt"));
        var client = TestCertificates.Client(RegistryCa, "BW-authority");
        TestCertificates.WritePem(client, folder.File("BW-authority.crt"), folder.File("BW-authority.key"));
        await using var server = new LoopbackTlsServer(TestCertificates.Server(RegistryCa, "localhost"));

        using var response = await GetAsync(server, new ConnectionSettings(
            server.Address, folder.File("ca.crt"), folder.File("BW-authority.crt"), folder.File("BW-authority.key")));

        Assert.True(response.IsSuccessStatusCode);
        Assert.NotNull(server.LastClientCertificate);
        Assert.Equal(client.Thumbprint, new X509Certificate2(server.LastClientCertificate).Thumbprint);
    }
}
