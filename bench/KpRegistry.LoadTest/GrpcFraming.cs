using System.Buffers.Binary;

namespace KpRegistry.LoadTest;

/// <summary>
/// gRPC's framing of a message inside HTTP/2 DATA (gRPC over HTTP/2, "Length-Prefixed-Message"):
/// a compressed flag byte (always 0 here: this client compresses nothing) and the message length
/// as a 32-bit big-endian integer, then the message. <see cref="RawGrpcCall.OnData"/> reads it back.
/// </summary>
internal static class GrpcFraming
{
    public const int PrefixLength = 5;

    /// <summary>Writes the prefix of an uncompressed message of <paramref name="messageLength"/> bytes into the first 5 bytes of <paramref name="to"/>.</summary>
    public static void WritePrefix(Span<byte> to, int messageLength)
    {
        to[0] = 0; // not compressed
        BinaryPrimitives.WriteInt32BigEndian(to[1..], messageLength);
    }
}
