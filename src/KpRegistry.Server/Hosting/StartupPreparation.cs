using System.Security.Cryptography.X509Certificates;
using KpRegistry.Crypto;
using KpRegistry.Server.Application;
using KpRegistry.Server.Security;
using KpRegistry.Storage;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Server.Hosting;

/// <summary>
/// First start with nothing prepared: in Development, makes the data folder, a development KEK,
/// the database and the development PKI, and says where each is. Outside Development, makes
/// nothing secret: it refuses to start without a real KEK and real certificates, naming what is missing.
/// </summary>
public static partial class StartupPreparation
{
    /// <summary>Before the host is built: the KEK and the TLS material Kestrel needs.</summary>
    public static Task<StartupMaterial> PrepareAsync(RegistryOptions options, IHostEnvironment environment, TimeProvider time, ILogger log)
    {
        bool development = environment.IsDevelopment();
        Directory.CreateDirectory(options.ResolvedDataDirectory);
        string certs = options.ResolvedCertificatesDirectory;

        KeyEncryptionKey kek = LoadOrMakeKek(options, development, log);

        if (development)
        {
            // Authority certificates come later, once the participants are seeded.
            IReadOnlyList<string> written = DevelopmentPki.Ensure(certs, [], time);
            if (written.Count > 0)
            {
                LogMadePki(log, certs, string.Join(", ", written));
            }
        }

        var missing = new List<string>();
        string serverCrt = Path.Combine(certs, DevelopmentPki.ServerCertificateFile);
        string serverKey = Path.Combine(certs, DevelopmentPki.ServerKeyFile);
        string caCrt = Path.Combine(certs, DevelopmentPki.CaCertificateFile);
        foreach (string file in new[] { serverCrt, serverKey, caCrt })
        {
            if (!File.Exists(file))
            {
                missing.Add(file);
            }
        }
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"KpRegistry cannot start: missing TLS material {string.Join(", ", missing)}. Outside Development the registry makes no certificates: " +
                $"provide the server certificate and key (PEM) and the client CA certificate in {certs} (KpRegistry:CertificatesDirectory).");
        }

        // Loaded through PKCS#12 so that the TLS stack can use the private key on every platform.
        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(serverCrt, serverKey);
        X509Certificate2 server = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        X509Certificate2 ca = X509CertificateLoader.LoadCertificateFromFile(caCrt);
        return Task.FromResult(new StartupMaterial(kek, server, ca));
    }

    /// <summary>After the host is built: migrations, the participant seed, the development authority certificates, the registry view.</summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services, RegistryOptions options, IHostEnvironment environment, ILogger log, CancellationToken cancellationToken)
    {
        // Migrations and the seed are the host's start-up work, before any service reads the database.
        var database = services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
        await RegistryDatabase.MigrateAsync(database, cancellationToken);
        int seeded = await RegistryDatabase.SeedParticipantsAsync(database, services.GetRequiredService<TimeProvider>(), cancellationToken);
        if (seeded > 0)
        {
            LogSeeded(log, seeded);
        }
        // Statistics rows of certificates recorded before they existed (issue 14), from the stored payloads.
        await StatisticsBackfill.FillAsync(services.GetRequiredService<RegistryStore>(), cancellationToken);
        RegistryViewCache cache = services.GetRequiredService<RegistryViewCache>();
        await cache.LoadAsync(cancellationToken);
        if (await services.GetRequiredService<RegistryKeyService>().EnsureAsync(cancellationToken))
        {
            LogMadeRegistryKey(log, cache.Current.ActiveRegistryKey!.KeyId);
        }
        // The log after the registry's own key: the entries of its first start are in the tree.
        await services.GetRequiredService<TransparencyLog>().StartAsync(options.Log.DefaultOrigin, cancellationToken);
        if (environment.IsDevelopment())
        {
            string certs = options.ResolvedCertificatesDirectory;
            var authorities = cache.Current.Participants.SelectMany(p => p.Authorities).Where(a => a.RemovedOn is null).Select(a => (a.ParticipantCode, a.Code)).ToList();
            IReadOnlyList<string> written = DevelopmentPki.Ensure(certs, cache.Current.ParticipantCodes, authorities, services.GetRequiredService<TimeProvider>());
            if (written.Count > 0)
            {
                LogMadePki(log, certs, $"{written.Count} client certificates (admin.crt, analyst.crt, <CODE>-authority.crt, <AUTHORITY>-authority.crt)");
            }
        }
    }

    private static KeyEncryptionKey LoadOrMakeKek(RegistryOptions options, bool development, ILogger log)
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(options.KeyEncryptionKeyVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return KeyEncryptionKey.FromEnvironment(options.KeyEncryptionKeyVariable);
        }
        string file = options.ResolvedKeyEncryptionKeyFile;
        if (File.Exists(file))
        {
            return KeyEncryptionKey.LoadFromFile(file);
        }
        if (!development)
        {
            throw new InvalidOperationException(
                $"KpRegistry cannot start: no key-encryption key. Set the environment variable {options.KeyEncryptionKeyVariable} " +
                $"or put the key (base64 of 32 bytes) in {file} (KpRegistry:KeyEncryptionKeyFile). Outside Development the registry never makes one.");
        }
        KeyEncryptionKey made = KeyEncryptionKey.Generate();
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        made.WriteToFile(file);
        LogMadeKek(log, file, made.Fingerprint);
        return made;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Development: made a key-encryption key at {File} (fingerprint {Fingerprint}). Never use it in production.")]
    private static partial void LogMadeKek(ILogger logger, string file, string fingerprint);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Development: made PKI files in {Directory}: {Files}. Never use them in production.")]
    private static partial void LogMadePki(ILogger logger, string directory, string files);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Made the registry's first signing key {KeyId}: verifiers pin it to follow the registry key chain.")]
    private static partial void LogMadeRegistryKey(ILogger logger, string keyId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Seeded {Count} Kimberley Process participants into the empty database.")]
    private static partial void LogSeeded(ILogger logger, int count);
}
