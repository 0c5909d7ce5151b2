using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KpRegistry.Storage.SqlServer;

/// <summary>
/// Used by <c>dotnet ef</c> only: a SQL Server-configured context. Adding a migration or
/// generating a script does not connect; set KPREG_DESIGN_SQLSERVER for <c>database update</c>.
/// </summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<RegistryDbContext>
{
    public RegistryDbContext CreateDbContext(string[] args)
    {
        var options = new StorageOptions
        {
            Provider = StorageProvider.SqlServer,
            ConnectionString = Environment.GetEnvironmentVariable("KPREG_DESIGN_SQLSERVER")
                ?? "Server=localhost;Database=KpRegistry;Integrated Security=true;TrustServerCertificate=true",
        };
        var builder = new DbContextOptionsBuilder<RegistryDbContext>();
        StorageServiceCollectionExtensions.Configure(builder, options);
        return new RegistryDbContext(builder.Options);
    }
}
