using KpRegistry.Domain.Certificates;

namespace KpRegistry.Domain.Wire;

/// <summary>
/// The wire's calendar dates (certificates, status periods, zone approvals): "YYYY-MM-DD", with the
/// empty string for "none". The one parser is <see cref="CertificateDates"/>; this adds the optional
/// form and the field-naming errors the converters need.
/// </summary>
public static class Dates
{
    public static string Format(DateOnly date) => CertificateDates.ToText(date);

    /// <summary>The empty string for null.</summary>
    public static string Format(DateOnly? date) => date is { } value ? Format(value) : "";

    /// <summary>A required date.</summary>
    /// <exception cref="FormatException">Not "YYYY-MM-DD"; the message names <paramref name="field"/>.</exception>
    public static DateOnly Parse(string? text, string field) =>
        CertificateDates.TryParse(text, out DateOnly date)
            ? date
            : throw new FormatException($"{field} \"{text}\" is not a date YYYY-MM-DD");

    /// <summary>An optional date: null when empty.</summary>
    public static DateOnly? ParseOptional(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null : Parse(text, field);
}
