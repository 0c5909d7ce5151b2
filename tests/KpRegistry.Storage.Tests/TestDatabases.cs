using KpRegistry.Storage;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KpRegistry.Storage.Tests;

/// <summary>A fresh, migrated database of one provider, with the store over it and a fake clock.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider services;

    protected TestDatabase(StorageOptions options)
    {
        Options = options;
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        Clock.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1.2345);
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Clock);
        collection.AddRegistryStorage(options);
        services = collection.BuildServiceProvider();
        Factory = services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
        Store = services.GetRequiredService<RegistryStore>();
    }

    public StorageOptions Options { get; }
    public FakeTimeProvider Clock { get; }
    public IDbContextFactory<RegistryDbContext> Factory { get; }
    public RegistryStore Store { get; }

    public Task MigrateAsync() => RegistryDatabase.MigrateAsync(Factory, TestContext.Current.CancellationToken);

    public RegistryDbContext NewContext() => Factory.CreateDbContext();

    public virtual async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A temp-file SQLite database, deleted afterwards.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string path;

    private SqliteTestDatabase(string path)
        : base(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={path}" }) => this.path = path;

    public static async Task<TestDatabase> CreateAsync()
    {
        var db = new SqliteTestDatabase(Path.Combine(Path.GetTempPath(), $"kpreg-test-{Guid.NewGuid():N}.db"));
        await db.MigrateAsync();
        return db;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (string suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }
}

/// <summary>
/// A fresh database on the SQL Server named by KPREG_TEST_SQLSERVER (a connection string; its
/// database name gets a unique suffix), dropped afterwards. Without the variable the test is skipped.
/// </summary>
public sealed class SqlServerTestDatabase : TestDatabase
{
    public const string Variable = "KPREG_TEST_SQLSERVER";

    private SqlServerTestDatabase(string connectionString)
        : base(new StorageOptions { Provider = StorageProvider.SqlServer, ConnectionString = connectionString })
    {
    }

    public static async Task<TestDatabase> CreateAsync()
    {
        string? connectionString = Environment.GetEnvironmentVariable(Variable);
        Assert.SkipWhen(string.IsNullOrWhiteSpace(connectionString),
            $"SQL Server conformance skipped: set {Variable} to a SQL Server connection string to run it.");
        var builder = new SqlConnectionStringBuilder(connectionString);
        builder.InitialCatalog = (string.IsNullOrEmpty(builder.InitialCatalog) ? "kpreg_test" : builder.InitialCatalog) + "_" + Guid.NewGuid().ToString("N")[..12];
        var db = new SqlServerTestDatabase(builder.ConnectionString);
        await db.MigrateAsync();
        return db;
    }

    public override async ValueTask DisposeAsync()
    {
        await using (RegistryDbContext context = NewContext())
        {
            await context.Database.EnsureDeletedAsync();
        }
        await base.DisposeAsync();
    }
}
