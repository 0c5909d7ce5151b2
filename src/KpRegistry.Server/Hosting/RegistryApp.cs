using System.Security.Cryptography.X509Certificates;
using KpRegistry.Crypto;
using KpRegistry.Server.Application;
using KpRegistry.Server.Grpc;
using KpRegistry.Server.Page;
using KpRegistry.Server.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KpRegistry.Server.Hosting;

/// <summary>
/// Builds the registry: configuration, first-start preparation, Kestrel with mutual TLS, the
/// gRPC services, health and (by default in Development only) reflection. Program.cs and the integration tests both start it here.
/// </summary>
public static partial class RegistryApp
{
    /// <summary>Where the registry listens when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "https://localhost:7443";

    /// <summary>The largest request accepted: a certificate envelope signed with ML-DSA is a few kilobytes.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The configuration files ship beside the binary, so the server finds them wherever it is started.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        RegistryOptions options = builder.Configuration.GetSection(RegistryOptions.Section).Get<RegistryOptions>() ?? new RegistryOptions();
        builder.Services.AddSingleton(options);
        // Try: a test's configure may have put a fake clock in first.
        builder.Services.TryAddSingleton(TimeProvider.System);

        using ILoggerFactory startupLoggerFactory = LoggerFactory.Create(logging => logging.AddConsole());
        ILogger startupLog = startupLoggerFactory.CreateLogger("KpRegistry.Startup");
        StartupMaterial material = await StartupPreparation.PrepareAsync(options, builder.Environment, TimeProvider.System, startupLog);

        // Through a factory, so the container owns the KEK and disposes (zeroes) it at shutdown,
        // after the ManagedSigner that uses it has wiped the opened keys.
        builder.Services.AddSingleton(_ => material.KeyEncryptionKey);
        builder.Services.AddRegistryApplication(options);

        LimitsOptions limits = options.Limits;
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton<StreamLimits>();
        builder.Services.AddSingleton(services => new ConnectionLimiter(limits.MaxConnectionsPerAddress, services.GetRequiredService<ILogger<ConnectionLimiter>>()));
        builder.Services.AddRegistryRateLimits(limits);

        var validator = new ClientCertificateValidator(material.ClientCa, TimeProvider.System);
        builder.Services.AddSingleton(validator);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        string urls = builder.Configuration["urls"] is { Length: > 0 } configuredUrls ? configuredUrls : DefaultUrl;
        options.Log.DefaultOrigin = LogOptions.OriginFor(urls);
        // Over TLS, ALPN lets one port serve gRPC (HTTP/2) and the log's tiles to curl (HTTP/1.1 or
        // HTTP/2); in cleartext Kestrel speaks HTTP/2 only with Protocols=Http2, so gRPC keeps that.
        HttpProtocols protocols = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .All(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http2;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxMessageBytes;
            kestrel.Limits.Http2.MaxStreamsPerConnection = limits.MaxStreamsPerConnection;
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConnections;
            // A dead peer's connection, and every stream on it, is closed instead of held forever.
            kestrel.Limits.Http2.KeepAlivePingDelay = limits.KeepAlivePingDelay;
            kestrel.Limits.Http2.KeepAlivePingTimeout = limits.KeepAlivePingTimeout;
            // Larger HTTP/2 flow-control windows: a verification stream keeps hundreds of requests
            // in flight, and with the defaults (96 KiB per stream) the server sends a WINDOW_UPDATE
            // every few dozen of them. Bounded by MaxMessageBytes per message either way.
            kestrel.Limits.Http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 2 * 1024 * 1024;
            kestrel.ConfigureEndpointDefaults(endpoint =>
            {
                endpoint.Protocols = protocols;
                // Before the TLS handshake, which Kestrel adds after the endpoint defaults.
                endpoint.Use(next =>
                {
                    ConnectionLimiter limiter = endpoint.ApplicationServices.GetRequiredService<ConnectionLimiter>();
                    return connection => limiter.OnConnectionAsync(connection, next);
                });
            });
            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = material.ServerCertificate;
                // Optional at the handshake: verification and the public lists need no certificate;
                // the services demand one for every call that changes state.
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => validator.IsValid(certificate);
                https.CheckCertificateRevocation = false;
                // The TLS layer builds a chain of the client's certificate before our validation
                // runs; without a policy it follows the certificate's AIA link to any URL
                // (issue 13, finding 1). Set last, after Kestrel's own settings, for every connection.
                https.OnAuthenticate = (_, ssl) => ssl.CertificateChainPolicy = CaTrust.OfflinePolicy(material.ClientCa);
            });
        });

        // Stateless, so made once: otherwise gRPC activates the service and the interceptor anew
        // for every call, and verification is the hot path.
        builder.Services.AddSingleton<ErrorInterceptor>();
        builder.Services.AddSingleton<AccessInterceptor>();
        builder.Services.AddSingleton<VerificationGrpcService>();
        builder.Services.AddGrpc(grpc =>
        {
            // First, so outermost: the access table applies before anything else runs, and the
            // audit record sees the status ErrorInterceptor made.
            grpc.Interceptors.Add<AccessInterceptor>();
            grpc.Interceptors.Add<ErrorInterceptor>();
            grpc.MaxReceiveMessageSize = MaxMessageBytes;
            grpc.EnableDetailedErrors = false;
        });
        bool reflection = options.Reflection ?? builder.Environment.IsDevelopment();
        if (reflection)
        {
            builder.Services.AddGrpcReflection();
        }
        builder.Services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        // After every AddGrpc*: a request that does not parse is INVALID_ARGUMENT, not an Error with a stack trace.
        builder.Services.RefuseMalformedRequests();

        WebApplication app = builder.Build();
        ILogger log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KpRegistry.Startup");
        await StartupPreparation.PrepareDatabaseAsync(app.Services, options, app.Environment, log, CancellationToken.None);

        // gRPC-Web for the verification page (VerificationPage): only the two public services, and
        // only on the calls that name it; everything else stays plain gRPC.
        // Before gRPC-Web, so that a refused call is answered in the content type it was sent in.
        app.UseRateLimiter();
        app.UseGrpcWeb();
        VerificationPage.MapStaticFiles(app);
        app.MapGrpcService<RegistryGrpcService>();
        app.MapGrpcService<CertificatesGrpcService>().EnableGrpcWeb();
        app.MapGrpcService<VerificationGrpcService>().EnableGrpcWeb();
        app.MapGrpcService<LogGrpcService>();
        app.MapGrpcService<StatisticsGrpcService>();
        app.MapLogEndpoints();
        VerificationPage.MapEndpoints(app);
        StatisticsPage.MapEndpoints(app);
        app.MapGrpcHealthChecksService();
        if (reflection)
        {
            app.MapGrpcReflectionService();
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            string urls = string.Join(", ", app.Urls);
            LogListening(log, urls, options.ResolvedCertificatesDirectory);
        });
        return app;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "KpRegistry listening on {Urls}. Client certificates and the CA are in {CertificatesDirectory}; see README for kpreg commands.")]
    private static partial void LogListening(ILogger logger, string urls, string certificatesDirectory);
}

/// <summary>What start-up prepared or loaded: the KEK, the server certificate, the client CA.</summary>
public sealed record StartupMaterial(KeyEncryptionKey KeyEncryptionKey, X509Certificate2 ServerCertificate, X509Certificate2 ClientCa);
