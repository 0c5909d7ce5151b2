using System.Globalization;

namespace KpRegistry.Domain.Statistics;

/// <summary>
/// A statistics period, as the KP reports trade: a calendar year ("2026"), a half-year
/// ("2026-H2") or a quarter ("2026-Q3"). A certificate belongs to the period that contains its
/// date of issue. Years 2003 (the start of the KPCS) to 9999.
/// </summary>
public sealed record StatisticsPeriod(string Name, DateOnly First, DateOnly Last)
{
    /// <summary>The same period one year earlier ("2026-H2" → "2025-H2"); null before 2004.</summary>
    public StatisticsPeriod? PreviousYear()
    {
        if (First.Year <= 2003)
        {
            return null;
        }
        string previous = (First.Year - 1).ToString("D4", CultureInfo.InvariantCulture) + Name[4..];
        return Parse(previous);
    }

    /// <summary>Parses a period, or returns null with <paramref name="error"/> saying what is wrong.</summary>
    public static StatisticsPeriod? TryParse(string text, out string error)
    {
        error = "";
        if (text.Length is not (4 or 7) || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out int year)
            || year is < 2003 or > 9999)
        {
            error = $"'{Echo(text)}' is not a period: a year 2003..9999 (\"2026\"), a half-year (\"2026-H2\") or a quarter (\"2026-Q3\").";
            return null;
        }
        if (text.Length == 4)
        {
            return new(text, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        }
        (int firstMonth, int months) = text.AsSpan(4) switch
        {
            "-H1" => (1, 6),
            "-H2" => (7, 6),
            "-Q1" => (1, 3),
            "-Q2" => (4, 3),
            "-Q3" => (7, 3),
            "-Q4" => (10, 3),
            _ => (0, 0),
        };
        if (months == 0)
        {
            error = $"'{Echo(text)}' is not a period: after the year comes -H1, -H2 or -Q1..-Q4.";
            return null;
        }
        var first = new DateOnly(year, firstMonth, 1);
        // The last month's own last day: "the first of the next period minus a day" is past DateOnly.MaxValue for 9999-H2.
        int lastMonth = firstMonth + months - 1;
        return new(text, first, new DateOnly(year, lastMonth, DateTime.DaysInMonth(year, lastMonth)));
    }

    /// <summary>Parses a period; <see cref="FormatException"/> when it is not one.</summary>
    public static StatisticsPeriod Parse(string text) => TryParse(text, out string error) ?? throw new FormatException(error);

    private static string Echo(string value) => value.Length <= 20 ? value : string.Concat(value.AsSpan(0, 20), "…");
}
