using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KpRegistry.Storage;

/// <summary>Registration of the registry's storage in a service collection.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>The assembly holding the SQLite migrations; the composition root must reference it.</summary>
    public const string SqliteMigrationsAssembly = "KpRegistry.Storage.Sqlite";

    /// <summary>The assembly holding the SQL Server migrations; the composition root must reference it.</summary>
    public const string SqlServerMigrationsAssembly = "KpRegistry.Storage.SqlServer";

    /// <summary>
    /// Registers a pooled <see cref="IDbContextFactory{RegistryDbContext}"/> for the chosen
    /// provider, <see cref="RegistryStore"/>, and <see cref="TimeProvider.System"/> unless a
    /// TimeProvider is already registered.
    /// </summary>
    public static IServiceCollection AddRegistryStorage(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddPooledDbContextFactory<RegistryDbContext>(builder => Configure(builder, options));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RegistryStore>();
        return services;
    }

    /// <summary>Configures <paramref name="builder"/> for <paramref name="options"/>: provider, migrations assembly, SQLite pragmas.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        switch (options.Provider)
        {
            case StorageProvider.Sqlite:
                builder.UseSqlite(options.ConnectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly));
                builder.AddInterceptors(SqlitePragmaInterceptor.Instance);
                break;
            case StorageProvider.SqlServer:
                builder.UseSqlServer(options.ConnectionString, o => o.MigrationsAssembly(SqlServerMigrationsAssembly));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown storage provider.");
        }
        return builder;
    }
}
