using System.Text;

namespace KpRegistry.LoadTest;

/// <summary>
/// The HPACK (RFC 7541) decoder of this client: the static table and the dynamic table (with
/// size updates), so every response block, indexed or not, decodes as the server's encoder meant it. No Huffman: .NET's HPACK
/// encoder (Kestrel's) never uses it, so a Huffman string is reported, not guessed at.
/// </summary>
internal sealed class HpackDecoder
{
    /// <summary>Receives a decoded field (the spans are valid during the call only).</summary>
    public delegate void FieldSink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);

    private const int MaxTableSize = 4096; // SETTINGS_HEADER_TABLE_SIZE: we leave the default

    private static readonly (byte[] Name, byte[] Value)[] StaticTable = [.. new[]
    {
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
        (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
        (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
        ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""),
        ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
        ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""), ("etag", ""),
        ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""), ("if-modified-since", ""),
        ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""), ("last-modified", ""), ("link", ""),
        ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""), ("proxy-authorization", ""), ("range", ""),
        ("referer", ""), ("refresh", ""), ("retry-after", ""), ("server", ""), ("set-cookie", ""),
        ("strict-transport-security", ""), ("transfer-encoding", ""), ("user-agent", ""), ("vary", ""), ("via", ""),
        ("www-authenticate", ""),
    }.Select(e => (Encoding.ASCII.GetBytes(e.Item1), Encoding.ASCII.GetBytes(e.Item2)))];

    // The dynamic table, newest first (index 62 is _dynamic[0]).
    private readonly List<(byte[] Name, byte[] Value)> _dynamic = [];
    private int _dynamicSize;
    private int _dynamicMax = MaxTableSize;

    /// <summary>What the dynamic table holds, in bytes as RFC 7541 section 4.1 counts them (name + value + 32 per entry).</summary>
    public int DynamicTableSize => _dynamicSize;

    /// <summary>Entries in the dynamic table (the newest is index 62).</summary>
    public int DynamicTableCount => _dynamic.Count;

    /// <summary>
    /// Decodes one whole header block, keeping :status, grpc-status and grpc-message in
    /// <paramref name="headers"/>; <paramref name="fields"/>, when given, sees every field in order.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> block, ref ResponseHeaders headers, FieldSink? fields = null)
    {
        int at = 0;
        while (at < block.Length)
        {
            byte b = block[at];
            if ((b & 0x80) != 0)
            {
                // Indexed header field.
                var (name, value) = Entry(ReadInteger(block, ref at, 7));
                Use(name, value, ref headers);
                fields?.Invoke(name, value);
            }
            else if ((b & 0x40) != 0)
            {
                // Literal with incremental indexing: the field joins the dynamic table.
                int index = ReadInteger(block, ref at, 6);
                byte[] name = index == 0 ? ReadString(block, ref at).ToArray() : Entry(index).Name;
                byte[] value = ReadString(block, ref at).ToArray();
                Use(name, value, ref headers);
                fields?.Invoke(name, value);
                Insert(name, value);
            }
            else if ((b & 0x20) != 0)
            {
                // Dynamic table size update.
                int size = ReadInteger(block, ref at, 5);
                if (size > MaxTableSize)
                {
                    throw new RawGrpcException(13, $"HPACK: dynamic table size update to {size}, above our {MaxTableSize}.");
                }
                _dynamicMax = size;
                Evict(0);
            }
            else
            {
                // Literal without indexing (0000) or never indexed (0001): nothing is stored.
                int index = ReadInteger(block, ref at, 4);
                ReadOnlySpan<byte> name = index == 0 ? ReadString(block, ref at) : Entry(index).Name;
                ReadOnlySpan<byte> value = ReadString(block, ref at);
                Use(name, value, ref headers);
                fields?.Invoke(name, value);
            }
        }
    }

    private static void Use(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref ResponseHeaders headers)
    {
        if (name.SequenceEqual(":status"u8))
        {
            headers.HttpStatus = ParseInt(value);
        }
        else if (name.SequenceEqual("grpc-status"u8))
        {
            headers.GrpcStatus = ParseInt(value);
        }
        else if (name.SequenceEqual("grpc-message"u8))
        {
            headers.GrpcMessage = PercentDecode(value);
        }
    }

    private static int ParseInt(ReadOnlySpan<byte> value)
    {
        int result = 0;
        foreach (byte digit in value)
        {
            if (digit is < (byte)'0' or > (byte)'9' || result > 100_000)
            {
                return 2; // not a number: UNKNOWN
            }
            result = result * 10 + (digit - '0');
        }
        return result;
    }

    /// <summary>grpc-message is percent-encoded UTF-8.</summary>
    private static string PercentDecode(ReadOnlySpan<byte> value)
    {
        var bytes = new List<byte>(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && Uri.IsHexDigit((char)value[i + 1]) && Uri.IsHexDigit((char)value[i + 2]))
            {
                bytes.Add((byte)(Uri.FromHex((char)value[i + 1]) * 16 + Uri.FromHex((char)value[i + 2])));
                i += 2;
            }
            else
            {
                bytes.Add(value[i]);
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>Entry <paramref name="index"/> of the combined table: 1 to 61 static, 62 on dynamic (newest first).</summary>
    public (byte[] Name, byte[] Value) Entry(int index)
    {
        if (index >= 1 && index <= StaticTable.Length)
        {
            return StaticTable[index - 1];
        }
        int dynamicIndex = index - StaticTable.Length - 1;
        if (dynamicIndex < 0 || dynamicIndex >= _dynamic.Count)
        {
            throw new RawGrpcException(13, $"HPACK: header index {index} is not in the table.");
        }
        return _dynamic[dynamicIndex];
    }

    private void Insert(byte[] name, byte[] value)
    {
        int size = name.Length + value.Length + 32;
        Evict(size);
        if (size <= _dynamicMax)
        {
            _dynamic.Insert(0, (name, value));
            _dynamicSize += size;
        }
        // An entry larger than the table empties it and is not stored (RFC 7541 4.4).
    }

    /// <summary>Evicts the oldest entries until <paramref name="room"/> more bytes fit under the maximum.</summary>
    private void Evict(int room)
    {
        while (_dynamic.Count > 0 && _dynamicSize + room > _dynamicMax)
        {
            var (name, value) = _dynamic[^1];
            _dynamicSize -= name.Length + value.Length + 32;
            _dynamic.RemoveAt(_dynamic.Count - 1);
        }
    }

    private static int ReadInteger(ReadOnlySpan<byte> block, ref int at, int prefixBits)
    {
        int max = (1 << prefixBits) - 1;
        int value = block[at++] & max;
        if (value < max)
        {
            return value;
        }
        for (int shift = 0; ; shift += 7)
        {
            if (at >= block.Length || shift > 21)
            {
                throw new RawGrpcException(13, "HPACK: integer truncated or too large.");
            }
            byte b = block[at++];
            value += (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> block, ref int at)
    {
        if (at >= block.Length)
        {
            throw new RawGrpcException(13, "HPACK: string literal truncated.");
        }
        bool huffman = (block[at] & 0x80) != 0;
        int length = ReadInteger(block, ref at, 7);
        if (huffman)
        {
            throw new RawGrpcException(13, "HPACK: Huffman-encoded string; this load-test client does not decode Huffman (Kestrel's encoder never uses it).");
        }
        if (length > block.Length - at)
        {
            throw new RawGrpcException(13, "HPACK: string literal truncated.");
        }
        ReadOnlySpan<byte> s = block.Slice(at, length);
        at += length;
        return s;
    }
}
