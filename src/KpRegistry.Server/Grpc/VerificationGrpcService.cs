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

    public override Task<VerifyCertificateResult> VerifyCertificate(VerifyCertificateRequest request, ServerCallContext context)
    {
        if (request.Envelope is null)
        {
            throw RegistryException.Invalid("envelope", "is required: the signed certificate to check.");
        }
        ValidateShape(request);
        return Task.FromResult(Check(request));
    }

    public override async Task VerifyCertificates(IAsyncStreamReader<VerifyCertificateRequest> requestStream, IServerStreamWriter<VerifyCertificateResult> responseStream, ServerCallContext context)
    {
        await foreach (VerifyCertificateRequest request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            VerifyCertificateResult result;
            try
            {
                ValidateShape(request);
                result = Check(request);
            }
            catch (RegistryException e)
            {
                // One bad request does not end the stream: it gets its own result.
                result = new VerifyCertificateResult { Valid = false, CorrelationId = Truncate(request.CorrelationId), Reasons = { Contracts.Verification.V1.VerificationReason.Malformed } };
                result.Details.Add(e.Message);
            }
            await responseStream.WriteAsync(result, context.CancellationToken);
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

    private VerifyCertificateResult Check(VerifyCertificateRequest request)
    {
        var verification = new VerificationContext
        {
            PresentedAtParticipant = request.PresentedAtParticipant.Length == 0 ? null : request.PresentedAtParticipant,
            RulesOptions = rules,
        };
        var envelope = request.Envelope ?? new Contracts.Common.V1.SignedEnvelope();
        var result = CertificateVerifier.Verify(envelope, cache.Current, time.GetUtcNow(), verification);
        return VerificationMapping.ToWire(result, request.CorrelationId);
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
}
