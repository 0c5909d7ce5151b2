namespace KpRegistry.LoadTest;

/// <summary>
/// One gRPC method on one authority, with its request header block encoded once: HPACK without
/// Huffman and without the dynamic table (indexed static entries where name and value match,
/// otherwise literals without indexing), so the same bytes are valid in every HEADERS frame.
/// </summary>
public sealed class RawGrpcMethod
{
    public RawGrpcMethod(string authority, string path)
    {
        var block = new List<byte>
        {
            0x80 | 3, // :method POST (static 3)
            0x80 | 7, // :scheme https (static 7)
        };
        Literal(block, 4, path);        // :path (static name 4)
        Literal(block, 1, authority);   // :authority (static name 1)
        Literal(block, 31, "application/grpc"); // content-type (static name 31)
        block.Add(0x00);                // te: literal without indexing, new name
        HpackEncoder.WriteString(block, "te");
        HpackEncoder.WriteString(block, "trailers");
        Path = path;
        HeaderBlock = [.. block];
    }

    public string Path { get; }
    internal byte[] HeaderBlock { get; }

    private static void Literal(List<byte> block, int nameIndex, string value)
    {
        HpackEncoder.WriteInteger(block, 0x00, 4, nameIndex); // literal without indexing, indexed name
        HpackEncoder.WriteString(block, value);
    }
}
