using KpRegistry.Crypto;
using KpRegistry.Domain.Certificates;
using KpRegistry.Server.Application;
using KpRegistry.Server.Grpc;
using KpRegistry.Storage;

namespace KpRegistry.Server.Hosting;

public static class ApplicationServices
{
    /// <summary>Storage for the configured provider, the in-memory registry view, and the application services.</summary>
    public static IServiceCollection AddRegistryApplication(this IServiceCollection services, RegistryOptions options)
    {
        StorageProvider provider = options.Database.Provider.ToUpperInvariant() switch
        {
            "SQLITE" => StorageProvider.Sqlite,
            "SQLSERVER" => StorageProvider.SqlServer,
            _ => throw new InvalidOperationException($"KpRegistry:Database:Provider '{options.Database.Provider}' is not known: use Sqlite or SqlServer."),
        };
        string connectionString = options.Database.ConnectionString
            ?? (provider == StorageProvider.Sqlite
                ? $"Data Source={Path.Combine(options.ResolvedDataDirectory, "registry.db")}"
                : throw new InvalidOperationException("KpRegistry:Database:ConnectionString is required for SqlServer."));
        services.AddRegistryStorage(new StorageOptions { Provider = provider, ConnectionString = connectionString });
        services.AddSingleton(new CertificateRulesOptions { DefaultMaxValidityDays = options.DefaultMaxValidityDays > 0 ? options.DefaultMaxValidityDays : null });
        services.AddSingleton<RegistryViewCache>();
        services.AddSingleton<ParticipantDirectory>();
        services.AddSingleton(provider =>
        {
            RegistryStore store = provider.GetRequiredService<RegistryStore>();
            // The participants' and the registry's managed keys, then the log's checkpoint key (sealed for XR).
            return new ManagedSigner(provider.GetRequiredService<KeyEncryptionKey>(), async (keyId, cancellationToken) =>
                await store.GetSealedKeyAsync(keyId, cancellationToken) is { } found ? new SealedKey(found.KeyId, found.ParticipantCode, found.SealedPrivateKey)
                : await store.GetLogKeyAsync(keyId, cancellationToken) is { } logKey ? new SealedKey(logKey.KeyId, Domain.Registry.RegistryParticipant.Code, logKey.SealedPrivateKey)
                : null);
        });
        services.AddSingleton<KeyService>();
        services.AddSingleton<CertificateRecorder>();
        services.AddSingleton<IssuanceService>();
        services.AddSingleton<LifecycleService>();
        services.AddSingleton<StatisticsService>();
        services.AddSingleton<RevocationFeed>();
        services.AddSingleton<RegistryKeyService>();
        services.AddSingleton<ClientCertificateService>();
        services.AddSingleton<CallAuditWriter>();
        services.AddSingleton<SignedLists>();
        services.AddSingleton<TransparencyLog>();
        services.AddSingleton<WitnessCollector>();
        services.AddHostedService<LogIntegrator>();
        services.AddHostedService<DatabaseChangeFollower>();
        return services;
    }
}
