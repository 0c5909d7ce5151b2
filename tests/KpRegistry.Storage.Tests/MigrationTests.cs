using KpRegistry.Storage.Sqlite;
using KpRegistry.Storage.SqlServer;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace KpRegistry.Storage.Tests;

/// <summary>The migrations of both providers: valid SQL, in step with each other and with the model.</summary>
public sealed class MigrationTests
{
    private static readonly string[] Tables =
    [
        "participants", "participant_status_events", "authorities", "zone_approvals", "keys", "key_events",
        "certificates", "certificate_events", "import_confirmations", "revocations", "audit_events", "registry_key_links", "registry_version",
        "authority_removals", "zone_sets", "embargoes", "licensing_events",
        "log_entries", "log_checkpoints", "log_keys",
        "certificate_lines", "certificate_origins",
        "client_certificate_revocations",
    ];

    // The design-time factories build provider-configured contexts without connecting.
    private static RegistryDbContext SqlServerContext() => new SqlServerDesignTimeFactory().CreateDbContext([]);

    private static RegistryDbContext SqliteContext() => new SqliteDesignTimeFactory().CreateDbContext([]);

    [Fact]
    public void SqlServerMigrationScript_ParsedAsTSql160_HasNoErrors()
    {
        using RegistryDbContext context = SqlServerContext();
        string script = context.GetService<IMigrator>().GenerateScript();

        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        TSqlFragment fragment = parser.Parse(reader, out IList<ParseError> errors);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"{e.Line}:{e.Column} {e.Message}")));
        var created = fragment.ScriptTokenStream.Count > 0
            ? ((TSqlScript)fragment).Batches.SelectMany(b => b.Statements).OfType<CreateTableStatement>().Select(t => t.SchemaObjectName.BaseIdentifier.Value).ToHashSet()
            : [];
        Assert.Superset(Tables.ToHashSet(), created);
        Assert.Contains("WHERE [state] = N'Active'", script, StringComparison.Ordinal);
    }

    [Fact]
    public void SqlServerMigrationScript_Idempotent_HasNoErrors()
    {
        using RegistryDbContext context = SqlServerContext();
        string script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        new TSql160Parser(true).Parse(new StringReader(script), out IList<ParseError> errors);

        Assert.Empty(errors);
    }

    [Fact]
    public async Task SqliteMigrationScript_RunOnAnEmptyDatabase_CreatesEveryTable()
    {
        string script;
        using (RegistryDbContext context = SqliteContext())
        {
            script = context.GetService<IMigrator>().GenerateScript();
        }
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = script;
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        var tables = new HashSet<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Superset(Tables.ToHashSet(), tables);
        Assert.Contains("__EFMigrationsHistory", tables);
        Assert.Contains("WHERE \"state\" = 'Active'", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryVersionCounter_OnADatabaseWithHistory_StartsWhereTheDerivedVersionStood()
    {
        string before, counter;
        using (RegistryDbContext context = SqliteContext())
        {
            var migrator = context.GetService<IMigrator>();
            before = migrator.GenerateScript(toMigration: "20261128081758_RegistryKeyChain");
            counter = migrator.GenerateScript(fromMigration: "20261128081758_RegistryKeyChain");
        }
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await ExecuteAsync(connection, before);
        // The version was the id of the newest audit event not about a certificate: 2 here.
        await ExecuteAsync(connection, """
            INSERT INTO audit_events (id, at, actor, action, subject, details) VALUES
              (1, 0, 'admin', 'participant.admit', 'BW', ''),
              (2, 0, 'admin', 'key.create', 'k', ''),
              (3, 0, 'BW', 'certificate.issue', 'BW/1', '');
            """);

        await ExecuteAsync(connection, counter);

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, version FROM registry_version";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal((1L, 2L), (reader.GetInt64(0), reader.GetInt64(1)));
        Assert.False(await reader.ReadAsync(TestContext.Current.CancellationToken));
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Migrations_SqliteAndSqlServer_HaveTheSameIdsTablesAndColumns()
    {
        using RegistryDbContext sqlite = SqliteContext();
        using RegistryDbContext sqlServer = SqlServerContext();

        Assert.Equal(sqlite.Database.GetMigrations(), sqlServer.Database.GetMigrations());
        var sqliteSchema = Schema(sqlite.GetService<IMigrationsAssembly>().ModelSnapshot!.Model);
        var sqlServerSchema = Schema(sqlServer.GetService<IMigrationsAssembly>().ModelSnapshot!.Model);
        Assert.Equal(sqliteSchema, sqlServerSchema);
        Assert.Equal(Tables.Order(StringComparer.Ordinal), sqliteSchema.Select(c => c.Split('.')[0]).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Migrations_BothProviders_MatchTheCurrentModel()
    {
        using RegistryDbContext sqlite = SqliteContext();
        using RegistryDbContext sqlServer = SqlServerContext();

        Assert.False(sqlite.Database.HasPendingModelChanges(), "The SQLite migrations lag the model: add a migration to both providers.");
        Assert.False(sqlServer.Database.HasPendingModelChanges(), "The SQL Server migrations lag the model: add a migration to both providers.");
    }

    /// <summary>"table.column:nullable" for every column, plus "table.index:unique" for every index.</summary>
    private static List<string> Schema(IModel model) =>
        model.GetEntityTypes()
            .SelectMany(e => e.GetProperties().Select(p => $"{e.GetTableName()}.{p.GetColumnName()}:{(p.IsNullable ? "null" : "not null")}")
                .Concat(e.GetIndexes().Select(i => $"{e.GetTableName()}.index({string.Join(",", i.Properties.Select(p => p.GetColumnName()))}):{(i.IsUnique ? "unique" : "")}:{(i.GetFilter() is null ? "" : "filtered")}")))
            .Order(StringComparer.Ordinal)
            .ToList();
}
