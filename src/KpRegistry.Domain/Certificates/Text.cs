using System.Globalization;
using System.Text;

namespace KpRegistry.Domain.Certificates;

/// <summary>How rule and verification messages show values: one place, so every message reads alike.</summary>
internal static class Text
{
    private const int MaxShown = 48;

    /// <summary>
    /// A string value in quotes, cut to a readable length, control characters escaped: an empty or
    /// hostile value stays visible and bounded, and cannot forge a line in a log.
    /// </summary>
    public static string Quote(string value)
    {
        string shown = value.Length <= MaxShown ? value : value[..MaxShown];
        if (HasControl(shown))
        {
            var escaped = new StringBuilder(shown.Length + 16);
            foreach (char ch in shown)
            {
                if (char.IsControl(ch))
                {
                    escaped.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    escaped.Append(ch);
                }
            }
            shown = escaped.ToString();
        }
        return value.Length <= MaxShown
            ? "\"" + shown + "\""
            : "\"" + shown + "...\" (" + value.Length.ToString(CultureInfo.InvariantCulture) + " characters)";
    }

    private static bool HasControl(string value)
    {
        foreach (char ch in value)
        {
            if (char.IsControl(ch))
            {
                return true;
            }
        }
        return false;
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
