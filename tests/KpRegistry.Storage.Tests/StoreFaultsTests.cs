using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace KpRegistry.Storage.Tests;

/// <summary>
/// <see cref="StoreFaults"/> tells a database that cannot take a write from a defect, on the
/// error SQLite really raises for a read-only database.
/// </summary>
public sealed class StoreFaultsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Describe_WriteThroughAReadOnlyDatabase_ReadOnlyAndNothingWrittenAndTheWriteSucceedsOnceWritable()
    {
        await using TestDatabase db = await SqliteTestDatabase.CreateAsync();
        var collection = new ServiceCollection();
        collection.AddSingleton(TimeProvider.System);
        collection.AddRegistryStorage(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = db.Options.ConnectionString + ";Mode=ReadOnly" });
        await using (ServiceProvider readOnly = collection.BuildServiceProvider())
        {
            RegistryStore store = readOnly.GetRequiredService<RegistryStore>();

            Exception refused = await Assert.ThrowsAnyAsync<Exception>(() => store.SaveCheckpointAsync(1, new byte[32], "note", Ct));

            Assert.Equal("the database is read-only", StoreFaults.Describe(refused));
        }
        Assert.Null(await db.Store.GetLatestCheckpointAsync(Ct));
        await db.Store.SaveCheckpointAsync(1, new byte[32], "note", Ct);
        Assert.Equal(1, (await db.Store.GetLatestCheckpointAsync(Ct))!.TreeSize);
    }

    [Fact]
    public void Describe_ADefectNotAFault_Null()
    {
        Assert.Null(StoreFaults.Describe(new InvalidOperationException("a bug")));
        Assert.Null(StoreFaults.Describe(new SqliteException("constraint failed", 19)));
    }
}
