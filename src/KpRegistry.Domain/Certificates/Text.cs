using System.Globalization;

namespace KpRegistry.Domain.Certificates;

/// <summary>How rule and verification messages show values: one place, so every message reads alike.</summary>
internal static class Text
{
    private const int MaxShown = 48;

    /// <summary>A string value in quotes, cut to a readable length, so that an empty or hostile value stays visible and bounded.</summary>
    public static string Quote(string value)
    {
        if (value.Length <= MaxShown)
        {
            return "\"" + value + "\"";
        }
        return "\"" + value[..MaxShown] + "...\" (" + value.Length.ToString(CultureInfo.InvariantCulture) + " characters)";
    }

    /// <summary>An instant in UTC to the minute, as "2026-03-04T09:12Z" (seconds only when not zero).</summary>
    public static string Instant(DateTimeOffset instant)
    {
        DateTime utc = instant.UtcDateTime;
        return utc.ToString(utc.Second == 0 && utc.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    public static string Date(DateOnly date) => CertificateDates.ToText(date);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Hundredths of a carat as "1234.56 ct".</summary>
    public static string Carats(ulong hundredths) => Hundredths(hundredths) + " ct";

    /// <summary>US cents as "USD 1234.56".</summary>
    public static string Usd(ulong cents) => "USD " + Hundredths(cents);

    private static string Hundredths(ulong value) =>
        (value / 100).ToString(CultureInfo.InvariantCulture) + "." + (value % 100).ToString("D2", CultureInfo.InvariantCulture);
}
