using System.Diagnostics;
using System.Globalization;
using KpRegistry.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KpRegistry.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/KpRegistry.Benchmarks -- statistics [certificates]</c>:
/// the figures of GetTradeStatistics (RegistryStore.ReadTradeCellsAsync, the one database query
/// behind it) over a SQLite database of 1,000,000 recorded certificates (default), two years of
/// dates, 20 exporters, 1.3 lines each, 2% cancelled. A console measure rather than
/// BenchmarkDotNet: filling the database takes minutes, and one cold and five warm runs say what
/// a caller waits. The rows are inserted with plain SQL (the registry's own path signs and logs
/// every certificate, which would take hours here); the query is the registry's own.
/// </summary>
public static class StatisticsMeasure
{
    public static async Task<int> RunAsync(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        string file = Path.Combine(Path.GetTempPath(), $"kpreg-statistics-{Environment.ProcessId}.db");
        try
        {
            var services = new ServiceCollection()
                .AddSingleton(TimeProvider.System)
                .AddRegistryStorage(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={file}" })
                .BuildServiceProvider();
            var factory = services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
            await RegistryDatabase.MigrateAsync(factory);
            await RegistryDatabase.SeedParticipantsAsync(factory, TimeProvider.System);
            var fill = Stopwatch.StartNew();
            await FillAsync(file, count);
            Console.WriteLine($"filled {count:N0} certificates in {fill.Elapsed.TotalSeconds:N0} s ({new FileInfo(file).Length / 1_048_576:N0} MiB)");

            RegistryStore store = services.GetRequiredService<RegistryStore>();
            foreach (string name in new[] { "2026-H2", "2026-Q3", "2026" })
            {
                var period = Domain.Statistics.StatisticsPeriod.Parse(name);
                var times = new List<double>();
                int cells = 0;
                for (int run = 0; run < 6; run++)
                {
                    var watch = Stopwatch.StartNew();
                    cells = (await store.ReadTradeCellsAsync(period.First, period.Last)).Count;
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
                var warm = times.Skip(1).Order().ToList();
                Console.WriteLine($"GetTradeStatistics {name}: {cells} cells; first {times[0]:N0} ms, warm median {warm[warm.Count / 2]:N0} ms (min {warm[0]:N0}, max {warm[^1]:N0})");
            }
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static async Task FillAsync(string file, int count)
    {
        string[] exporters = ["AE", "AO", "AU", "BE", "BW", "CA", "CD", "CN", "EU", "GY", "IL", "IN", "LS", "NA", "RU", "SL", "TZ", "US", "ZA", "ZW"];
        exporters = [.. exporters.Where(c => c != "BE")];
        string[] hs = ["7102.10", "7102.21", "7102.31"];
        var random = new Random(5);
        await using var connection = new SqliteConnection($"Data Source={file};Foreign Keys=False");
        await connection.OpenAsync();
        // Foreign keys stay off on this connection: the measure needs no key rows behind key_id.
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;";
            await pragma.ExecuteNonQueryAsync();
        }
        var first = new DateOnly(2025, 1, 1);
        const int Batch = 50_000;
        for (int start = 0; start < count; start += Batch)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var certificate = connection.CreateCommand();
            certificate.Transaction = transaction;
            certificate.CommandText = """
                INSERT INTO certificates (id, issuing_participant, certificate_number, issuing_authority, key_id, envelope, payload_sha256, date_of_issue,
                  date_of_expiry, destination_participant, total_carats_hundredths, total_value_usd_cents, recorded_at, mixed_origin)
                VALUES ($id, $issuer, $number, $issuer || '-KP', 'bench', x'00', x'00', $issued, $expiry, $destination, $carats, $value, 0, 0)
                """;
            await using var line = connection.CreateCommand();
            line.Transaction = transaction;
            line.CommandText = """
                INSERT INTO certificate_lines (certificate_id, line_number, date_of_issue, issuing_participant, destination_participant, hs_code, carats_hundredths, value_usd_cents)
                VALUES ($id, $n, $issued, $issuer, $destination, $hs, $carats, $value)
                """;
            await using var cancelled = connection.CreateCommand();
            cancelled.Transaction = transaction;
            cancelled.CommandText = "INSERT INTO certificate_events (certificate_id, sequence, kind, at, reason, actor) VALUES ($id, 1, 'Cancelled', 0, 'bench', 'bench')";
            foreach (var name in new[] { "$id", "$issuer", "$number", "$issued", "$expiry", "$destination", "$carats", "$value" })
            {
                certificate.Parameters.Add(new SqliteParameter(name, null));
            }
            foreach (var name in new[] { "$id", "$n", "$issued", "$issuer", "$destination", "$hs", "$carats", "$value" })
            {
                line.Parameters.Add(new SqliteParameter(name, null));
            }
            cancelled.Parameters.Add(new SqliteParameter("$id", null));
            for (int i = start; i < Math.Min(count, start + Batch); i++)
            {
                long id = i + 1;
                string issuer = exporters[random.Next(exporters.Length)];
                string destination = exporters[random.Next(exporters.Length)];
                if (destination == issuer)
                {
                    destination = issuer == "EU" ? "AE" : "EU";
                }
                DateOnly issued = first.AddDays(random.Next(730));
                int lines = random.Next(10) < 7 ? 1 : 2;
                long totalCarats = 0, totalValue = 0;
                for (int n = 0; n < lines; n++)
                {
                    long carats = random.NextInt64(1_00, 10_000_00);
                    long value = carats * random.Next(50, 400);
                    totalCarats += carats;
                    totalValue += value;
                    Set(line, ("$id", id), ("$n", n), ("$issued", Text(issued)), ("$issuer", issuer), ("$destination", destination), ("$hs", hs[random.Next(3)]),
                        ("$carats", carats), ("$value", value));
                    await line.ExecuteNonQueryAsync();
                }
                Set(certificate, ("$id", id), ("$issuer", issuer), ("$number", $"{issuer}-{id:D8}"), ("$issued", Text(issued)), ("$expiry", Text(issued.AddDays(60))),
                    ("$destination", destination), ("$carats", totalCarats), ("$value", totalValue));
                await certificate.ExecuteNonQueryAsync();
                if (random.Next(50) == 0)
                {
                    Set(cancelled, ("$id", id));
                    await cancelled.ExecuteNonQueryAsync();
                }
            }
            await transaction.CommitAsync();
        }
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Set(SqliteCommand command, params (string Name, object Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value;
        }
    }
}
