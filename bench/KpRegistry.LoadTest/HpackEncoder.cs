using System.Text;

namespace KpRegistry.LoadTest;

/// <summary>
/// The HPACK (RFC 7541) encoding this client writes: integers (section 5.1) and string literals
/// without Huffman (section 5.2), enough for the request block of <see cref="RawGrpcMethod"/>,
/// which needs no dynamic table.
/// </summary>
internal static class HpackEncoder
{
    public static void WriteInteger(List<byte> to, byte firstByteBits, int prefixBits, int value)
    {
        int max = (1 << prefixBits) - 1;
        if (value < max)
        {
            to.Add((byte)(firstByteBits | value));
            return;
        }
        to.Add((byte)(firstByteBits | max));
        value -= max;
        while (value >= 128)
        {
            to.Add((byte)(value % 128 + 128));
            value /= 128;
        }
        to.Add((byte)value);
    }

    /// <summary>A string literal without Huffman (H = 0).</summary>
    public static void WriteString(List<byte> to, string value)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(value);
        WriteInteger(to, 0x00, 7, bytes.Length);
        to.AddRange(bytes);
    }
}
