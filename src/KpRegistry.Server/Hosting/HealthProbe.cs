using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace KpRegistry.Server.Hosting;

/// <summary>
/// <c>KpRegistry.Server --health-check</c>: asks the standard gRPC health service of the registry
/// on this machine and exits 0 when it is SERVING. The container's HEALTHCHECK uses it, so the image
/// needs no grpcurl. The server certificate must chain to the configured <c>ca.crt</c>.
/// </summary>
public static class HealthProbe
{
    public const string Flag = "--health-check";

    public static async Task<int> RunAsync(string[] args)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddEnvironmentVariables("ASPNETCORE_") // ASPNETCORE_URLS, as the server itself reads it
            .AddCommandLine(args.Where(a => a != Flag).ToArray())
            .Build();
        RegistryOptions options = configuration.GetSection(RegistryOptions.Section).Get<RegistryOptions>() ?? new RegistryOptions();
        string url = (configuration["urls"] ?? RegistryApp.DefaultUrl).Split(';')[0].Replace("+", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal);
        string caFile = Path.Combine(options.ResolvedCertificatesDirectory, Security.DevelopmentPki.CaCertificateFile);
        X509Certificate2? ca = File.Exists(caFile) ? X509CertificateLoader.LoadCertificateFromFile(caFile) : null;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // The probe runs beside the server: it checks liveness, so it accepts the server's own certificate by chain to the local CA.
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None || (ca is not null && certificate is X509Certificate2 c && Security.CaTrust.ChainsTo(c, ca, DateTimeOffset.UtcNow)),
            },
        };
        try
        {
            using GrpcChannel channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = handler });
            var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            Console.WriteLine(response.Status);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (Exception e) when (e is global::Grpc.Core.RpcException or HttpRequestException)
        {
            Console.Error.WriteLine($"health check failed: {e.Message}");
            return 1;
        }
    }
}
