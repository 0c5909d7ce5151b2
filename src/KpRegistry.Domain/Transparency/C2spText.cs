using System.Globalization;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// The two lexical rules every C2SP text format shares, in one place: standard base64 (RFC 4648
/// section 4) in its one canonical spelling, and ASCII decimals with no leading zeroes.
/// </summary>
public static class C2spText
{
    /// <summary>Canonical standard base64 only: the decoded bytes must encode back to the same text (no whitespace, no stray bits).</summary>
    public static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 != 0)
        {
            return false;
        }
        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out int written))
        {
            return false;
        }
        byte[] decoded = buffer.AsSpan(0, written).ToArray();
        if (Convert.ToBase64String(decoded) != text)
        {
            return false;
        }
        bytes = decoded;
        return true;
    }

    /// <summary>A non-negative decimal without sign, spaces or leading zeroes ("0" alone is zero), that fits a long.</summary>
    public static bool TryParseDecimal(string text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 19 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static string FormatDecimal(long value) => value.ToString(CultureInfo.InvariantCulture);
}
