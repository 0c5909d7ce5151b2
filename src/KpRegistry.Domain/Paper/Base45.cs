namespace KpRegistry.Domain.Paper;

/// <summary>
/// Base45 (RFC 9285): two bytes become three characters of the QR alphanumeric alphabet, a last
/// odd byte two. Used for the <c>KP1:</c> QR content, because QR alphanumeric mode stores a
/// character in 5.5 bits where byte mode needs 8.
/// </summary>
public static class Base45
{
    /// <summary>The 45 characters, in value order (RFC 9285, section 4.2).</summary>
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

    /// <summary>The number of characters <see cref="Encode"/> writes for <paramref name="byteCount"/> bytes.</summary>
    public static int EncodedLength(int byteCount) => checked(byteCount / 2 * 3 + (byteCount % 2 == 0 ? 0 : 2));

    /// <summary>The most bytes whose encoding has at most <paramref name="charCount"/> characters.</summary>
    public static int MaxDecodedLength(int charCount) => charCount / 3 * 2 + (charCount % 3 == 2 ? 1 : 0);

    /// <summary>The base45 text of <paramref name="data"/>.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[EncodedLength(data.Length)];
        int o = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            int n = data[i] * 256 + data[i + 1];
            chars[o++] = Alphabet[n % 45];
            chars[o++] = Alphabet[n / 45 % 45];
            chars[o++] = Alphabet[n / 2025];
        }
        if (i < data.Length)
        {
            int n = data[i];
            chars[o++] = Alphabet[n % 45];
            chars[o++] = Alphabet[n / 45];
        }
        return new string(chars);
    }

    /// <summary>
    /// The bytes of <paramref name="text"/>; a character outside the alphabet, a length of 3k+1, or
    /// a group whose value exceeds 65535 (or 255 for the last two characters) is a
    /// <see cref="FormatException"/> naming the position, as RFC 9285 section 6 requires.
    /// </summary>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (text.Length % 3 == 1)
            throw new FormatException($"base45: {text.Length} characters; a valid length is 3k or 3k+2");
        var bytes = new byte[MaxDecodedLength(text.Length)];
        int o = 0;
        int i = 0;
        for (; i + 2 < text.Length; i += 3)
        {
            int n = Value(text, i) + Value(text, i + 1) * 45 + Value(text, i + 2) * 2025;
            if (n > 0xFFFF)
                throw new FormatException($"base45: the group at position {i} has the value {n}; at most 65535");
            bytes[o++] = (byte)(n >> 8);
            bytes[o++] = (byte)(n & 0xFF);
        }
        if (i < text.Length)
        {
            int n = Value(text, i) + Value(text, i + 1) * 45;
            if (n > 0xFF)
                throw new FormatException($"base45: the last two characters have the value {n}; at most 255");
            bytes[o++] = (byte)n;
        }
        return bytes;
    }

    private static int Value(ReadOnlySpan<char> text, int index)
    {
        char c = text[index];
        int v = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'Z' => c - 'A' + 10,
            ' ' => 36,
            '$' => 37,
            '%' => 38,
            '*' => 39,
            '+' => 40,
            '-' => 41,
            '.' => 42,
            '/' => 43,
            ':' => 44,
            _ => -1,
        };
        if (v < 0)
            throw new FormatException($"base45: '{(char.IsControl(c) ? '?' : c)}' (U+{(int)c:X4}) at position {index} is not in the alphabet");
        return v;
    }
}
