using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;

namespace KpRegistry.LoadTest;

/// <summary>What one phase measured.</summary>
public sealed record PhaseResult(string Name, long Requests, long Errors, double Seconds, double[] LatenciesMs, double ServerCpuSeconds = 0)
{
    /// <summary>CPU seconds per second that other processes of the machine used during the phase.</summary>
    public double OthersCpu { get; init; }

    /// <summary>Open loop only: latency counted from when the request was actually sent (the timer may wake a caller late).</summary>
    public double[] FromSendMs { get; init; } = [];

    /// <summary>CPU seconds per second the load generator itself used during the phase.</summary>
    public double ClientCpu { get; init; }

    public double Rate => Requests / Seconds;

    /// <summary>Several measurements of the same load as one: counts and times added, latencies pooled.</summary>
    public static PhaseResult Merge(IReadOnlyList<PhaseResult> parts)
    {
        double seconds = parts.Sum(p => p.Seconds);
        double[] latencies = [.. parts.SelectMany(p => p.LatenciesMs)];
        Array.Sort(latencies);
        return new PhaseResult(parts[0].Name, parts.Sum(p => p.Requests), parts.Sum(p => p.Errors), seconds, latencies, parts.Sum(p => p.ServerCpuSeconds))
        {
            OthersCpu = parts.Sum(p => p.OthersCpu * p.Seconds) / seconds,
            ClientCpu = parts.Sum(p => p.ClientCpu * p.Seconds) / seconds,
        };
    }
    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }
        int index = (int)Math.Ceiling(p / 100.0 * LatenciesMs.Length) - 1;
        return LatenciesMs[Math.Clamp(index, 0, LatenciesMs.Length - 1)];
    }
}

/// <summary>Per-worker latency samples, merged and sorted at the end of a phase.</summary>
public sealed class Samples
{
    private readonly ConcurrentBag<List<long>> _lists = [];

    public List<long> NewList()
    {
        var list = new List<long>(1 << 16);
        _lists.Add(list);
        return list;
    }

    public double[] SortedMs()
    {
        var all = _lists.SelectMany(l => l).Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
        Array.Sort(all);
        return all;
    }
}

public static class Loads
{
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    /// <summary>
    /// The ceiling: BouncyCastle verify of the same signatures, on every core, no gRPC, no parsing,
    /// just <see cref="ISignatureVerifier.Verify"/> over the PAE bytes.
    /// </summary>
    public static PhaseResult RawVerify(SignedSet set, TimeSpan duration)
    {
        var items = set.Envelopes.Select(e => (
            Verifier: set.Verifiers[e.Signatures[0].KeyId],
            Pae: Pae.Encode(e.PayloadType, e.Payload.Span),
            Sig: e.Signatures[0].Sig.ToByteArray())).ToArray();
        int threads = Environment.ProcessorCount;
        long total = 0, bad = 0;
        var barrier = new Barrier(threads + 1);
        var stop = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            // A short warm-up so the JIT has tiered up before the clock starts.
            for (int i = 0; i < 200; i++)
            {
                var w = items[(t * 7919 + i) % items.Length];
                w.Verifier.Verify(w.Pae, w.Sig);
            }
            barrier.SignalAndWait();
            long count = 0, failed = 0;
            int at = t * (items.Length / threads);
            while (!stop.IsSet)
            {
                var item = items[at++ % items.Length];
                if (!item.Verifier.Verify(item.Pae, item.Sig))
                {
                    failed++;
                }
                count++;
            }
            Interlocked.Add(ref total, count);
            Interlocked.Add(ref bad, failed);
        }) { IsBackground = true }).ToList();
        workers.ForEach(w => w.Start());
        barrier.SignalAndWait();
        var c0 = CpuSnapshot.Take(null);
        var clock = Stopwatch.StartNew();
        Thread.Sleep(duration);
        stop.Set();
        double seconds = clock.Elapsed.TotalSeconds;
        var c1 = CpuSnapshot.Take(null);
        workers.ForEach(w => w.Join());
        return new PhaseResult($"raw {set.Algorithm} verify, {threads} threads", total, bad, seconds, []) { OthersCpu = CpuSnapshot.OthersSeconds(c0, c1) / seconds };
    }

    /// <summary>Closed loop: <paramref name="concurrency"/> callers, each sending its next request when the last answered.</summary>
    public static Task<PhaseResult> UnaryAsync(string name, GrpcChannel[] channels, IReadOnlyList<SignedEnvelope> envelopes, int concurrency, TimeSpan warmup, TimeSpan duration, ServerProcess server)
    {
        var requests = envelopes.Select(e => new VerifyCertificateRequest { Envelope = e }).ToArray();
        var clients = channels.Select(c => new Verification.VerificationClient(c)).ToArray();
        return ClosedLoopAsync(name, concurrency, warmup, duration, server, async (worker, i) =>
            (await clients[worker % clients.Length].VerifyCertificateAsync(requests[i % requests.Length])).Valid);
    }

    /// <summary>
    /// The closed loop of both clients: <paramref name="concurrency"/> callers, each making its
    /// next call (<paramref name="call"/>(caller, request number), true when the answer is VALID)
    /// when the last one answered. A failed call or an answer that is not VALID is an error.
    /// </summary>
    private static async Task<PhaseResult> ClosedLoopAsync(string name, int concurrency, TimeSpan warmup, TimeSpan duration, ServerProcess server, Func<int, long, Task<bool>> call)
    {
        var samples = new Samples();
        long next = 0, errors = 0, invalid = 0;
        bool measuring = false, stopping = false;
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            List<long> mine = samples.NewList();
            while (!Volatile.Read(ref stopping))
            {
                long i = Interlocked.Increment(ref next);
                long start = Stopwatch.GetTimestamp();
                bool record = Volatile.Read(ref measuring);
                try
                {
                    if (!await call(w, i))
                    {
                        Interlocked.Increment(ref invalid);
                    }
                }
                catch (Exception e) when (e is RpcException or RawGrpcException)
                {
                    Interlocked.Increment(ref errors);
                }
                if (record && Volatile.Read(ref measuring))
                {
                    mine.Add(Stopwatch.GetTimestamp() - start);
                }
            }
        })).ToList();
        Window window = await Window.MeasureAsync(server, warmup, duration, () => Interlocked.Read(ref errors) + Interlocked.Read(ref invalid), on => Volatile.Write(ref measuring, on));
        Volatile.Write(ref stopping, true);
        await Task.WhenAll(workers);
        return window.Result(name, samples, 0);
    }

    /// <summary>
    /// Open loop at a fixed rate: request i is due at start + i / rate, and its latency counts
    /// from when it was DUE, so a stalled server cannot hide its queue (no coordinated omission).
    /// </summary>
    public static async Task<PhaseResult> FixedRateAsync(string name, GrpcChannel[] channels, IReadOnlyList<SignedEnvelope> envelopes, double rate, int callers, TimeSpan warmup, TimeSpan duration, ServerProcess server)
    {
        var requests = envelopes.Select(e => new VerifyCertificateRequest { Envelope = e }).ToArray();
        var clients = channels.Select(c => new Verification.VerificationClient(c)).ToArray();
        var samples = new Samples();
        var fromSend = new Samples();
        long next = -1, errors = 0;
        long origin = Stopwatch.GetTimestamp();
        long measureFrom = origin + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        long end = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        double ticksPerRequest = Stopwatch.Frequency / rate;
        var workers = Enumerable.Range(0, callers).Select(w => Task.Run(async () =>
        {
            var client = clients[w % clients.Length];
            List<long> mine = samples.NewList();
            List<long> mineSent = fromSend.NewList();
            while (true)
            {
                long i = Interlocked.Increment(ref next);
                long due = origin + (long)(i * ticksPerRequest);
                if (due >= end)
                {
                    return;
                }
                long wait = due - Stopwatch.GetTimestamp();
                if (wait > Stopwatch.Frequency / 1000)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                }
                long sent = Stopwatch.GetTimestamp();
                try
                {
                    VerifyCertificateResult result = await client.VerifyCertificateAsync(requests[i % requests.Length]);
                    if (!result.Valid && due >= measureFrom)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (RpcException)
                {
                    if (due >= measureFrom)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                if (due >= measureFrom)
                {
                    long now = Stopwatch.GetTimestamp();
                    mine.Add(now - due);
                    mineSent.Add(now - sent);
                }
            }
        })).ToList();
        long waitForMeasure = measureFrom - Stopwatch.GetTimestamp();
        if (waitForMeasure > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)waitForMeasure / Stopwatch.Frequency));
        }
        TimeSpan cpu0 = server.CpuTime;
        var m0 = CpuSnapshot.Take(server);
        await Task.WhenAll(workers);
        TimeSpan cpu1 = server.CpuTime;
        var m1 = CpuSnapshot.Take(server);
        double[] latencies = samples.SortedMs();
        double seconds = (double)(Stopwatch.GetTimestamp() - measureFrom) / Stopwatch.Frequency;
        return new PhaseResult(name, latencies.Length, errors, seconds, latencies, (cpu1 - cpu0).TotalSeconds) { FromSendMs = fromSend.SortedMs(), OthersCpu = CpuSnapshot.OthersSeconds(m0, m1) / seconds, ClientCpu = (m1.SelfSeconds - m0.SelfSeconds) / seconds };
    }

    /// <summary>
    /// Bidirectional stream: <paramref name="streams"/> streams, each keeping up to
    /// <paramref name="window"/> requests in flight; every result is matched to its request by
    /// correlation id (results may come back out of order).
    /// </summary>
    public static Task<PhaseResult> StreamAsync(string name, GrpcChannel[] channels, IReadOnlyList<SignedEnvelope> envelopes, int streams, int window, TimeSpan warmup, TimeSpan duration, ServerProcess server)
    {
        var clients = channels.Select(c => new Verification.VerificationClient(c)).ToArray();
        return StreamLoopAsync(name, streams, warmup, duration, server, async (s, ledger) =>
        {
            var client = clients[s % clients.Length];
            using var slots = new SemaphoreSlim(window, window);
            using var call = client.VerifyCertificates();
            // A broken stream stops its own writer (no answer would ever free a slot again).
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(ledger.Stop);
            var reader = Task.Run(async () =>
            {
                try
                {
                    await foreach (VerifyCertificateResult result in call.ResponseStream.ReadAllAsync())
                    {
                        ledger.Answered(result);
                        slots.Release();
                    }
                }
                catch (RpcException e)
                {
                    Console.Error.WriteLine($"stream {s} ended: {e.Status}");
                    ledger.Failed();
                    await ended.CancelAsync();
                }
            });
            try
            {
                while (!ended.IsCancellationRequested)
                {
                    await slots.WaitAsync(ended.Token);
                    long id = ledger.Start();
                    // Coalesce: while the window has room for more, write without a flush; the
                    // request that fills the window flushes them all in one TLS record.
                    call.RequestStream.WriteOptions = slots.CurrentCount > 0 ? Buffered : null;
                    await call.RequestStream.WriteAsync(new VerifyCertificateRequest
                    {
                        Envelope = envelopes[(int)(id % envelopes.Count)],
                        CorrelationId = id.ToString(CultureInfo.InvariantCulture),
                    });
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (RpcException)
            {
            }
            try
            {
                await call.RequestStream.CompleteAsync();
            }
            catch (RpcException)
            {
            }
            await reader;
            return window - slots.CurrentCount;
        });
    }

    /// <summary>
    /// The stream load of both clients, as <see cref="ClosedLoopAsync"/> is their unary load:
    /// <paramref name="streams"/> streams, each run by <paramref name="run"/>(stream number, its
    /// ledger) until the ledger's <see cref="StreamLedger.Stop"/>, which returns how many of its
    /// requests were never answered (counted as errors). The ledger numbers the requests (their
    /// correlation ids), times them and checks the answers.
    /// </summary>
    private static async Task<PhaseResult> StreamLoopAsync(string name, int streams, TimeSpan warmup, TimeSpan duration, ServerProcess server, Func<int, StreamLedger, Task<long>> run)
    {
        var samples = new Samples();
        using var stop = new CancellationTokenSource();
        var load = new StreamLoad(stop.Token);
        long missing = 0;
        var workers = Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
        {
            long unanswered = await run(s, new StreamLedger(load, samples.NewList()));
            Interlocked.Add(ref missing, unanswered);
        })).ToList();
        Window measured = await Window.MeasureAsync(server, warmup, duration, () => Interlocked.Read(ref load.Errors), on => Volatile.Write(ref load.Measuring, on));
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return measured.Result(name, samples, missing);
    }

    /// <summary>What the streams of one load share: the next correlation id, the error count, whether the window is measuring, and the stop.</summary>
    private sealed class StreamLoad(CancellationToken stop)
    {
        public long Next;
        public long Errors;
        public bool Measuring;
        public CancellationToken Stop { get; } = stop;
    }

    /// <summary>
    /// One stream's requests: when each was sent and whether the window was measuring then, in a
    /// ring indexed by correlation id (far larger than any window, so no slot is reused while in flight).
    /// </summary>
    private sealed class StreamLedger(StreamLoad load, List<long> samples)
    {
        private const int Ring = 1 << 16;
        private readonly long[] _started = new long[Ring];
        private readonly bool[] _measured = new bool[Ring];

        public CancellationToken Stop => load.Stop;

        /// <summary>The next request's correlation id, timed from now.</summary>
        public long Start()
        {
            long id = Interlocked.Increment(ref load.Next);
            int slot = (int)(id % Ring);
            _started[slot] = Stopwatch.GetTimestamp();
            _measured[slot] = Volatile.Read(ref load.Measuring);
            return id;
        }

        /// <summary>Matches a result to its request: its latency is kept when the window measured both ends; a result that is not VALID is an error.</summary>
        public void Answered(VerifyCertificateResult result)
        {
            int slot = (int)(long.Parse(result.CorrelationId, CultureInfo.InvariantCulture) % Ring);
            long start = _started[slot];
            bool record = _measured[slot];
            if (!result.Valid)
            {
                Interlocked.Increment(ref load.Errors);
            }
            if (record && Volatile.Read(ref load.Measuring))
            {
                samples.Add(Stopwatch.GetTimestamp() - start);
            }
        }

        /// <summary>The stream broke.</summary>
        public void Failed() => Interlocked.Increment(ref load.Errors);
    }

    // The same loads through the raw HTTP/2 client (RawGrpcConnection), which costs the load generator a
    // fraction of Grpc.Net.Client's CPU: on this machine that CPU is taken from the server.
    // Requests are serialized once, before the load; every response is parsed and checked.

    /// <summary>Every envelope as a serialized VerifyCertificateRequest, made once before a load.</summary>
    private static byte[][] SerializedRequests(IReadOnlyList<SignedEnvelope> envelopes) =>
        [.. envelopes.Select(e => new VerifyCertificateRequest { Envelope = e }.ToByteArray())];

    /// <summary><see cref="UnaryAsync"/> through <see cref="RawGrpcConnection"/>: the same closed loop, the same measurement.</summary>
    public static Task<PhaseResult> RawUnaryAsync(string name, RawGrpcConnection[] connections, IReadOnlyList<SignedEnvelope> envelopes, int concurrency, TimeSpan warmup, TimeSpan duration, ServerProcess server)
    {
        byte[][] requests = SerializedRequests(envelopes);
        RawGrpcMethod method = server.VerificationMethod("VerifyCertificate");
        return ClosedLoopAsync(name, concurrency, warmup, duration, server, async (worker, i) =>
            VerifyCertificateResult.Parser.ParseFrom(await connections[worker % connections.Length].UnaryAsync(method, requests[i % requests.Length])).Valid);
    }

    /// <summary>
    /// <see cref="FixedRateAsync"/> through <see cref="RawGrpcConnection"/>: the same schedule
    /// (request i due at start + i / rate, latency from when it was DUE and from when it was sent),
    /// but one pacing thread issues every request when it is due (at most 50 us early) and records
    /// it when the answer comes, instead of hundreds of callers each with its own timer. Requests
    /// due within 50 us of each other leave in one write per connection.
    /// </summary>
    public static async Task<PhaseResult> RawFixedRateAsync(string name, RawGrpcConnection[] connections, IReadOnlyList<SignedEnvelope> envelopes, double rate, TimeSpan warmup, TimeSpan duration, ServerProcess server)
    {
        byte[][] requests = SerializedRequests(envelopes);
        RawGrpcMethod method = server.VerificationMethod("VerifyCertificate");
        var samples = new Samples();
        var fromSend = new Samples();
        List<long> fromDue = samples.NewList(), sentToAnswer = fromSend.NewList();
        long errors = 0, outstanding = 0;
        long origin = Stopwatch.GetTimestamp();
        long measureFrom = origin + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        long end = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        double ticksPerRequest = Stopwatch.Frequency / rate;
        long early = Stopwatch.Frequency / 20_000; // 50 us: closer than that, the request goes now

        // One request: answers complete on the connections' reader threads, so the shared sample
        // lists are locked (uncontended but for the two readers).
        async Task OneAsync(long i, long due)
        {
            long sent = Stopwatch.GetTimestamp();
            bool failed;
            try
            {
                failed = !VerifyCertificateResult.Parser.ParseFrom(await connections[i % connections.Length].UnaryAsync(method, requests[i % requests.Length], flush: false)).Valid;
            }
            catch (RawGrpcException)
            {
                failed = true;
            }
            if (due >= measureFrom)
            {
                long now = Stopwatch.GetTimestamp();
                lock (fromDue)
                {
                    fromDue.Add(now - due);
                    sentToAnswer.Add(now - sent);
                    if (failed)
                    {
                        errors++;
                    }
                }
            }
            Interlocked.Decrement(ref outstanding);
        }

        TimeSpan cpu0 = TimeSpan.Zero;
        CpuSnapshot m0 = default;
        // The pacer is a thread of its own that sleeps with microsecond precision (Task.Delay wakes
        // a millisecond or more late, which sends the requests in bursts and charges the lateness
        // to the server); each request goes out at its due time, flushed when the next is not due yet.
        var pacer = new Thread(() =>
        {
            bool started = false;
            for (long i = 0; ; i++)
            {
                long due = origin + (long)(i * ticksPerRequest);
                if (due >= end)
                {
                    break;
                }
                if (due - Stopwatch.GetTimestamp() > early)
                {
                    foreach (RawGrpcConnection connection in connections)
                    {
                        connection.Flush();
                    }
                    SleepUntil(due);
                }
                if (!started && due >= measureFrom)
                {
                    started = true;
                    cpu0 = server.CpuTime;
                    m0 = CpuSnapshot.Take(server);
                }
                Interlocked.Increment(ref outstanding);
                _ = OneAsync(i, due);
            }
            foreach (RawGrpcConnection connection in connections)
            {
                connection.Flush();
            }
        }) { IsBackground = true, Name = "open-loop pacer" };
        pacer.Start();
        await Task.Run(pacer.Join);
        while (Interlocked.Read(ref outstanding) > 0)
        {
            await Task.Delay(1);
        }
        TimeSpan cpu1 = server.CpuTime;
        var m1 = CpuSnapshot.Take(server);
        double[] latencies = samples.SortedMs();
        double seconds = (double)(Stopwatch.GetTimestamp() - measureFrom) / Stopwatch.Frequency;
        long failures;
        lock (fromDue)
        {
            failures = errors;
        }
        return new PhaseResult(name, latencies.Length, failures, seconds, latencies, (cpu1 - cpu0).TotalSeconds) { FromSendMs = fromSend.SortedMs(), OthersCpu = CpuSnapshot.OthersSeconds(m0, m1) / seconds, ClientCpu = (m1.SelfSeconds - m0.SelfSeconds) / seconds };
    }

    /// <summary>
    /// <see cref="StreamAsync"/> through <see cref="RawGrpcConnection"/>: the same streams, each
    /// with <paramref name="window"/> requests in flight, results matched by correlation id. The
    /// window is filled once (one write), then every result sends the next request from the
    /// reader (no semaphore, no thread hop; the connection writes the requests a read released
    /// together). Each request is the envelope's serialized request (made once) followed by its
    /// correlation_id field: protobuf reads concatenated messages as one.
    /// </summary>
    public static Task<PhaseResult> RawStreamAsync(string name, RawGrpcConnection[] connections, IReadOnlyList<SignedEnvelope> envelopes, int streams, int window, TimeSpan warmup, TimeSpan duration, ServerProcess server)
    {
        byte[][] requests = SerializedRequests(envelopes);
        int longest = requests.Max(r => r.Length);
        RawGrpcMethod method = server.VerificationMethod("VerifyCertificates");
        const byte CorrelationTag = VerifyCertificateRequest.CorrelationIdFieldNumber << 3 | 2; // length-delimited
        return StreamLoopAsync(name, streams, warmup, duration, server, async (s, ledger) =>
        {
            RawGrpcConnection connection = connections[s % connections.Length];
            // WriteAsync copies the bytes before it returns, so one buffer serves every request
            // (only one sender at a time: the fill below, then the reader).
            var scratch = new byte[longest + 2 + 20];
            await using RawGrpcStream call = await connection.OpenStreamAsync(method);

            ValueTask SendAsync(bool flush)
            {
                long id = ledger.Start();
                byte[] request = requests[(int)(id % requests.Length)];
                request.CopyTo(scratch, 0);
                int length = request.Length;
                scratch[length] = CorrelationTag;
                id.TryFormat(scratch.AsSpan(length + 2), out int digits, default, CultureInfo.InvariantCulture);
                scratch[length + 1] = (byte)digits;
                return call.WriteAsync(scratch.AsMemory(0, length + 2 + digits), flush);
            }

            for (int i = 0; i < window; i++)
            {
                await SendAsync(flush: i == window - 1);
            }
            int inFlight = window;
            try
            {
                while (await call.ReadAsync() is { } message)
                {
                    ledger.Answered(VerifyCertificateResult.Parser.ParseFrom(message));
                    inFlight--;
                    if (!ledger.Stop.IsCancellationRequested)
                    {
                        await SendAsync(flush: true);
                        inFlight++;
                    }
                    else if (inFlight == 0)
                    {
                        await call.CompleteAsync();
                    }
                }
            }
            catch (RawGrpcException e)
            {
                Console.Error.WriteLine($"stream {s} ended: {e.StatusCode} {e.Message}");
                ledger.Failed();
            }
            return inFlight;
        });
    }

    /// <summary>What an issuing load saw: throughput, and every certificate the server acknowledged.</summary>
    public sealed record IssueOutcome(PhaseResult Phase, List<(string Issuer, string Number)> Acknowledged, long Refused);

    /// <summary>
    /// Issuing: <paramref name="concurrency"/> callers spread over the authorities, each issuing
    /// certificates with fresh numbers. When <paramref name="killAfter"/> is given, the server is
    /// killed with SIGKILL that long after the measurement starts, under load.
    /// </summary>
    public static async Task<IssueOutcome> IssueAsync(string name, ServerProcess server, string[] issuers, string runTag, int concurrency, TimeSpan warmup, TimeSpan duration, TimeSpan? killAfter)
    {
        var channels = issuers.Select(code => (Code: code, Channel: server.Channel($"{code}-authority"))).ToArray();
        var samples = new Samples();
        var acknowledged = new ConcurrentQueue<(string, string)>();
        long next = 0, errors = 0, refused = 0, measuredCount = 0;
        bool measuring = false, stopping = false;
        DateOnly today = DateOnly.FromDateTime(DateTime.UtcNow);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var (code, channel) = channels[w % channels.Length];
            var client = new Certificates.CertificatesClient(channel);
            List<long> mine = samples.NewList();
            while (!Volatile.Read(ref stopping))
            {
                long n = Interlocked.Increment(ref next);
                Certificate certificate = DataBuilder.MakeCertificate(code, $"{code}-{runTag}-{n:D8}", "EU", today, (int)n);
                long start = Stopwatch.GetTimestamp();
                bool record = Volatile.Read(ref measuring);
                try
                {
                    await client.IssueCertificateAsync(new IssueCertificateRequest { Certificate = certificate, Algorithm = SigningAlgorithm.Ed25519 });
                    acknowledged.Enqueue((code, certificate.CertificateNumber));
                    if (record && Volatile.Read(ref measuring))
                    {
                        mine.Add(Stopwatch.GetTimestamp() - start);
                        Interlocked.Increment(ref measuredCount);
                    }
                }
                catch (RpcException e)
                {
                    if (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled && killAfter is not null)
                    {
                        // The server is gone: this call was never acknowledged.
                        Interlocked.Increment(ref refused);
                        if (Volatile.Read(ref stopping) || e.StatusCode == StatusCode.Unavailable)
                        {
                            await Task.Delay(50);
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
        })).ToList();
        await Task.Delay(warmup);
        TimeSpan cpu0 = server.CpuTime;
        var m0 = CpuSnapshot.Take(server);
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        double seconds;
        TimeSpan cpu1;
        CpuSnapshot m1;
        if (killAfter is { } kill)
        {
            await Task.Delay(kill);
            seconds = clock.Elapsed.TotalSeconds;
            cpu1 = server.CpuTime;
            m1 = CpuSnapshot.Take(server);
            Volatile.Write(ref measuring, false);
            server.KillHard();
            await Task.Delay(500);
        }
        else
        {
            await Task.Delay(duration);
            Volatile.Write(ref measuring, false);
            seconds = clock.Elapsed.TotalSeconds;
            cpu1 = server.CpuTime;
            m1 = CpuSnapshot.Take(server);
        }
        Volatile.Write(ref stopping, true);
        await Task.WhenAll(workers);
        foreach (var (_, channel) in channels)
        {
            channel.Dispose();
        }
        double[] latencies = samples.SortedMs();
        return new IssueOutcome(new PhaseResult(name, measuredCount, errors, seconds, latencies, (cpu1 - cpu0).TotalSeconds) { OthersCpu = CpuSnapshot.OthersSeconds(m0, m1) / seconds, ClientCpu = (m1.SelfSeconds - m0.SelfSeconds) / seconds }, [.. acknowledged], refused);
    }

    /// <summary>Sleeps until <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp), to within tens of microseconds on Linux.</summary>
    private static void SleepUntil(long timestamp)
    {
        long wait = timestamp - Stopwatch.GetTimestamp();
        if (wait <= 0)
        {
            return;
        }
        long microseconds = wait * 1_000_000 / Stopwatch.Frequency;
        if (OperatingSystem.IsLinux())
        {
            _ = Usleep((uint)Math.Min(microseconds, 1_000_000));
        }
        else
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(1, microseconds * 10)));
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "usleep")]
    private static extern int Usleep(uint microseconds);
}

/// <summary>
/// The measurement window the closed loads share: a warm-up, then <c>duration</c> measured, with
/// the server's CPU, the machine's CPU and the error count read at both ends.
/// </summary>
internal sealed record Window(double Seconds, TimeSpan ServerCpu, CpuSnapshot Start, CpuSnapshot End, long Errors)
{
    /// <summary>Waits out the warm-up, turns <paramref name="measuring"/> on for <paramref name="duration"/>, and reads the counters at both ends.</summary>
    public static async Task<Window> MeasureAsync(ServerProcess server, TimeSpan warmup, TimeSpan duration, Func<long> errors, Action<bool> measuring)
    {
        await Task.Delay(warmup);
        TimeSpan cpu0 = server.CpuTime;
        var m0 = CpuSnapshot.Take(server);
        long errors0 = errors();
        measuring(true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        measuring(false);
        double seconds = clock.Elapsed.TotalSeconds;
        TimeSpan cpu1 = server.CpuTime;
        var m1 = CpuSnapshot.Take(server);
        return new Window(seconds, cpu1 - cpu0, m0, m1, errors() - errors0);
    }

    /// <summary>The phase's result once its workers have stopped: <paramref name="moreErrors"/> are those counted after the window (requests never answered).</summary>
    public PhaseResult Result(string name, Samples samples, long moreErrors)
    {
        double[] latencies = samples.SortedMs();
        return new PhaseResult(name, latencies.Length, Errors + moreErrors, Seconds, latencies, ServerCpu.TotalSeconds)
        {
            OthersCpu = CpuSnapshot.OthersSeconds(Start, End) / Seconds,
            ClientCpu = (End.SelfSeconds - Start.SelfSeconds) / Seconds,
        };
    }
}
