using KpRegistry.Crypto;
using KpRegistry.Domain.Transparency;
using Microsoft.Extensions.Options;

namespace KpRegistry.Witness;

/// <summary>Builds the witness web application: configuration, key, store, and the one endpoint.</summary>
public static partial class WitnessApp
{
    /// <summary>The most bytes an add-checkpoint request may have (a checkpoint with many signatures and 63 proof lines fits well within).</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>
    /// The application for <paramref name="args"/>; <paramref name="configure"/> may replace services
    /// (tests put a fake clock in). Refuses to build without a name or a followed log.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.Services.Configure<WitnessOptions>(builder.Configuration.GetSection(WitnessOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(CreateWitness);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBytes);
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        // Made now, not at the first request: a bad configuration stops the start, and the key is printed at once.
        Witness witness = app.Services.GetRequiredService<Witness>();
        LogVerifierKey(app.Logger, witness.VerifierKey.ToString());

        app.MapPost("/add-checkpoint", async (HttpContext context, Witness w) =>
        {
            byte[]? body = await ReadBodyAsync(context.Request, context.RequestAborted);
            WitnessResponse response = body is null
                ? WitnessResponse.Text(StatusCodes.Status400BadRequest, "request too large\n")
                : w.AddCheckpoint(body);
            context.Response.StatusCode = response.StatusCode;
            context.Response.ContentType = response.ContentType;
            await context.Response.WriteAsync(response.Body, context.RequestAborted);
        });
        return app;
    }

    private static Witness CreateWitness(IServiceProvider services)
    {
        WitnessOptions options = services.GetRequiredService<IOptions<WitnessOptions>>().Value;
        ILogger logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("KpRegistry.Witness");
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            throw new InvalidOperationException("Set Witness:Name, the witness's key name (e.g. witness.example.org/kp).");
        }
        if (options.Logs.Count == 0)
        {
            throw new InvalidOperationException("Configure at least one log to follow: Witness:Logs:0:Origin and Witness:Logs:0:VerifierKey.");
        }
        var logs = new Dictionary<string, List<NoteVerifier>>(StringComparer.Ordinal);
        foreach (WitnessLogOptions log in options.Logs)
        {
            NoteVerifier verifier = NoteVerifiers.FromVerifierKey(log.VerifierKey);
            if (verifier is not Ed25519NoteVerifier || string.IsNullOrEmpty(log.Origin))
            {
                throw new InvalidOperationException($"The log '{log.Origin}' needs an origin and an Ed25519 (type 0x01) verifier key.");
            }
            if (!logs.TryGetValue(log.Origin, out List<NoteVerifier>? keys))
            {
                logs[log.Origin] = keys = [];
            }
            keys.Add(verifier);
            LogFollowing(logger, log.Origin, verifier.Key.ToString());
        }
        SigningKey key = WitnessKeyFile.LoadOrCreate(options.KeyFile, out bool created);
        if (created)
        {
            LogKeyCreated(logger, Path.GetFullPath(options.KeyFile));
        }
        return new Witness(
            logs,
            options.Name,
            key,
            new WitnessStore(options.Database),
            services.GetRequiredService<TimeProvider>());
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > MaxRequestBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Witness verifier key (give it to the logs and verifiers that trust this witness): {VerifierKey}")]
    private static partial void LogVerifierKey(ILogger logger, string verifierKey);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Made a new witness key at {Path} (owner-only). Back it up: a witness that loses its key is a new witness.")]
    private static partial void LogKeyCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Following log {Origin} with key {VerifierKey}")]
    private static partial void LogFollowing(ILogger logger, string origin, string verifierKey);
}
