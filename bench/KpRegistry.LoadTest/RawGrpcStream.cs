using System.Threading.Channels;

namespace KpRegistry.LoadTest;

/// <summary>A bidirectional streaming call on a RawGrpcConnection.</summary>
public sealed class RawGrpcStream : IAsyncDisposable
{
    private readonly RawGrpcConnection _connection;
    private readonly RawGrpcCall _call;

    internal RawGrpcStream(RawGrpcConnection connection, RawGrpcCall call)
    {
        _connection = connection;
        _call = call;
    }

    /// <summary>
    /// Queues one request message (copied before this returns); flush = false leaves it in the
    /// connection's buffer so several requests go out in one write and TLS record. Never waits:
    /// data beyond the server's windows waits in the connection until its WINDOW_UPDATE.
    /// </summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> request, bool flush)
    {
        _connection.Write(_call, request.Span, endStream: false, flush);
        return ValueTask.CompletedTask;
    }

    /// <summary>END_STREAM on the request side (flushed).</summary>
    public ValueTask CompleteAsync()
    {
        _connection.Complete(_call);
        return ValueTask.CompletedTask;
    }

    /// <summary>The next response message; null at the end of the call; RawGrpcException if the call failed.</summary>
    public async ValueTask<byte[]?> ReadAsync(CancellationToken cancellationToken = default)
    {
        ChannelReader<byte[]> reader = _call.Messages!.Reader;
        while (true)
        {
            if (reader.TryRead(out byte[]? message))
            {
                return message;
            }
            if (!await reader.WaitToReadAsync(cancellationToken))
            {
                return _call.Failure is { } failure ? throw failure : null;
            }
        }
    }

    /// <summary>Resets the stream (RST_STREAM CANCEL) if the server has not ended it yet.</summary>
    public ValueTask DisposeAsync()
    {
        _connection.Cancel(_call);
        return ValueTask.CompletedTask;
    }
}
