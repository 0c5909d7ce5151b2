using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KpRegistry.Storage.Sqlite;

/// <summary>
/// Used by <c>dotnet ef</c> only: a SQLite-configured context (it opens no database to add a
/// migration). Set KPREG_DESIGN_SQLITE to point <c>dotnet ef database update</c> at a real file.
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<RegistryDbContext>
{
    public RegistryDbContext CreateDbContext(string[] args)
    {
        var options = new StorageOptions
        {
            Provider = StorageProvider.Sqlite,
            ConnectionString = Environment.GetEnvironmentVariable("KPREG_DESIGN_SQLITE") ?? "Data Source=kpregistry-design.db",
        };
        var builder = new DbContextOptionsBuilder<RegistryDbContext>();
        StorageServiceCollectionExtensions.Configure(builder, options);
        return new RegistryDbContext(builder.Options);
    }
}
