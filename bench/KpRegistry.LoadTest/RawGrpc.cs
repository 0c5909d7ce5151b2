using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;

namespace KpRegistry.LoadTest;

// A minimal HTTP/2 gRPC client for load generation, in the spirit of h2load: the load generator
// shares the machine's cores with the server it measures, and Grpc.Net.Client costs 31-38 us of
// CPU per request, taken from the server. This client speaks just enough HTTP/2 (RFC 9113) and
// HPACK (RFC 7541) for gRPC calls over TLS, and nothing else: no Huffman (the .NET HPACK encoder
// Kestrel uses never Huffman-encodes; a Huffman string fails the connection with a clear
// message), no priorities, no push, no compression, no deadlines, no cancellation of a unary call.
// Every response is still read, reassembled and handed over whole; every failure is a
// RawGrpcException with a gRPC status code.

/// <summary>A call that ended without its message: the gRPC status (trailers), or 14/13 for a broken stream or connection.</summary>
public sealed class RawGrpcException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

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
        Hpack.WriteString(block, "te");
        Hpack.WriteString(block, "trailers");
        Path = path;
        HeaderBlock = [.. block];
    }

    public string Path { get; }
    internal byte[] HeaderBlock { get; }

    private static void Literal(List<byte> block, int nameIndex, string value)
    {
        Hpack.WriteInteger(block, 0x00, 4, nameIndex); // literal without indexing, indexed name
        Hpack.WriteString(block, value);
    }
}

/// <summary>
/// One HTTP/2 connection over TLS (ALPN "h2"), for many concurrent calls. One reader task parses
/// every frame the server sends (64 KiB reads, many frames per read) and completes the calls
/// inline (no thread hop; never under the lock). Callers append their frames to one shared buffer
/// under a lock; the first caller that finds no write in progress writes everything queued, in a
/// loop, while the others only append: concurrent callers' frames leave in one write. Requests
/// made on the reader's thread while it completes calls (a caller's next request, in a closed
/// loop) are not flushed one by one: the reader writes them all once the frames of its read are
/// handled, so a read of many answers costs one write of as many requests, as in h2load.
/// </summary>
public sealed class RawGrpcConnection : IAsyncDisposable
{
    private const int FrameData = 0x0, FrameHeaders = 0x1, FrameRstStream = 0x3, FrameSettings = 0x4, FramePushPromise = 0x5,
        FramePing = 0x6, FrameGoAway = 0x7, FrameWindowUpdate = 0x8, FrameContinuation = 0x9;
    private const byte FlagEndStream = 0x1, FlagAck = 0x1, FlagEndHeaders = 0x4, FlagPadded = 0x8, FlagPriority = 0x20;
    private const int MaxWindow = int.MaxValue; // 2^31-1, the largest window HTTP/2 allows
    private const int OurMaxFrame = 16384;       // we never raise SETTINGS_MAX_FRAME_SIZE, so no frame we read is larger
    private const int WindowUpdateThreshold = 1 << 20; // give back received bytes every MiB

    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private readonly SslStream _ssl;
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _settingsReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Everything below is guarded by _lock.
    private byte[] _out = new byte[64 * 1024];
    private int _outLength;
    private byte[] _spare = new byte[64 * 1024]; // the buffer being written while callers fill _out
    private bool _flushing;
    private readonly Dictionary<int, Call> _calls = [];
    private readonly List<Call> _blocked = [];   // calls with DATA waiting for a send window, in order
    private readonly Queue<TaskCompletionSource> _slotWaiters = new();
    private int _nextStreamId = 1;
    private int _active;                         // streams we opened that the server has not closed
    private int _maxStreams = int.MaxValue;      // the server's SETTINGS_MAX_CONCURRENT_STREAMS
    private int _peerInitialWindow = 65535;      // the server's SETTINGS_INITIAL_WINDOW_SIZE
    private int _peerMaxFrame = 16384;           // the server's SETTINGS_MAX_FRAME_SIZE
    private long _sendWindow = 65535;            // the connection's send window
    private long _received;                      // connection-level bytes received since our last WINDOW_UPDATE
    private int _goAwayLastId = int.MaxValue;
    private RawGrpcException? _failure;          // set once: the connection is unusable

    // Reader-only state.
    private readonly Hpack _decoder = new();
    private byte[] _headerBlock = new byte[4096];
    private int _headerBlockLength, _headerStream;
    private bool _headerEndStream;
    private Task _reader = Task.CompletedTask;
    private volatile int _parsingThread;         // the reader's thread while it handles frames, else 0

    private RawGrpcConnection(SslStream ssl) => _ssl = ssl;

    /// <summary>TCP + TLS (ALPN h2, the server's certificate must chain to <paramref name="trustedCa"/>), preface, SETTINGS exchanged.</summary>
    public static async Task<RawGrpcConnection> ConnectAsync(Uri address, X509Certificate2 trustedCa, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? ssl = null;
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, cancellationToken);
            ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = address.Host,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                // As ServerProcess.Channel: the dev CA only, no revocation check.
                RemoteCertificateValidationCallback = ServerProcess.TrustOnly(trustedCa),
            }, cancellationToken);
            if (ssl.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
            {
                throw new InvalidOperationException($"The server did not agree to HTTP/2 (ALPN: '{ssl.NegotiatedApplicationProtocol}').");
            }
        }
        catch
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync();
            }
            socket.Dispose();
            throw;
        }
        var connection = new RawGrpcConnection(ssl);
        lock (connection._lock)
        {
            // The preface, our SETTINGS (no push; stream windows as large as allowed), and the
            // connection window raised from 65,535 to the maximum.
            Preface.CopyTo(connection.ReserveLocked(Preface.Length));
            Span<byte> settings = connection.FrameLocked(12, FrameSettings, 0, 0);
            WriteSetting(settings, 0x2, 0);          // SETTINGS_ENABLE_PUSH
            WriteSetting(settings[6..], 0x4, MaxWindow); // SETTINGS_INITIAL_WINDOW_SIZE
            connection.WindowUpdateLocked(0, MaxWindow - 65535);
            connection._flushing = true;
        }
        connection._reader = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
        await connection.FlushLoopAsync();
        // Calls wait for the server's SETTINGS, so its stream limit and windows are known.
        await connection._settingsReceived.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        return connection;
    }

    private static void WriteSetting(Span<byte> to, ushort id, int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(to, id);
        BinaryPrimitives.WriteInt32BigEndian(to[2..], value);
    }

    /// <summary>
    /// Unary call: <paramref name="request"/> is the serialized message (no gRPC prefix); returns
    /// the response message (no prefix). Throws RawGrpcException when the call ends without a
    /// message or with a non-zero grpc-status, or when the stream or connection breaks.
    /// <paramref name="flush"/> = false leaves the request queued for a later <see cref="Flush"/>
    /// (or any other caller's write), so a burst of calls leaves in one write.
    /// </summary>
    public Task<byte[]> UnaryAsync(RawGrpcMethod method, ReadOnlyMemory<byte> request, bool flush = true)
    {
        var call = new Call(null);
        bool started;
        lock (_lock)
        {
            if (_failure is null && _active >= _maxStreams)
            {
                return UnaryWhenSlotAsync(call, method, request);
            }
            started = StartLocked(call, method);
            QueueMessageLocked(call, request.Span, endStream: true);
            flush = flush && BeginFlushHereLocked();
        }
        if (!started)
        {
            call.Finish();
        }
        if (flush)
        {
            _ = FlushLoopAsync();
        }
        return call.Task;
    }

    private async Task<byte[]> UnaryWhenSlotAsync(Call call, RawGrpcMethod method, ReadOnlyMemory<byte> request)
    {
        await WaitForSlotAsync();
        bool started, flush;
        lock (_lock)
        {
            started = StartLocked(call, method);
            QueueMessageLocked(call, request.Span, endStream: true);
            flush = BeginFlushHereLocked();
        }
        if (!started)
        {
            call.Finish();
        }
        if (flush)
        {
            _ = FlushLoopAsync();
        }
        return await call.Task;
    }

    /// <summary>Opens a bidirectional streaming call (waits while the server's stream limit is reached).</summary>
    public async ValueTask<RawGrpcStream> OpenStreamAsync(RawGrpcMethod method)
    {
        var call = new Call(Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true }));
        while (true)
        {
            bool started, flush;
            lock (_lock)
            {
                if (_failure is null && _active >= _maxStreams)
                {
                    started = flush = false;
                }
                else
                {
                    started = StartLocked(call, method);
                    flush = BeginFlushHereLocked();
                }
            }
            if (!started && !call.LocalEnded)
            {
                await WaitForSlotAsync();
                continue;
            }
            if (!started)
            {
                call.Finish(); // the stream reads as failed
            }
            if (flush)
            {
                _ = FlushLoopAsync();
            }
            return new RawGrpcStream(this, call);
        }
    }

    /// <summary>Waits until a stream may be opened (or the connection failed, which StartLocked reports).</summary>
    private async Task WaitForSlotAsync()
    {
        while (true)
        {
            TaskCompletionSource waiter;
            lock (_lock)
            {
                if (_failure is not null || _active < _maxStreams)
                {
                    return;
                }
                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _slotWaiters.Enqueue(waiter);
            }
            await waiter.Task;
        }
    }

    /// <summary>
    /// Assigns the next stream id and queues HEADERS. False when the connection cannot take the
    /// call: it is then failed, and the caller must Finish it once out of the lock.
    /// </summary>
    private bool StartLocked(Call call, RawGrpcMethod method)
    {
        if (_failure is not null || _nextStreamId > _goAwayLastId || _nextStreamId < 0)
        {
            call.Fail(_failure ?? new RawGrpcException(14, "The connection is going away (GOAWAY) or out of stream ids."));
            call.LocalEnded = true;
            return false;
        }
        call.Id = _nextStreamId;
        _nextStreamId += 2;
        call.SendWindow = _peerInitialWindow;
        _calls.Add(call.Id, call);
        _active++;
        // The block is a few dozen bytes: one HEADERS frame, never CONTINUATION.
        method.HeaderBlock.CopyTo(FrameLocked(method.HeaderBlock.Length, FrameHeaders, FlagEndHeaders, call.Id));
        return true;
    }

    /// <summary>Queues one gRPC message (5-byte prefix + bytes) as DATA of a call; writes it now when the windows allow, else it waits for WINDOW_UPDATE.</summary>
    private void QueueMessageLocked(Call call, ReadOnlySpan<byte> message, bool endStream)
    {
        if (call.LocalEnded)
        {
            return; // the call is over (failed, reset, or the server already answered): nothing more to send
        }
        call.LocalEnded = endStream;
        int total = 5 + message.Length;
        if (call.Pending is null && total <= _sendWindow && total <= call.SendWindow && total <= _peerMaxFrame)
        {
            Span<byte> frame = FrameLocked(total, FrameData, endStream ? FlagEndStream : (byte)0, call.Id);
            frame[0] = 0; // not compressed
            BinaryPrimitives.WriteInt32BigEndian(frame[1..], message.Length);
            message.CopyTo(frame[5..]);
            _sendWindow -= total;
            call.SendWindow -= total;
            return;
        }
        // The slow path (window exhausted, or a message larger than a frame): a copy waits in the
        // call's queue and goes out, split as the windows and frame size allow, in order.
        var payload = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(1), message.Length);
        message.CopyTo(payload.AsSpan(5));
        EnqueuePendingLocked(call, new PendingData(payload, endStream));
    }

    /// <summary>END_STREAM on the request side: an empty DATA frame (after any data still waiting).</summary>
    private void QueueEndLocked(Call call)
    {
        if (call.LocalEnded)
        {
            return;
        }
        call.LocalEnded = true;
        if (call.Pending is null)
        {
            FrameLocked(0, FrameData, FlagEndStream, call.Id);
            return;
        }
        EnqueuePendingLocked(call, new PendingData([], true));
    }

    private void EnqueuePendingLocked(Call call, PendingData data)
    {
        if (call.Pending is null)
        {
            call.Pending = new Queue<PendingData>();
            _blocked.Add(call);
        }
        call.Pending.Enqueue(data);
        DrainBlockedLocked();
    }

    /// <summary>Sends what the windows now allow of the waiting DATA, call by call, each call's data in order.</summary>
    private void DrainBlockedLocked()
    {
        for (int i = 0; i < _blocked.Count; i++)
        {
            Call call = _blocked[i];
            Queue<PendingData> pending = call.Pending!;
            while (pending.Count > 0)
            {
                PendingData item = pending.Peek();
                int remaining = item.Bytes.Length - item.Offset;
                int n = (int)Math.Min(Math.Min(remaining, _peerMaxFrame), Math.Max(0, Math.Min(_sendWindow, call.SendWindow)));
                if (n == 0 && remaining > 0)
                {
                    break; // this call waits for a WINDOW_UPDATE
                }
                bool last = n == remaining;
                item.Bytes.AsSpan(item.Offset, n).CopyTo(FrameLocked(n, FrameData, last && item.EndStream ? FlagEndStream : (byte)0, call.Id));
                _sendWindow -= n;
                call.SendWindow -= n;
                item.Offset += n;
                if (last)
                {
                    pending.Dequeue();
                }
            }
            if (pending.Count == 0)
            {
                call.Pending = null;
                _blocked.RemoveAt(i--);
            }
        }
    }

    /// <summary>Appends a frame header and returns the payload space to fill.</summary>
    private Span<byte> FrameLocked(int length, int type, byte flags, int streamId)
    {
        Span<byte> frame = ReserveLocked(9 + length);
        frame[0] = unchecked((byte)(length >> 16));
        frame[1] = unchecked((byte)(length >> 8));
        frame[2] = unchecked((byte)length);
        frame[3] = (byte)type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame[5..], streamId);
        return frame[9..];
    }

    private Span<byte> ReserveLocked(int length)
    {
        if (_outLength + length > _out.Length)
        {
            Array.Resize(ref _out, Math.Max(_out.Length * 2, _outLength + length));
        }
        Span<byte> span = _out.AsSpan(_outLength, length);
        _outLength += length;
        return span;
    }

    private void WindowUpdateLocked(int streamId, int increment) =>
        BinaryPrimitives.WriteInt32BigEndian(FrameLocked(4, FrameWindowUpdate, 0, streamId), increment);

    private void RstStreamLocked(int streamId, int errorCode) =>
        BinaryPrimitives.WriteInt32BigEndian(FrameLocked(4, FrameRstStream, 0, streamId), errorCode);

    /// <summary>True when the caller must run FlushLoopAsync: something is queued and nobody is writing.</summary>
    private bool BeginFlushLocked()
    {
        if (_flushing || _outLength == 0)
        {
            return false;
        }
        _flushing = true;
        return true;
    }

    /// <summary>
    /// BeginFlushLocked, except on the reader's thread while it handles frames: the reader
    /// writes everything queued once it has handled them all.
    /// </summary>
    private bool BeginFlushHereLocked() => _parsingThread != Environment.CurrentManagedThreadId && BeginFlushLocked();

    /// <summary>Writes whatever requests are queued (those made with flush = false).</summary>
    public void Flush()
    {
        bool start;
        lock (_lock)
        {
            start = BeginFlushHereLocked();
        }
        if (start)
        {
            _ = FlushLoopAsync();
        }
    }

    /// <summary>The single writer: writes everything queued, again and again, until nothing is left. Never throws (a failed write fails the connection).</summary>
    private async Task FlushLoopAsync()
    {
        try
        {
            while (true)
            {
                byte[] buffer;
                int length;
                lock (_lock)
                {
                    if (_outLength == 0 || _failure is not null)
                    {
                        _flushing = false;
                        return;
                    }
                    buffer = _out;
                    length = _outLength;
                    _out = _spare;
                    _outLength = 0;
                }
                await _ssl.WriteAsync(buffer.AsMemory(0, length));
                lock (_lock)
                {
                    _spare = buffer;
                }
            }
        }
        catch (Exception e)
        {
            lock (_lock)
            {
                _flushing = false;
            }
            Fail(new RawGrpcException(14, $"HTTP/2 connection write failed: {e.Message}"));
        }
    }

    /// <summary>The single reader: reads as much as the socket has, parses every whole frame in it.</summary>
    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                int read = await _ssl.ReadAsync(buffer.AsMemory(end));
                if (read == 0)
                {
                    throw new IOException("The server closed the connection.");
                }
                end += read;
                _parsingThread = Environment.CurrentManagedThreadId;
                try
                {
                    start = ParseFrames(buffer, start, end);
                }
                finally
                {
                    _parsingThread = 0;
                }
                if (start == end)
                {
                    start = end = 0;
                }
                else if (buffer.Length - end < 9 + OurMaxFrame)
                {
                    // Keep the partial frame, moved to the front: a whole frame always fits behind it.
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                // Answers the frames just handled asked for (SETTINGS/PING ACK, WINDOW_UPDATE,
                // RST_STREAM), and the requests the completed calls' continuations made.
                bool flush;
                lock (_lock)
                {
                    flush = BeginFlushLocked();
                }
                if (flush)
                {
                    _ = FlushLoopAsync();
                }
            }
        }
        catch (Exception e)
        {
            Fail(e as RawGrpcException ?? new RawGrpcException(14, $"HTTP/2 connection failed: {e.Message}"));
        }
    }

    /// <summary>Handles every whole frame in buffer[start..end]; returns where the first incomplete one starts.</summary>
    private int ParseFrames(byte[] buffer, int start, int end)
    {
        while (end - start >= 9)
        {
            int length = buffer[start] << 16 | buffer[start + 1] << 8 | buffer[start + 2];
            if (length > OurMaxFrame)
            {
                throw new RawGrpcException(13, $"HTTP/2 frame of {length} bytes, larger than our SETTINGS_MAX_FRAME_SIZE.");
            }
            if (end - start < 9 + length)
            {
                break;
            }
            int type = buffer[start + 3];
            byte flags = buffer[start + 4];
            int streamId = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(start + 5)) & int.MaxValue;
            HandleFrame(type, flags, streamId, buffer.AsSpan(start + 9, length));
            start += 9 + length;
        }
        return start;
    }

    private void HandleFrame(int type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        if (_headerStream != 0 && type != FrameContinuation)
        {
            throw new RawGrpcException(13, "HTTP/2 protocol error: a header block was interrupted by another frame.");
        }
        switch (type)
        {
            case FrameData:
                OnData(flags, streamId, payload);
                break;
            case FrameHeaders:
                {
                    ReadOnlySpan<byte> block = Unpad(flags, payload);
                    if ((flags & FlagPriority) != 0)
                    {
                        block = block[5..];
                    }
                    _headerStream = streamId;
                    _headerEndStream = (flags & FlagEndStream) != 0;
                    _headerBlockLength = 0;
                    AppendHeaderBlock(block, (flags & FlagEndHeaders) != 0);
                    break;
                }
            case FrameContinuation:
                if (streamId != _headerStream || streamId == 0)
                {
                    throw new RawGrpcException(13, "HTTP/2 protocol error: CONTINUATION without its HEADERS.");
                }
                AppendHeaderBlock(payload, (flags & FlagEndHeaders) != 0);
                break;
            case FrameRstStream:
                {
                    int code = BinaryPrimitives.ReadInt32BigEndian(payload);
                    Call? call = RemoveCall(streamId, Reset.Never); // never a RST_STREAM in reply to one
                    // REFUSED_STREAM (7): never processed, may be retried: UNAVAILABLE; CANCEL (8): CANCELLED; others INTERNAL.
                    call?.Fail(new RawGrpcException(code switch { 7 => 14, 8 => 1, _ => 13 }, $"The server reset the stream (RST_STREAM error {code})."));
                    call?.Finish();
                    break;
                }
            case FrameSettings:
                if ((flags & FlagAck) == 0)
                {
                    OnSettings(payload);
                }
                break;
            case FramePing:
                if ((flags & FlagAck) == 0)
                {
                    lock (_lock)
                    {
                        payload[..8].CopyTo(FrameLocked(8, FramePing, FlagAck, 0));
                    }
                }
                break;
            case FrameGoAway:
                OnGoAway(payload);
                break;
            case FrameWindowUpdate:
                {
                    int increment = BinaryPrimitives.ReadInt32BigEndian(payload) & int.MaxValue;
                    lock (_lock)
                    {
                        if (streamId == 0)
                        {
                            _sendWindow += increment;
                        }
                        else if (_calls.TryGetValue(streamId, out Call? call))
                        {
                            call.SendWindow += increment;
                        }
                        DrainBlockedLocked();
                    }
                    break;
                }
            case FramePushPromise:
                throw new RawGrpcException(13, "HTTP/2 protocol error: PUSH_PROMISE although SETTINGS_ENABLE_PUSH is 0.");
            default:
                break; // PRIORITY and unknown frame types are ignored, as RFC 9113 says
        }
    }

    private static ReadOnlySpan<byte> Unpad(byte flags, ReadOnlySpan<byte> payload)
    {
        if ((flags & FlagPadded) == 0)
        {
            return payload;
        }
        int pad = payload[0];
        if (pad >= payload.Length)
        {
            throw new RawGrpcException(13, "HTTP/2 protocol error: padding longer than the frame.");
        }
        return payload[1..^pad];
    }

    private void OnData(byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        Call? call;
        lock (_lock)
        {
            // Flow control counts the whole payload, padding included, whoever it was for; the
            // windows are given back every MiB so they never come near empty.
            _received += payload.Length;
            if (_received >= WindowUpdateThreshold)
            {
                WindowUpdateLocked(0, (int)_received);
                _received = 0;
            }
            if (_calls.TryGetValue(streamId, out call) && (flags & FlagEndStream) == 0)
            {
                call.Received += payload.Length;
                if (call.Received >= WindowUpdateThreshold)
                {
                    WindowUpdateLocked(streamId, call.Received);
                    call.Received = 0;
                }
            }
        }
        if (call is null)
        {
            return; // a stream we already closed or reset
        }
        if (!call.OnData(Unpad(flags, payload)))
        {
            RemoveCall(streamId, Reset.Always);
            call.Finish();
            return;
        }
        if ((flags & FlagEndStream) != 0)
        {
            // END_STREAM on DATA: the server ended without trailers.
            RemoveCall(streamId, Reset.IfOpen);
            call.Finish();
        }
    }

    private void AppendHeaderBlock(ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        if (_headerBlockLength + fragment.Length > _headerBlock.Length)
        {
            Array.Resize(ref _headerBlock, Math.Max(_headerBlock.Length * 2, _headerBlockLength + fragment.Length));
        }
        fragment.CopyTo(_headerBlock.AsSpan(_headerBlockLength));
        _headerBlockLength += fragment.Length;
        if (!endHeaders)
        {
            return;
        }
        int streamId = _headerStream;
        _headerStream = 0;
        // Every block is decoded, wanted or not: the dynamic table must follow the server's encoder.
        var headers = new ResponseHeaders { GrpcStatus = -1 };
        _decoder.Decode(_headerBlock.AsSpan(0, _headerBlockLength), ref headers);
        Call? call;
        lock (_lock)
        {
            _calls.TryGetValue(streamId, out call);
        }
        if (call is null)
        {
            return;
        }
        call.OnHeaders(headers);
        if (_headerEndStream)
        {
            RemoveCall(streamId, Reset.IfOpen);
            call.Finish();
        }
    }

    private void OnSettings(ReadOnlySpan<byte> payload)
    {
        TaskCompletionSource[] wake = [];
        lock (_lock)
        {
            for (int i = 0; i + 6 <= payload.Length; i += 6)
            {
                int id = BinaryPrimitives.ReadUInt16BigEndian(payload[i..]);
                int value = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(payload[(i + 2)..]), int.MaxValue);
                switch (id)
                {
                    case 0x3: // SETTINGS_MAX_CONCURRENT_STREAMS
                        _maxStreams = value;
                        break;
                    case 0x4: // SETTINGS_INITIAL_WINDOW_SIZE: applies to the open streams too, by the difference
                        foreach (Call call in _calls.Values)
                        {
                            call.SendWindow += value - _peerInitialWindow;
                        }
                        _peerInitialWindow = value;
                        break;
                    case 0x5: // SETTINGS_MAX_FRAME_SIZE
                        _peerMaxFrame = value;
                        break;
                    default:
                        break; // HEADER_TABLE_SIZE concerns an encoder's dynamic table, ours uses none
                }
            }
            FrameLocked(0, FrameSettings, FlagAck, 0);
            DrainBlockedLocked();
            if (_active < _maxStreams && _slotWaiters.Count > 0)
            {
                wake = [.. _slotWaiters];
                _slotWaiters.Clear();
            }
        }
        foreach (TaskCompletionSource waiter in wake)
        {
            waiter.TrySetResult();
        }
        _settingsReceived.TrySetResult();
    }

    private void OnGoAway(ReadOnlySpan<byte> payload)
    {
        int lastId = BinaryPrimitives.ReadInt32BigEndian(payload) & int.MaxValue;
        int code = BinaryPrimitives.ReadInt32BigEndian(payload[4..]);
        string debug = Encoding.UTF8.GetString(payload[8..]);
        List<Call> refused;
        lock (_lock)
        {
            _goAwayLastId = Math.Min(_goAwayLastId, lastId);
            refused = [.. _calls.Values.Where(c => c.Id > lastId)];
        }
        // Streams above the last id were never processed; those below it may still complete.
        foreach (Call call in refused)
        {
            RemoveCall(call.Id, Reset.Never);
            call.Fail(new RawGrpcException(14, $"The server is going away (GOAWAY error {code}{(debug.Length > 0 ? ", " + debug : "")}); stream {call.Id} was not processed."));
            call.Finish();
        }
    }

    /// <summary>When RemoveCall sends RST_STREAM (CANCEL).</summary>
    private enum Reset
    {
        /// <summary>The server reset the stream or refused it: nothing to send.</summary>
        Never,
        /// <summary>The server ended its side: reset ours if it is still open (the call is over).</summary>
        IfOpen,
        /// <summary>The client gives up on the call.</summary>
        Always,
    }

    /// <summary>
    /// The stream is over: forget it and free its slot for the next caller; any data still
    /// waiting for a window is dropped. Null when the stream was already gone.
    /// </summary>
    private Call? RemoveCall(int streamId, Reset reset)
    {
        TaskCompletionSource? wake = null;
        Call? call;
        lock (_lock)
        {
            if (!_calls.Remove(streamId, out call))
            {
                return null;
            }
            _active--;
            if (call.Pending is not null)
            {
                call.Pending = null;
                _blocked.Remove(call);
            }
            if (reset == Reset.Always || (reset == Reset.IfOpen && !call.LocalEnded))
            {
                call.LocalEnded = true;
                RstStreamLocked(streamId, 0x8); // CANCEL
            }
            if (_slotWaiters.Count > 0 && _active < _maxStreams)
            {
                wake = _slotWaiters.Dequeue();
            }
        }
        wake?.TrySetResult();
        return call;
    }

    /// <summary>Fails every call, present and future, and closes the connection.</summary>
    private void Fail(RawGrpcException failure)
    {
        List<Call> calls;
        TaskCompletionSource[] waiters;
        lock (_lock)
        {
            if (_failure is not null)
            {
                return;
            }
            _failure = failure;
            calls = [.. _calls.Values];
            _calls.Clear();
            _blocked.Clear();
            _active = 0;
            waiters = [.. _slotWaiters];
            _slotWaiters.Clear();
        }
        foreach (Call call in calls)
        {
            call.Fail(failure);
            call.Finish();
        }
        foreach (TaskCompletionSource waiter in waiters)
        {
            waiter.TrySetResult();
        }
        _settingsReceived.TrySetException(failure);
        _ssl.Dispose(); // wakes the reader if the writer failed
    }

    internal void Write(Call call, ReadOnlySpan<byte> message, bool endStream, bool flush)
    {
        bool start;
        lock (_lock)
        {
            QueueMessageLocked(call, message, endStream);
            start = flush && BeginFlushHereLocked();
        }
        if (start)
        {
            _ = FlushLoopAsync();
        }
    }

    internal void Complete(Call call)
    {
        bool start;
        lock (_lock)
        {
            QueueEndLocked(call);
            start = BeginFlushHereLocked();
        }
        if (start)
        {
            _ = FlushLoopAsync();
        }
    }

    internal void Cancel(Call call)
    {
        if (RemoveCall(call.Id, Reset.Always) is null)
        {
            return;
        }
        call.Fail(new RawGrpcException(1, "Cancelled by the client."));
        call.Finish();
        bool start;
        lock (_lock)
        {
            start = BeginFlushHereLocked();
        }
        if (start)
        {
            _ = FlushLoopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new RawGrpcException(14, "The connection was disposed."));
        try
        {
            await _reader;
        }
        catch (Exception)
        {
        }
    }

    internal sealed class PendingData(byte[] bytes, bool endStream)
    {
        public byte[] Bytes { get; } = bytes;
        public bool EndStream { get; } = endStream;
        public int Offset { get; set; }
    }

    /// <summary>
    /// One call. It is its own TaskCompletionSource (one allocation less per unary call);
    /// continuations run inline on the reader, which completes calls outside the lock.
    /// </summary>
    internal sealed class Call(Channel<byte[]>? messages) : TaskCompletionSource<byte[]>
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
}

/// <summary>A bidirectional streaming call on a RawGrpcConnection.</summary>
public sealed class RawGrpcStream : IAsyncDisposable
{
    private readonly RawGrpcConnection _connection;
    private readonly RawGrpcConnection.Call _call;

    internal RawGrpcStream(RawGrpcConnection connection, RawGrpcConnection.Call call)
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

/// <summary>What the client reads from a header block.</summary>
internal struct ResponseHeaders
{
    public int HttpStatus;
    public int GrpcStatus; // -1: absent
    public string? GrpcMessage;
}

/// <summary>
/// HPACK (RFC 7541) for this client: integer and string literals for the request block, and a
/// decoder with the static table and the dynamic table (with size updates), so every response
/// block, indexed or not, decodes as the server's encoder meant it. No Huffman: .NET's HPACK
/// encoder (Kestrel's) never uses it, so a Huffman string is reported, not guessed at.
/// </summary>
internal sealed class Hpack
{
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

    public static void WriteInteger(List<byte> to, byte firstByteBits, int prefixBits, int value)
    {
        int max = (1 << prefixBits) - 1;
        if (value < max)
        {
            to.Add((byte)(firstByteBits | value));
            return;
        }
        to.Add((byte)(firstByteBits | max));
        value -= max;
        while (value >= 128)
        {
            to.Add((byte)(value % 128 + 128));
            value /= 128;
        }
        to.Add((byte)value);
    }

    /// <summary>A string literal without Huffman (H = 0).</summary>
    public static void WriteString(List<byte> to, string value)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(value);
        WriteInteger(to, 0x00, 7, bytes.Length);
        to.AddRange(bytes);
    }

    /// <summary>Decodes one whole header block, keeping :status, grpc-status and grpc-message.</summary>
    public void Decode(ReadOnlySpan<byte> block, ref ResponseHeaders headers)
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
            }
            else if ((b & 0x40) != 0)
            {
                // Literal with incremental indexing: the field joins the dynamic table.
                int index = ReadInteger(block, ref at, 6);
                byte[] name = index == 0 ? ReadString(block, ref at).ToArray() : Entry(index).Name;
                byte[] value = ReadString(block, ref at).ToArray();
                Use(name, value, ref headers);
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

    private (byte[] Name, byte[] Value) Entry(int index)
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
