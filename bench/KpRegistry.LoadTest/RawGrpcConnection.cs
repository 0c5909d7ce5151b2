using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using static KpRegistry.LoadTest.Http2Frame;

namespace KpRegistry.LoadTest;

// A minimal HTTP/2 gRPC client for load generation, in the spirit of h2load: the load generator
// shares the machine's cores with the server it measures, and Grpc.Net.Client costs 31-38 us of
// CPU per request, taken from the server. This client speaks just enough HTTP/2 (RFC 9113) and
// HPACK (RFC 7541) for gRPC calls over TLS, and nothing else: no Huffman (the .NET HPACK encoder
// Kestrel uses never Huffman-encodes; a Huffman string fails the connection with a clear
// message), no priorities, no push, no compression, no deadlines, no cancellation of a unary call.
// Every response is still read, reassembled and handed over whole; every failure is a
// RawGrpcException with a gRPC status code.

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
    private const int MaxWindow = int.MaxValue; // 2^31-1, the largest window HTTP/2 allows
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
    private readonly Dictionary<int, RawGrpcCall> _calls = [];
    private readonly List<RawGrpcCall> _blocked = [];   // calls with DATA waiting for a send window, in order
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
    private readonly HpackDecoder _decoder = new();
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
        var call = new RawGrpcCall(null);
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

    private async Task<byte[]> UnaryWhenSlotAsync(RawGrpcCall call, RawGrpcMethod method, ReadOnlyMemory<byte> request)
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
        var call = new RawGrpcCall(Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true }));
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
    private bool StartLocked(RawGrpcCall call, RawGrpcMethod method)
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
    private void QueueMessageLocked(RawGrpcCall call, ReadOnlySpan<byte> message, bool endStream)
    {
        if (call.LocalEnded)
        {
            return; // the call is over (failed, reset, or the server already answered): nothing more to send
        }
        call.LocalEnded = endStream;
        int total = GrpcFraming.PrefixLength + message.Length;
        if (call.Pending is null && total <= _sendWindow && total <= call.SendWindow && total <= _peerMaxFrame)
        {
            Span<byte> frame = FrameLocked(total, FrameData, endStream ? FlagEndStream : (byte)0, call.Id);
            GrpcFraming.WritePrefix(frame, message.Length);
            message.CopyTo(frame[GrpcFraming.PrefixLength..]);
            _sendWindow -= total;
            call.SendWindow -= total;
            return;
        }
        // The slow path (window exhausted, or a message larger than a frame): a copy waits in the
        // call's queue and goes out, split as the windows and frame size allow, in order.
        var payload = new byte[total];
        GrpcFraming.WritePrefix(payload, message.Length);
        message.CopyTo(payload.AsSpan(GrpcFraming.PrefixLength));
        EnqueuePendingLocked(call, new PendingData(payload, endStream));
    }

    /// <summary>END_STREAM on the request side: an empty DATA frame (after any data still waiting).</summary>
    private void QueueEndLocked(RawGrpcCall call)
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

    private void EnqueuePendingLocked(RawGrpcCall call, PendingData data)
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
            RawGrpcCall call = _blocked[i];
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
        Span<byte> frame = ReserveLocked(HeaderLength + length);
        WriteHeader(frame, length, type, flags, streamId);
        return frame[HeaderLength..];
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
        var frames = new Http2FrameReader();
        try
        {
            while (true)
            {
                int read = await _ssl.ReadAsync(frames.Free);
                if (read == 0)
                {
                    throw new IOException("The server closed the connection.");
                }
                frames.Appended(read);
                _parsingThread = Environment.CurrentManagedThreadId;
                try
                {
                    ParseFrames(frames);
                }
                finally
                {
                    _parsingThread = 0;
                }
                frames.Compact();
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

    /// <summary>Handles every whole frame read; a partial one stays in <paramref name="frames"/>.</summary>
    private void ParseFrames(Http2FrameReader frames)
    {
        while (frames.TryTake(out Http2FrameHeader header, out ReadOnlySpan<byte> payload))
        {
            HandleFrame(header.Type, header.Flags, header.StreamId, payload);
        }
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
                    RawGrpcCall? call = RemoveCall(streamId, Reset.Never); // never a RST_STREAM in reply to one
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
                        else if (_calls.TryGetValue(streamId, out RawGrpcCall? call))
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
        RawGrpcCall? call;
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
        RawGrpcCall? call;
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
                        foreach (RawGrpcCall call in _calls.Values)
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
        List<RawGrpcCall> refused;
        lock (_lock)
        {
            _goAwayLastId = Math.Min(_goAwayLastId, lastId);
            refused = [.. _calls.Values.Where(c => c.Id > lastId)];
        }
        // Streams above the last id were never processed; those below it may still complete.
        foreach (RawGrpcCall call in refused)
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
    private RawGrpcCall? RemoveCall(int streamId, Reset reset)
    {
        TaskCompletionSource? wake = null;
        RawGrpcCall? call;
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
        List<RawGrpcCall> calls;
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
        foreach (RawGrpcCall call in calls)
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

    internal void Write(RawGrpcCall call, ReadOnlySpan<byte> message, bool endStream, bool flush)
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

    internal void Complete(RawGrpcCall call)
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

    internal void Cancel(RawGrpcCall call)
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
}
