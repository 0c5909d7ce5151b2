namespace KpRegistry.LoadTest;

/// <summary>A call that ended without its message: the gRPC status (trailers), or 14/13 for a broken stream or connection.</summary>
public sealed class RawGrpcException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
