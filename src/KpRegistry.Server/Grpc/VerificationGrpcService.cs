using Grpc.Core;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Verification;
using KpRegistry.Domain.Wire;
using KpRegistry.Server.Application;

namespace KpRegistry.Server.Grpc;

/// <summary>
/// kp.verification.v1.Verification: public, no client certificate. Each check reads only the
/// in-memory registry view: no database round trip on this path.
/// </summary>
public sealed class VerificationGrpcService(RegistryViewCache cache, SignedLists lists, RevocationFeed feed, CertificateRulesOptions rules, TransparencyLog transparency, TimeProvider time, StreamLimits limits) : Verification.VerificationBase
{
    public const int MaxCorrelationIdLength = 128;

    /// <summary>The most requests of one stream checked together (and answered with one flush).</summary>
    private const int MaxBatch = 64;

    /// <summary>Results written without a flush while more of the same batch follow; the last one flushes them all.</summary>
    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    /// <summary>One check per core at most, so one stream can use the whole machine.</summary>
    private static readonly ParallelOptions Cores = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

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
    /// Works in batches: the requests that have already arrived (at least one, at most
    /// <see cref="MaxBatch"/>) are checked together, spread over the cores, and their results
    /// written in request order with one flush; meanwhile the next requests are being read. A
    /// request costs no thread hand-off of its own: on a busy server the hand-offs (thread wake-ups)
    /// cost more than the rest of the stream's own work.
    /// </summary>
    public override async Task VerifyCertificates(IAsyncStreamReader<VerifyCertificateRequest> requestStream, IServerStreamWriter<VerifyCertificateResult> responseStream, ServerCallContext context)
    {
        try
        {
            await VerifyStreamAsync(requestStream, responseStream, context.CancellationToken);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            // A streamed request is read inside the handler, so a body that is not the message escaped
            // as INTERNAL; it is the caller's error (found by RequestFuzzTests, issue 13).
            throw RegistryException.Invalid("request", $"a streamed request is not a kp.verification.v1.VerifyCertificateRequest: {e.Message}");
        }
    }

    private async Task VerifyStreamAsync(IAsyncStreamReader<VerifyCertificateRequest> requestStream, IServerStreamWriter<VerifyCertificateResult> responseStream, CancellationToken cancellationToken)
    {
        // A stream that sends nothing for StreamIdleTimeout is ended: stalled streams once held the
        // server's memory without bound (issue 13). One timer per stream, reset per batch read.
        using var idle = new CancellationTokenSource(limits.StreamIdleTimeout, time);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        var batch = new List<VerifyCertificateRequest>(MaxBatch);
        var results = new VerifyCertificateResult[MaxBatch];
        Task<bool> next = requestStream.MoveNext(reading.Token);
        while (await WhenIdleEnds(next, idle, cancellationToken))
        {
            batch.Clear();
            batch.Add(requestStream.Current);
            idle.CancelAfter(limits.StreamIdleTimeout);
            next = requestStream.MoveNext(reading.Token);
            // A read that completes at once found its request already buffered: it joins this batch.
            while (batch.Count < MaxBatch && next.IsCompletedSuccessfully && next.Result)
            {
                batch.Add(requestStream.Current);
                next = requestStream.MoveNext(reading.Token);
            }
            CheckBatch(batch, results);
            for (int i = 0; i < batch.Count; i++)
            {
                responseStream.WriteOptions = i < batch.Count - 1 ? Buffered : null;
                await responseStream.WriteAsync(results[i], cancellationToken);
                results[i] = null!;
            }
        }
    }

    /// <summary>The read's result; RESOURCE_EXHAUSTED when it was cancelled by the idle timer rather than by the client.</summary>
    private async Task<bool> WhenIdleEnds(Task<bool> read, CancellationTokenSource idle, CancellationToken call)
    {
        try
        {
            return await read;
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !call.IsCancellationRequested)
        {
            throw limits.Idle();
        }
    }

    private void CheckBatch(List<VerifyCertificateRequest> batch, VerifyCertificateResult[] results)
    {
        if (batch.Count == 1)
        {
            results[0] = CheckInStream(batch[0]);
            return;
        }
        // The calling thread takes part: when the other cores are busy (other streams, other
        // calls), it checks the whole batch itself and nothing waits for a thread.
        Parallel.For(0, batch.Count, Cores, i => results[i] = CheckInStream(batch[i]));
    }

    public override Task<SignedEnvelope> GetTrustList(GetTrustListRequest request, ServerCallContext context) =>
        lists.GetTrustListAsync(context.CancellationToken);

    public override async Task<SignedEnvelope> GetRevocationList(GetRevocationListRequest request, ServerCallContext context) =>
        (await lists.GetRevocationListAsync(SinceVersion(request.SinceVersion), context.CancellationToken)).Envelope;

    public override async Task WatchRevocations(WatchRevocationsRequest request, IServerStreamWriter<SignedEnvelope> responseStream, ServerCallContext context)
    {
        long sent = SinceVersion(request.SinceVersion);
        CancellationToken stop = context.CancellationToken;
        using IDisposable watcher = limits.EnterWatcher();
        // First the replay (always sent, so the watcher learns the current version), then each change.
        bool first = true;
        long readAt = -1;
        while (!stop.IsCancellationRequested)
        {
            // Take the signal BEFORE the generation and the read, so a revocation recorded during the read wakes the next round.
            Task changed = feed.NextChange;
            long generation = feed.Generation;
            if (generation != readAt)
            {
                // One read and one signature per (version sent, generation), shared by every watcher.
                var (envelope, version) = await lists.GetRevocationDeltaAsync(sent, generation, stop);
                if (first || version > sent)
                {
                    await responseStream.WriteAsync(envelope, stop);
                    sent = version;
                    first = false;
                }
                readAt = generation;
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
            Purpose = WireEnums.FromWire(request.Purpose) ?? Domain.Verification.VerificationPurpose.Check,
            RulesOptions = rules,
        };
        var envelope = request.Envelope ?? new Contracts.Common.V1.SignedEnvelope();
        var result = CertificateVerifier.Verify(envelope, cache.Current, time.GetUtcNow(), verification);
        VerifyCertificateResult wire = VerificationResultMapping.ToWire(result, request.CorrelationId);
        // Only a recorded certificate has an entry; its proof comes from the in-memory tree.
        if (wire.RecordedAt.Length > 0 && transparency.FindCertificate(wire.IssuingParticipant, wire.CertificateNumber) is { } inclusion)
        {
            wire.LogIndex = inclusion.LogIndex;
            if (inclusion.Checkpoint is { } checkpoint)
            {
                wire.InclusionProof.AddRange(inclusion.Proof.Select(Google.Protobuf.ByteString.CopyFrom));
                wire.Checkpoint = checkpoint.Note;
            }
        }
        return wire;
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
        if (WireEnums.FromWire(request.Purpose) is null)
        {
            throw RegistryException.Invalid("purpose", $"unknown purpose {(int)request.Purpose}.");
        }
    }

    private static string Truncate(string value) => value.Length <= MaxCorrelationIdLength ? value : value[..MaxCorrelationIdLength];
}
