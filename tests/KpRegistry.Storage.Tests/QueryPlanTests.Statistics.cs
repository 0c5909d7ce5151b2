using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage.Tests;

public sealed partial class QueryPlanTests
{
    [Fact]
    public async Task TradeCellsQuery_PeriodFigures_RangeSearchOfTheCoveringLinesIndexAndNoTableScan()
    {
        await using TestDatabase db = await SqliteTestDatabase.CreateAsync();
        await using RegistryDbContext context = db.NewContext();
        string sql = RegistryStore.TradeCellsQuery(context, new DateOnly(2026, 7, 1), new DateOnly(2026, 12, 31)).ToQueryString();

        List<string> plan = await ExplainAsync(context, sql);

        // GetTradeStatistics over a million certificates stays under a second only because the
        // period is one range of this index, which holds every column the sums need.
        Assert.Contains(plan, step => step.StartsWith("SEARCH ", StringComparison.Ordinal)
            && step.Contains("USING COVERING INDEX IX_certificate_lines_statistics (date_of_issue>? AND date_of_issue<?)", StringComparison.Ordinal));
        // The "not cancelled, replaced or refused" check is a lookup per line, not a scan of the events.
        Assert.Contains(plan, step => step.StartsWith("SEARCH ", StringComparison.Ordinal) && step.Contains("(certificate_id=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN ", StringComparison.Ordinal));
    }
}
