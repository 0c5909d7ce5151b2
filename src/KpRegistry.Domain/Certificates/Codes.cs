namespace KpRegistry.Domain.Certificates;

/// <summary>Shape checks for participant and country codes; membership is the registry's business.</summary>
internal static class Codes
{
    /// <summary>True for exactly two upper-case ASCII letters: the shape of an ISO 3166-1 alpha-2 code, and of "EU".</summary>
    public static bool IsAlpha2(string? code) =>
        code is { Length: 2 } && code[0] is >= 'A' and <= 'Z' && code[1] is >= 'A' and <= 'Z';

    /// <summary>True for the codes of the EU member states, which are not participants: the EU is (DOMAIN.md).</summary>
    public static bool IsEuMemberState(string code) => code switch
    {
        "AT" or "BE" or "BG" or "HR" or "CY" or "CZ" or "DK" or "EE" or "FI" or "FR" or "DE" or "GR" or "HU" or "IE"
            or "IT" or "LV" or "LT" or "LU" or "MT" or "NL" or "PL" or "PT" or "RO" or "SK" or "SI" or "ES" or "SE" => true,
        _ => false,
    };
}
