using System.Text;

namespace KpRegistry.Domain.Envelopes;

/// <summary>
/// The DSSE pre-authentication encoding: the exact bytes every signature in a
/// <c>SignedEnvelope</c> covers. <c>"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, LEN
/// in ASCII decimal. This is the one place the encoding is written; docs/FORMAT.md pins it.
/// </summary>
public static class Pae
{
    private static readonly byte[] Prefix = "DSSEv1 "u8.ToArray();

    /// <summary>The number of bytes <see cref="Encode(string, ReadOnlySpan{byte})"/> writes.</summary>
    public static int GetLength(string payloadType, int payloadLength)
    {
        int typeLength = Encoding.UTF8.GetByteCount(payloadType);
        return Prefix.Length + DecimalDigits(typeLength) + 1 + typeLength + 1 + DecimalDigits(payloadLength) + 1 + payloadLength;
    }

    /// <summary>PAE(<paramref name="payloadType"/>, <paramref name="payload"/>) as a new array.</summary>
    public static byte[] Encode(string payloadType, ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[GetLength(payloadType, payload.Length)];
        int written = Encode(payloadType, payload, buffer);
        return written == buffer.Length ? buffer : throw new InvalidOperationException("PAE length mismatch.");
    }

    /// <summary>Writes PAE into <paramref name="destination"/>, which must hold <see cref="GetLength"/> bytes; returns the count written.</summary>
    public static int Encode(string payloadType, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        int typeLength = Encoding.UTF8.GetByteCount(payloadType);
        int at = 0;
        Prefix.CopyTo(destination);
        at += Prefix.Length;
        at += WriteDecimal(typeLength, destination[at..]);
        destination[at++] = (byte)' ';
        at += Encoding.UTF8.GetBytes(payloadType, destination[at..]);
        destination[at++] = (byte)' ';
        at += WriteDecimal(payload.Length, destination[at..]);
        destination[at++] = (byte)' ';
        payload.CopyTo(destination[at..]);
        return at + payload.Length;
    }

    private static int WriteDecimal(int value, Span<byte> destination)
    {
        if (!value.TryFormat(destination, out int written, provider: System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new ArgumentException("Destination too small for PAE.", nameof(destination));
        }
        return written;
    }

    private static int DecimalDigits(int value) => value < 10 ? 1 : (int)Math.Floor(Math.Log10(value)) + 1;
}
