using KpRegistry.Domain.Statistics;

namespace KpRegistry.Domain.Tests.Statistics;

public sealed class StatisticsPeriodTests
{
    [Theory]
    [InlineData("2026", "2026-01-01", "2026-12-31")]
    [InlineData("2026-H1", "2026-01-01", "2026-06-30")]
    [InlineData("2026-H2", "2026-07-01", "2026-12-31")]
    [InlineData("2026-Q1", "2026-01-01", "2026-03-31")]
    [InlineData("2024-Q1", "2024-01-01", "2024-03-31")]
    [InlineData("2026-Q3", "2026-07-01", "2026-09-30")]
    [InlineData("2026-Q4", "2026-10-01", "2026-12-31")]
    [InlineData("9999-H2", "9999-07-01", "9999-12-31")]
    [InlineData("9999-Q4", "9999-10-01", "9999-12-31")]
    public void Parse_Period_FirstAndLastDay(string text, string first, string last)
    {
        StatisticsPeriod period = StatisticsPeriod.Parse(text);

        Assert.Equal(DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), period.First);
        Assert.Equal(DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture), period.Last);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-H3")]
    [InlineData("2026-Q0")]
    [InlineData("2026-q1")]
    [InlineData("2002")]
    [InlineData("+026")]
    [InlineData("2026-")]
    [InlineData("2026-Q10")]
    public void TryParse_NotAPeriod_NullWithReason(string text)
    {
        Assert.Null(StatisticsPeriod.TryParse(text, out string error));
        Assert.Contains("not a period", error);
    }

    [Fact]
    public void PreviousYear_HalfYear_SameHalfOneYearEarlier()
    {
        Assert.Equal(StatisticsPeriod.Parse("2025-H2"), StatisticsPeriod.Parse("2026-H2").PreviousYear());
        Assert.Null(StatisticsPeriod.Parse("2003-Q1").PreviousYear());
    }
}
