using System.Threading.Channels;
using Grpc.Core;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Verification;
using KpRegistry.Server.Application;

namespace KpRegistry.Server.Grpc;

/// <summary>
/// kp.verification.v1.Verification: public, no client certificate. Each check reads only the
/// in-memory registry view: no database round trip on this path.
/// </summary>
public sealed class VerificationGrpcService(RegistryViewCache cache, SignedLists lists, RevocationFeed feed, CertificateRulesOptions rules, TimeProvider time) : Verification.VerificationBase
{
    public const int MaxCorrelationIdLength = 128;

    /// <summary>How many checks of one stream run at once: one per core, so a single stream can use the whole machine.</summary>
    private static readonly int Parallelism = Environment.ProcessorCount;

    /// <summary>How many results of one stream may wait to be written before reading pauses: the stream's back-pressure.</summary>
    private const int MaxUnwrittenResults = 256;

    /// <summary>The most results written between two flushes.</summary>
    private const int MaxUnflushedResults = 32;

    /// <summary>Results written without a flush while more are waiting; the last one waiting flushes them all.</summary>
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    public override Task<VerifyCertificateResult> VerifyCertificate(VerifyCertificateRequest request, ServerCallContext context)
    {
        if (request.Envelope is null)
        {
            throw RegistryException.Invalid("envelope", "is required: the signed certificate to check.");
        }
        ValidateShape(request);
        return Task.FromResult(Check(request));
    }

    /// <summary>
    /// Each request is checked as soon as it is read, up to one check per core at a time, so one
    /// stream uses every core; results go out as they are ready (possibly out of order: each
    /// carries its request's correlation id), flushed together when several are waiting.
    /// </summary>
    public override async Task VerifyCertificates(IAsyncStreamReader<VerifyCertificateRequest> requestStream, IServerStreamWriter<VerifyCertificateResult> responseStream, ServerCallContext context)
    {
        // Multi-reader form: it can count what is waiting, which decides when to flush.
        var results = Channel.CreateUnbounded<VerifyCertificateResult>();
        using var slots = new SemaphoreSlim(Parallelism, Parallelism);
        using var unwritten = new SemaphoreSlim(MaxUnwrittenResults, MaxUnwrittenResults);
        Task writer = WriteResultsAsync(results.Reader, responseStream, unwritten, context.CancellationToken);
        try
        {
            await foreach (VerifyCertificateRequest request in requestStream.ReadAllAsync(context.CancellationToken))
            {
                await unwritten.WaitAsync(context.CancellationToken);
                await slots.WaitAsync(context.CancellationToken);
                ThreadPool.UnsafeQueueUserWorkItem(
                    static item =>
                    {
                        try
                        {
                            item.Results.TryWrite(item.Service.CheckInStream(item.Request));
                        }
                        finally
                        {
                            item.Slots.Release();
                        }
                    },
                    new StreamItem(this, request, results.Writer, slots), preferLocal: false);
            }
        }
        finally
        {
            // Every check still running holds a slot: taking them all waits for the last one.
            for (int i = 0; i < Parallelism; i++)
            {
                await slots.WaitAsync(CancellationToken.None);
            }
            results.Writer.TryComplete();
        }
        await writer;
    }

    private static async Task WriteResultsAsync(ChannelReader<VerifyCertificateResult> results, IServerStreamWriter<VerifyCertificateResult> responseStream, SemaphoreSlim unwritten, CancellationToken cancellationToken)
    {
        int unflushed = 0;
        while (await results.WaitToReadAsync(cancellationToken))
        {
            while (results.TryRead(out VerifyCertificateResult? result))
            {
                // Buffer while more results are waiting; the last one of a run flushes, and so
                // does every MaxUnflushedResults-th, so a busy stream still answers steadily.
                bool buffer = results.Count > 0 && ++unflushed < MaxUnflushedResults;
                unflushed = buffer ? unflushed : 0;
                responseStream.WriteOptions = buffer ? Buffered : null;
                await responseStream.WriteAsync(result, cancellationToken);
                unwritten.Release();
            }
        }
    }

    public override Task<SignedEnvelope> GetTrustList(GetTrustListRequest request, ServerCallContext context) =>
        lists.GetTrustListAsync(context.CancellationToken);

    public override async Task<SignedEnvelope> GetRevocationList(GetRevocationListRequest request, ServerCallContext context) =>
        (await lists.GetRevocationListAsync(SinceVersion(request.SinceVersion), context.CancellationToken)).Envelope;

    public override async Task WatchRevocations(WatchRevocationsRequest request, IServerStreamWriter<SignedEnvelope> responseStream, ServerCallContext context)
    {
        long sent = SinceVersion(request.SinceVersion);
        CancellationToken stop = context.CancellationToken;
        // First the replay (always sent, so the watcher learns the current version), then each change.
        bool first = true;
        while (!stop.IsCancellationRequested)
        {
            // Take the signal BEFORE reading, so a revocation recorded during the read wakes the next round.
            Task changed = feed.NextChange;
            var (envelope, version) = await lists.GetRevocationListAsync(sent, stop);
            if (first || version > sent)
            {
                await responseStream.WriteAsync(envelope, stop);
                sent = version;
                first = false;
            }
            try
            {
                await changed.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static long SinceVersion(ulong value) =>
        value <= long.MaxValue ? (long)value : throw RegistryException.Invalid("since_version", "is larger than any version.");

    private VerifyCertificateResult CheckInStream(VerifyCertificateRequest request)
    {
        try
        {
            ValidateShape(request);
            return Check(request);
        }
        catch (RegistryException e)
        {
            // One bad request does not end the stream: it gets its own result.
            var result = new VerifyCertificateResult { Valid = false, CorrelationId = Truncate(request.CorrelationId), Reasons = { Contracts.Verification.V1.VerificationReason.Malformed } };
            result.Details.Add(e.Message);
            return result;
        }
    }

    private VerifyCertificateResult Check(VerifyCertificateRequest request)
    {
        var verification = new VerificationContext
        {
            PresentedAtParticipant = request.PresentedAtParticipant.Length == 0 ? null : request.PresentedAtParticipant,
            RulesOptions = rules,
        };
        var envelope = request.Envelope ?? new Contracts.Common.V1.SignedEnvelope();
        var result = CertificateVerifier.Verify(envelope, cache.Current, time.GetUtcNow(), verification);
        return Client.VerificationResultMapping.ToWire(result, request.CorrelationId);
    }

    private static void ValidateShape(VerifyCertificateRequest request)
    {
        if (request.CorrelationId.Length > MaxCorrelationIdLength)
        {
            throw RegistryException.Invalid("correlation_id", $"at most {MaxCorrelationIdLength} characters.");
        }
        if (request.PresentedAtParticipant.Length > 0)
        {
            RequestValidation.ParticipantCode(request.PresentedAtParticipant, "presented_at_participant");
        }
    }

    private static string Truncate(string value) => value.Length <= MaxCorrelationIdLength ? value : value[..MaxCorrelationIdLength];

    private sealed record StreamItem(VerificationGrpcService Service, VerifyCertificateRequest Request, ChannelWriter<VerifyCertificateResult> Results, SemaphoreSlim Slots);
}
