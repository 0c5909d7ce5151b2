using System.Globalization;

namespace KpRegistry.Domain.Wire;

/// <summary>
/// The wire's one form of an instant (statements, records, lists, results, requests): RFC 3339,
/// written in UTC with the precision the value has, read strictly. Every project formats and
/// parses instants here, the proof-of-possession check included, so what one side writes the
/// other reads and nothing looser is accepted anywhere.
/// </summary>
public static class Instants
{
    /// <summary>The longest text examined; a real instant with seven fraction digits and an offset has 33 characters.</summary>
    private const int MaxLength = 40;

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
    ];

    /// <summary>RFC 3339 in UTC with the precision the value has, e.g. "2026-11-28T07:30:00Z" or "2026-11-28T07:30:00.5Z".</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>As <see cref="Format(DateTimeOffset)"/>; the empty string (the wire's "none") for null.</summary>
    public static string Format(DateTimeOffset? instant) => instant is { } value ? Format(value) : "";

    /// <summary>
    /// An RFC 3339 instant: "YYYY-MM-DDTHH:MM:SS", an optional fraction of 1 to 7 digits, then "Z"
    /// or an offset "+HH:MM"/"-HH:MM"; returned in UTC. False for anything else: no offset (a local
    /// time is not an instant), a lower-case or space separator, whitespace, a date alone, empty.
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (text is null || text.Length is < 20 or > MaxLength || !HasStrictTail(text))
        {
            return false;
        }
        return DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    /// <summary>A required instant.</summary>
    /// <exception cref="FormatException">Not an RFC 3339 instant; the message names <paramref name="field"/>.</exception>
    public static DateTimeOffset Parse(string? text, string field) =>
        TryParse(text, out DateTimeOffset instant) ? instant : throw new FormatException($"{field} \"{text}\" is not an RFC 3339 instant");

    /// <summary>An optional instant: null when empty.</summary>
    /// <exception cref="FormatException">Neither empty nor an RFC 3339 instant.</exception>
    public static DateTimeOffset? ParseOptional(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null : Parse(text, field);

    // What the .NET format strings let through and RFC 3339 does not: a '.' with no digit after
    // it, and an offset without two-digit hours and minutes.
    private static bool HasStrictTail(string text)
    {
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 && (dot != 19 || dot + 1 >= text.Length || !char.IsAsciiDigit(text[dot + 1])))
        {
            return false;
        }
        if (text[^1] == 'Z')
        {
            return true;
        }
        ReadOnlySpan<char> offset = text.AsSpan(text.Length - 6);
        return offset[0] is '+' or '-' && char.IsAsciiDigit(offset[1]) && char.IsAsciiDigit(offset[2])
            && offset[3] == ':' && char.IsAsciiDigit(offset[4]) && char.IsAsciiDigit(offset[5]);
    }
}
