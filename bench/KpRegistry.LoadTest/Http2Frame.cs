using System.Buffers.Binary;

namespace KpRegistry.LoadTest;

/// <summary>
/// The HTTP/2 frame layout (RFC 9113 section 4.1): a 9-byte header (24-bit length, 8-bit type,
/// 8-bit flags, reserved bit + 31-bit stream id) before the payload. Only the types and flags
/// this client reads or writes are named.
/// </summary>
internal static class Http2Frame
{
    public const int HeaderLength = 9;

    /// <summary>The largest payload we read: we never raise SETTINGS_MAX_FRAME_SIZE from its initial 16,384.</summary>
    public const int OurMaxFrame = 16384;

    public const int FrameData = 0x0, FrameHeaders = 0x1, FrameRstStream = 0x3, FrameSettings = 0x4, FramePushPromise = 0x5,
        FramePing = 0x6, FrameGoAway = 0x7, FrameWindowUpdate = 0x8, FrameContinuation = 0x9;
    public const byte FlagEndStream = 0x1, FlagAck = 0x1, FlagEndHeaders = 0x4, FlagPadded = 0x8, FlagPriority = 0x20;

    /// <summary>Writes a frame header into the first 9 bytes of <paramref name="to"/>.</summary>
    public static void WriteHeader(Span<byte> to, int length, int type, byte flags, int streamId)
    {
        to[0] = unchecked((byte)(length >> 16));
        to[1] = unchecked((byte)(length >> 8));
        to[2] = unchecked((byte)length);
        to[3] = (byte)type;
        to[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(to[5..], streamId);
    }

    /// <summary>Reads the frame header at the start of <paramref name="from"/> (9 bytes or more); the reserved bit of the stream id is ignored, as RFC 9113 says.</summary>
    public static Http2FrameHeader ReadHeader(ReadOnlySpan<byte> from) => new(
        from[0] << 16 | from[1] << 8 | from[2],
        from[3],
        from[4],
        BinaryPrimitives.ReadInt32BigEndian(from[5..]) & int.MaxValue);
}
