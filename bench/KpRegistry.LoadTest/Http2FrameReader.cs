namespace KpRegistry.LoadTest;

/// <summary>
/// The read side's buffer: socket reads (64 KiB at most, many frames each) append behind what is
/// there, whole frames are taken from the front, and a frame cut by the end of a read stays until
/// the rest arrives. Room for one whole frame behind a partial one is always kept.
/// </summary>
internal sealed class Http2FrameReader
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    /// <summary>Where the next read goes.</summary>
    public Memory<byte> Free => _buffer.AsMemory(_end);

    /// <summary>Bytes held that are not yet a whole frame (after <see cref="TryTake"/> returned false).</summary>
    public int Buffered => _end - _start;

    /// <summary>Counts <paramref name="count"/> bytes just read into <see cref="Free"/>.</summary>
    public void Appended(int count) => _end += count;

    /// <summary>
    /// The next whole frame, its payload valid until the next <see cref="Compact"/>; false when
    /// what is left is not a whole frame yet. A frame larger than <see cref="Http2Frame.OurMaxFrame"/>
    /// is a protocol error (we never allowed one).
    /// </summary>
    public bool TryTake(out Http2FrameHeader header, out ReadOnlySpan<byte> payload)
    {
        header = default;
        payload = default;
        if (_end - _start < Http2Frame.HeaderLength)
        {
            return false;
        }
        Http2FrameHeader next = Http2Frame.ReadHeader(_buffer.AsSpan(_start, Http2Frame.HeaderLength));
        if (next.Length > Http2Frame.OurMaxFrame)
        {
            throw new RawGrpcException(13, $"HTTP/2 frame of {next.Length} bytes, larger than our SETTINGS_MAX_FRAME_SIZE.");
        }
        if (_end - _start < Http2Frame.HeaderLength + next.Length)
        {
            return false;
        }
        header = next;
        payload = _buffer.AsSpan(_start + Http2Frame.HeaderLength, next.Length);
        _start += Http2Frame.HeaderLength + next.Length;
        return true;
    }

    /// <summary>After the whole frames are taken: an empty buffer starts over; a partial frame too close to the end moves to the front, so a whole frame always fits behind it.</summary>
    public void Compact()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_buffer.Length - _end < Http2Frame.HeaderLength + Http2Frame.OurMaxFrame)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
    }
}
