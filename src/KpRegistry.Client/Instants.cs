using System.Globalization;
using KpRegistry.Domain.Certificates;

namespace KpRegistry.Client;

/// <summary>The RFC 3339 instants and "YYYY-MM-DD" dates of the wire, read strictly.</summary>
internal static class Instants
{
    private static readonly string[] Rfc3339Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>An RFC 3339 instant with 'Z' or an offset (e.g. "2026-11-28T07:30:00Z"); false for anything else, the empty string included.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrEmpty(text) || text.Length > 40)
        {
            return false;
        }
        return DateTimeOffset.TryParseExact(text, Rfc3339Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    /// <summary>A required instant, or a <see cref="FormatException"/> naming <paramref name="field"/>.</summary>
    public static DateTimeOffset Parse(string? text, string field) =>
        TryParse(text, out DateTimeOffset instant) ? instant : throw new FormatException($"{field} \"{text}\" is not an RFC 3339 instant");

    /// <summary>An optional instant: null when empty.</summary>
    public static DateTimeOffset? ParseOptional(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null : Parse(text, field);

    /// <summary>A required "YYYY-MM-DD" date.</summary>
    public static DateOnly ParseDate(string? text, string field) =>
        CertificateDates.TryParse(text, out DateOnly date)
            ? date
            : throw new FormatException($"{field} \"{text}\" is not a date YYYY-MM-DD");

    /// <summary>An optional "YYYY-MM-DD" date: null when empty.</summary>
    public static DateOnly? ParseOptionalDate(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null : ParseDate(text, field);
}
