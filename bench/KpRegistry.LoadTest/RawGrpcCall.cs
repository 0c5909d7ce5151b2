using System.Threading.Channels;

namespace KpRegistry.LoadTest;

/// <summary>
/// One call of a <see cref="RawGrpcConnection"/>, unary or streaming: its stream's flow-control
/// state, and the gRPC messages reassembled from its DATA (the 5-byte prefix of
/// <see cref="GrpcFraming"/>). It is its own TaskCompletionSource (one allocation less per unary call);
/// continuations run inline on the reader, which completes calls outside the lock.
/// </summary>
internal sealed class RawGrpcCall(Channel<byte[]>? messages) : TaskCompletionSource<byte[]>
{
    // Guarded by the connection's lock.
    public int Id;
    public long SendWindow;
    public int Received;
    public bool LocalEnded;
    public Queue<PendingData>? Pending;

    // Reader-only: the message being reassembled from DATA frames.
    private int _prefixHave;
    private int _length;
    private byte[]? _message;
    private int _messageHave;
    private byte[]? _unaryResult;
    private int _httpStatus;
    private int _grpcStatus = -1;
    private string? _grpcMessage;
    private volatile RawGrpcException? _failure;

    /// <summary>Duplex streams only: the messages received, completed at the end of the call.</summary>
    public Channel<byte[]>? Messages { get; } = messages;
    public RawGrpcException? Failure => _failure;

    /// <summary>
    /// Gathers the gRPC messages in one DATA payload: a message may span frames, a frame may
    /// hold several. False when the data breaks the protocol (the call is then failed).
    /// </summary>
    public bool OnData(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            if (_prefixHave < 5)
            {
                byte b = data[0];
                data = data[1..];
                if (_prefixHave == 0 && b != 0)
                {
                    Fail(new RawGrpcException(13, "Compressed gRPC message (not supported by this client)."));
                    return false;
                }
                if (_prefixHave > 0)
                {
                    _length = _length << 8 | b;
                }
                if (++_prefixHave < 5)
                {
                    continue;
                }
                if (_length < 0 || _length > 64 * 1024 * 1024)
                {
                    Fail(new RawGrpcException(8, $"gRPC message of {unchecked((uint)_length)} bytes."));
                    return false;
                }
                _message = new byte[_length];
                _messageHave = 0;
            }
            int n = Math.Min(data.Length, _message!.Length - _messageHave);
            data[..n].CopyTo(_message.AsSpan(_messageHave));
            data = data[n..];
            _messageHave += n;
            if (_messageHave == _message.Length)
            {
                byte[] complete = _message;
                _message = null;
                _prefixHave = 0;
                _length = 0;
                if (Messages is not null)
                {
                    Messages.Writer.TryWrite(complete);
                }
                else if (_unaryResult is null)
                {
                    _unaryResult = complete;
                }
                else
                {
                    Fail(new RawGrpcException(13, "A unary call answered with more than one message."));
                    return false;
                }
            }
        }
        return true;
    }

    public void OnHeaders(in ResponseHeaders headers)
    {
        if (headers.HttpStatus != 0)
        {
            _httpStatus = headers.HttpStatus;
        }
        if (headers.GrpcStatus >= 0)
        {
            _grpcStatus = headers.GrpcStatus;
            _grpcMessage = headers.GrpcMessage;
        }
    }

    public void Fail(RawGrpcException failure) => _failure ??= failure;

    /// <summary>The call is over: completes it with its message, or with the reason it has none.</summary>
    public void Finish()
    {
        RawGrpcException? failure = _failure;
        if (failure is null && _httpStatus is not (0 or 200))
        {
            failure = new RawGrpcException(_grpcStatus > 0 ? _grpcStatus : 13, $"HTTP status {_httpStatus}{(_grpcMessage is null ? "" : ": " + _grpcMessage)}");
        }
        else if (failure is null && _grpcStatus > 0)
        {
            failure = new RawGrpcException(_grpcStatus, _grpcMessage ?? "");
        }
        else if (failure is null && _prefixHave > 0)
        {
            failure = new RawGrpcException(13, "The call ended inside a message.");
        }
        else if (failure is null && Messages is null && _unaryResult is null)
        {
            failure = new RawGrpcException(13, $"The call ended without a message (grpc-status {_grpcStatus}).");
        }
        if (Messages is not null)
        {
            _failure = failure;
            Messages.Writer.TryComplete();
        }
        else if (failure is not null)
        {
            TrySetException(failure);
        }
        else
        {
            TrySetResult(_unaryResult!);
        }
    }
}
