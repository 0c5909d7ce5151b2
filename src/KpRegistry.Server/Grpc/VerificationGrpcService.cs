using Grpc.Core;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Verification;
using KpRegistry.Server.Application;

namespace KpRegistry.Server.Grpc;

/// <summary>
/// kp.verification.v1.Verification: public, no client certificate. Each check reads only the
/// in-memory registry view: no database round trip on this path.
/// </summary>
public sealed class VerificationGrpcService(RegistryViewCache cache, CertificateRulesOptions rules, TimeProvider time) : Verification.VerificationBase
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
