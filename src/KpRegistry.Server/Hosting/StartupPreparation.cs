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
        SecretFiles.CreateFolder(options.ResolvedDataDirectory);
        KeyEncryptionKey kek = LoadOrMakeKek(options, development, log);
        try
        {
            return Task.FromResult(PrepareMaterial(options, development, kek, environment.EnvironmentName, time, log));
        }
        catch
        {
            kek.Dispose();
            throw;
        }
    }

    private static StartupMaterial PrepareMaterial(RegistryOptions options, bool development, KeyEncryptionKey kek, string environmentName, TimeProvider time, ILogger log)
    {
        string certs = options.ResolvedCertificatesDirectory;
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
            throw new StartupRefusedException(
                $"KpRegistry cannot start: missing TLS material {string.Join(", ", missing)}. Outside Development the registry makes no certificates: " +
                $"provide the server certificate and key (PEM) and the client CA certificate in {certs} (KpRegistry:CertificatesDirectory).");
        }

        X509Certificate2 server;
        X509Certificate2 ca;
        try
        {
            // Loaded through PKCS#12 so that the TLS stack can use the private key on every platform.
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(serverCrt, serverKey);
            server = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            ca = X509CertificateLoader.LoadCertificateFromFile(caCrt);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new StartupRefusedException(
                $"KpRegistry cannot start: the TLS material in {certs} cannot be read ({e.GetType().Name}): {serverCrt} and {serverKey} must be a PEM certificate and its PEM private key, {caCrt} a certificate.", e);
        }

        if (!development)
        {
            IReadOnlyList<string> problems = DeploymentChecks.DevelopmentMaterialOutsideDevelopment(options, ca, server);
            if (problems.Count > 0)
            {
                server.Dispose();
                ca.Dispose();
                throw new StartupRefusedException(
                    $"KpRegistry refuses to start in {environmentName} on material meant for Development only:" +
                    string.Concat(problems.Select(p => Environment.NewLine + " - " + p)));
            }
        }

        // Before EF Core first opens it: the database holds the sealed keys.
        if (DeploymentChecks.SqliteDatabaseFile(options) is { } database)
        {
            foreach (string narrowed in SecretFiles.MakeDatabaseOwnerOnly(database))
            {
                LogNarrowed(log, narrowed);
            }
        }
        return new StartupMaterial(kek, server, ca);
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
        await KekCheck.RequireOpensRegistryKeyAsync(cache, services.GetRequiredService<ManagedSigner>(), services.GetRequiredService<KeyEncryptionKey>(), cancellationToken);
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
        string file = options.ResolvedKeyEncryptionKeyFile;
        try
        {
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return KeyEncryptionKey.FromEnvironment(options.KeyEncryptionKeyVariable);
            }
            if (File.Exists(file))
            {
                return KeyEncryptionKey.LoadFromFile(file);
            }
        }
        catch (KeyCustodyException e)
        {
            // Its message names the variable or the file and never holds the key.
            throw new StartupRefusedException($"KpRegistry cannot start: {e.Message}", e);
        }
        if (!development)
        {
            throw new StartupRefusedException(
                $"KpRegistry cannot start: no key-encryption key. Set the environment variable {options.KeyEncryptionKeyVariable} " +
                $"or put the key (base64 of 32 bytes) in {file} (KpRegistry:KeyEncryptionKeyFile). Outside Development the registry never makes one.");
        }
        KeyEncryptionKey made = KeyEncryptionKey.Generate();
        SecretFiles.CreateFolder(Path.GetDirectoryName(file)!);
        try
        {
            made.WriteToFile(file);
        }
        catch (IOException) when (SecretFiles.IsLink(file))
        {
            // File.Exists said no: a link that leads nowhere. Writing the KEK through it would put it wherever it points.
            made.Dispose();
            throw new StartupRefusedException($"KpRegistry cannot start: {file} is a link that leads nowhere, where it was about to write a new key-encryption key. Remove the link and start again.");
        }
        LogMadeKek(log, file, made.Fingerprint);
        return made;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Development: made a key-encryption key at {File} (fingerprint {Fingerprint}). Never use it in production.")]
    private static partial void LogMadeKek(ILogger logger, string file, string fingerprint);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Development: made PKI files in {Directory}: {Files}. Never use them in production.")]
    private static partial void LogMadePki(ILogger logger, string directory, string files);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Made the registry's first signing key {KeyId}: verifiers pin it to follow the registry key chain.")]
    private static partial void LogMadeRegistryKey(ILogger logger, string keyId);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "{File} could be read by its group or others; it holds or guards sealed keys, so it is now owner-only (0600).")]
    private static partial void LogNarrowed(ILogger logger, string file);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Seeded {Count} Kimberley Process participants into the empty database.")]
    private static partial void LogSeeded(ILogger logger, int count);
}
