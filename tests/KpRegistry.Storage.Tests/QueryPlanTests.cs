using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage.Tests;

/// <summary>
/// Queries on paths that run per request must search an index, not scan a table that grows with
/// the registry: checked on SQLite's own plan, so a slow-down shows up here rather than in a
/// benchmark weeks later.
/// </summary>
public sealed partial class QueryPlanTests
{
    [Fact]
    public async Task RecordedAmong_IssuingBatchDuplicateCheck_SearchesTheCertificateIndex()
    {
        await using TestDatabase db = await SqliteTestDatabase.CreateAsync();
        await using RegistryDbContext context = db.NewContext();
        string sql = RegistryStore.RecordedAmong(context, ["BW", "ZA"], ["BW-0001", "ZA-0002"])
            .Select(c => new { c.IssuingParticipant, c.CertificateNumber })
            .ToQueryString();

        List<string> plan = await ExplainAsync(context, sql);

        // EF names the table by an alias ("c"), so the steps are matched without the table's name.
        Assert.Contains(plan, step => step.StartsWith("SEARCH ", StringComparison.Ordinal)
            && step.Contains("INDEX UX_certificates_issuer_number (issuing_participant=? AND certificate_number=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN ", StringComparison.Ordinal) && !step.Contains("json_each", StringComparison.Ordinal));
    }

    /// <summary>SQLite's EXPLAIN QUERY PLAN of EF's query text (its ".param set" lines become parameters).</summary>
    private static async Task<List<string>> ExplainAsync(RegistryDbContext context, string queryString)
    {
        await context.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        DbConnection connection = context.Database.GetDbConnection();
        await using DbCommand command = connection.CreateCommand();
        var sql = new List<string>();
        foreach (string line in queryString.Split('\n'))
        {
            Match parameter = ParamLine().Match(line);
            if (parameter.Success)
            {
                DbParameter p = command.CreateParameter();
                p.ParameterName = parameter.Groups["name"].Value;
                p.Value = parameter.Groups["value"].Value.Trim('\'');
                command.Parameters.Add(p);
            }
            else
            {
                sql.Add(line);
            }
        }
        command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', sql);
        var steps = new List<string>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            steps.Add(reader.GetString(3));
        }
        return steps;
    }

    [GeneratedRegex(@"^\.param set (?<name>@\w+) (?<value>.*?)\r?$")]
    private static partial Regex ParamLine();
}
