using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage.Tests;

/// <summary>The SQLite connection settings that make an acknowledged write durable.</summary>
public sealed class SqlitePragmaTests
{
    [Theory]
    [InlineData("journal_mode", "wal")]
    [InlineData("synchronous", "2")]
    [InlineData("busy_timeout", "10000")]
    [InlineData("foreign_keys", "1")]
    public async Task Connection_OpenedByTheStore_HasThePragma(string pragma, string expected)
    {
        await using TestDatabase db = await SqliteTestDatabase.CreateAsync();
        await using RegistryDbContext context = db.NewContext();
        DbConnection connection = context.Database.GetDbConnection();
        await context.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";

        object? value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);

        Assert.Equal(expected, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
