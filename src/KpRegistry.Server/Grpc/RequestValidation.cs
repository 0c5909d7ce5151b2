using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Wire;
using KpRegistry.Server.Application;

namespace KpRegistry.Server.Grpc;

/// <summary>Shape checks of request fields, run before anything else; each failure is INVALID_ARGUMENT naming the field.</summary>
public static class RequestValidation
{
    public static string ParticipantCode(string value, string field)
    {
        if (value.Length == 2 && char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]))
        {
            return value;
        }
        throw RegistryException.Invalid(field, $"'{Truncate(value)}' is not a participant code: two upper-case letters (ISO 3166-1 alpha-2, or EU).");
    }

    /// <summary>An authority code: the participant's code, '-', then A-Z, 0-9 and '-'; at most 32 characters (e.g. "EU-BE").</summary>
    public static string AuthorityCode(string value, string participantCode, string field)
    {
        bool shaped = value.Length is > 3 and <= 32 && value.StartsWith(participantCode + "-", StringComparison.Ordinal)
            && value.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-');
        return shaped
            ? value
            : throw RegistryException.Invalid(field, $"'{Truncate(value)}' is not an authority code of {participantCode}: \"{participantCode}-\" then A-Z, 0-9 or '-', at most 32 characters (e.g. \"EU-BE\").");
    }

    /// <summary>Up to 100 distinct two-letter codes.</summary>
    public static string[] Codes(IReadOnlyList<string> values, string field)
    {
        if (values.Count > 100)
        {
            throw RegistryException.Invalid(field, $"{values.Count} codes; at most 100.");
        }
        var codes = new List<string>(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            string code = ParticipantCode(values[i], $"{field}[{i}]");
            if (codes.Contains(code, StringComparer.Ordinal))
            {
                throw RegistryException.Invalid($"{field}[{i}]", $"{code} is listed twice.");
            }
            codes.Add(code);
        }
        return [.. codes];
    }

    public static string KeyId(string value, string field) =>
        KeyIds.IsWellFormed(value) ? value : throw RegistryException.Invalid(field, $"'{Truncate(value)}' is not a key id: 64 lowercase hexadecimal characters.");

    /// <summary>A "YYYY-MM-DD" date, or <paramref name="whenEmpty"/> when the field is empty.</summary>
    public static DateOnly Date(string value, string field, DateOnly whenEmpty)
    {
        if (value.Length == 0)
        {
            return whenEmpty;
        }
        return CertificateDates.TryParse(value, out DateOnly date)
            ? date
            : throw RegistryException.Invalid(field, $"'{Truncate(value)}' is not a date of the form YYYY-MM-DD.");
    }

    /// <summary>An RFC 3339 instant with "Z" or an offset (<see cref="Instants.TryParse"/>), in UTC; null when the field is empty.</summary>
    public static DateTimeOffset? Instant(string value, string field)
    {
        if (value.Length == 0)
        {
            return null;
        }
        return Instants.TryParse(value, out DateTimeOffset instant)
            ? instant
            : throw RegistryException.Invalid(field, $"'{Truncate(value)}' is not an RFC 3339 instant such as 2026-03-01T00:00:00Z.");
    }

    public static string Text(string value, string field, int maxLength, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(value))
        {
            throw RegistryException.Invalid(field, "is required.");
        }
        return value.Length <= maxLength ? value : throw RegistryException.Invalid(field, $"is {value.Length} characters long; at most {maxLength} are allowed.");
    }

    /// <summary>Echoes user input in a message without letting it grow the message without bound.</summary>
    public static string Truncate(string value) => RegistryException.Echo(value);
}
