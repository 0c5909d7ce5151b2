using System.Globalization;

namespace KpRegistry.Domain.Certificates;

/// <summary>
/// The certificate's calendar dates: ISO 8601 "YYYY-MM-DD", exactly ten characters, invariant
/// culture, nothing else accepted (no time, no offset, no whitespace).
/// </summary>
public static class CertificateDates
{
    /// <summary>The one accepted format.</summary>
    public const string Format = "yyyy-MM-dd";

    /// <summary>Parses <paramref name="text"/> strictly; false for anything but a real calendar date "YYYY-MM-DD".</summary>
    /// <remarks>By hand rather than <c>DateOnly.TryParseExact</c>: every verification parses two
    /// dates, and the general parser costs more than the rest of the rule together.</remarks>
    public static bool TryParse(string? text, out DateOnly date)
    {
        date = default;
        if (text is null || text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !TryDigits(text.AsSpan(0, 4), out int year)
            || !TryDigits(text.AsSpan(5, 2), out int month)
            || !TryDigits(text.AsSpan(8, 2), out int day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>Formats <paramref name="date"/> as the certificate writes it.</summary>
    public static string ToText(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return true;
    }

    /// <summary>The UTC calendar date of <paramref name="instant"/>.</summary>
    public static DateOnly UtcDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);
}
