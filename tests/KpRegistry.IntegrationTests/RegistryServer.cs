using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using KpRegistry.Server.Hosting;
using KpRegistry.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// A real KpRegistry: Kestrel on 127.0.0.1 with an ephemeral port, TLS with the development PKI
/// it makes on first start, SQLite in a temporary data folder. Stop and start it again on the same
/// folder to test what survives a restart.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly Action<WebApplicationBuilder>? _configure;
    private WebApplication? _app;

    private RegistryServer(string root, Action<WebApplicationBuilder>? configure)
    {
        Root = root;
        _configure = configure;
    }

    /// <summary>The temporary folder holding data/ and certs/.</summary>
    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public string CertificatesDirectory => Path.Combine(Root, "certs");

    public Uri Address { get; private set; } = new("https://127.0.0.1");

    /// <summary>More command-line settings for the next <see cref="StartAsync"/> (e.g. the log's witnesses).</summary>
    public List<string> ExtraArguments { get; } = [];

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server is not running.");

    /// <param name="configure">Changes to the server's services before it is built, e.g. a fake clock.</param>
    public static async Task<RegistryServer> StartNewAsync(Action<WebApplicationBuilder>? configure = null)
    {
        string root = Path.Combine(Path.GetTempPath(), "kpreg-it-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var server = new RegistryServer(root, configure);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        string[] args =
        [
            "--environment", "Development",
            "--urls", "https://127.0.0.1:0",
            $"--KpRegistry:DataDirectory={DataDirectory}",
            $"--KpRegistry:CertificatesDirectory={CertificatesDirectory}",
            "--Logging:LogLevel:Default=Warning",
            .. ExtraArguments,
        ];
        _app = await RegistryApp.BuildAsync(args, _configure);
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address);
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>A channel with no client certificate: what any verifier has.</summary>
    public GrpcChannel AnonymousChannel() => Channel(clientCertificate: null);

    /// <summary>A channel presenting the development client certificate <c>&lt;name&gt;.crt</c>, e.g. "BW-authority" or "admin".</summary>
    public GrpcChannel ChannelAs(string name) =>
        Channel(X509Certificate2.CreateFromPemFile(Path.Combine(CertificatesDirectory, name + ".crt"), Path.Combine(CertificatesDirectory, name + ".key")));

    /// <summary>A channel presenting any client certificate (for the wrong-CA case).</summary>
    public GrpcChannel Channel(X509Certificate2? clientCertificate)
    {
        X509Certificate2 ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(CertificatesDirectory, DevelopmentPki.CaCertificateFile));
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null && CaTrust.ChainsTo(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), ca, DateTimeOffset.UtcNow)
                    && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None,
            },
        };
        if (clientCertificate is not null)
        {
            // Through PKCS#12 so that the TLS stack can use the private key.
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(clientCertificate.Export(X509ContentType.Pkcs12), null)];
        }
        return GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS; the temp folder is cleaned later.
        }
    }
}
