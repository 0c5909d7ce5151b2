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
    public static bool TryParse(string? text, out DateOnly date)
    {
        if (text is null || text.Length != 10)
        {
            date = default;
            return false;
        }
        return DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>Formats <paramref name="date"/> as the certificate writes it.</summary>
    public static string ToText(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>The UTC calendar date of <paramref name="instant"/>.</summary>
    public static DateOnly UtcDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);
}
