namespace KpRegistry.LoadTest;

/// <summary>What the client reads from a header block.</summary>
internal struct ResponseHeaders
{
    public int HttpStatus;
    public int GrpcStatus; // -1: absent
    public string? GrpcMessage;
}
