using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Domain.Keys;
using KpRegistry.Server.Application;
using KpRegistry.Server.Security;

namespace KpRegistry.Server.Grpc;

/// <summary>kp.certificate.v1.Certificates: validate, authorise, delegate, map back.</summary>
public sealed class CertificatesGrpcService(IssuanceService issuance) : Certificates.CertificatesBase
{
    public override async Task<IssueCertificateResponse> IssueCertificate(IssueCertificateRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAuthenticated("IssueCertificate");
        Certificate certificate = request.Certificate ?? throw RegistryException.Invalid("certificate", "is required.");
        if (caller.Role != Roles.Authority)
        {
            throw RegistryException.Denied("IssueCertificate is for issuing authorities; an administrator does not issue certificates.");
        }
        string issuer = RequestValidation.ParticipantCode(certificate.IssuingParticipant, "certificate.issuing_participant");
        context.RequireActingFor(issuer, "IssueCertificate");
        KeyAlgorithm? algorithm = request.Algorithm switch
        {
            SigningAlgorithm.Unspecified => null,
            SigningAlgorithm.Ed25519 => KeyAlgorithm.Ed25519,
            SigningAlgorithm.EcdsaP256 => KeyAlgorithm.EcdsaP256,
            SigningAlgorithm.MlDsa65 => KeyAlgorithm.MlDsa65,
            _ => throw RegistryException.Invalid("algorithm", $"unknown algorithm {(int)request.Algorithm}."),
        };
        IssuedCertificate issued = await issuance.IssueAsync(caller, certificate, algorithm, context.CancellationToken);
        return new IssueCertificateResponse { Envelope = issued.Envelope, Record = CertificateMapping.ToWire(issued.Record), LogIndex = issued.Record.LogIndex ?? throw new InvalidOperationException("A recorded certificate has a log index.") };
    }

    public override async Task<SubmitCertificateResponse> SubmitCertificate(SubmitCertificateRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAuthenticated("SubmitCertificate");
        if (request.Envelope is null)
        {
            throw RegistryException.Invalid("envelope", "is required: the certificate signed with the issuer's held key.");
        }
        var recorded = await issuance.SubmitAsync(caller, request.Envelope, context.CancellationToken);
        return new SubmitCertificateResponse { Record = CertificateMapping.ToWire(recorded), LogIndex = recorded.LogIndex ?? throw new InvalidOperationException("A recorded certificate has a log index.") };
    }

    public override async Task<CertificateRecord> CancelCertificate(CancelCertificateRequest request, ServerCallContext context)
    {
        string issuer = RequestValidation.ParticipantCode(request.IssuingParticipant, "issuing_participant");
        Caller caller = context.RequireActingFor(issuer, "CancelCertificate");
        string number = RequestValidation.Text(request.CertificateNumber, "certificate_number", 64, required: true);
        string reason = RequestValidation.Text(request.Reason, "reason", 500, required: true);
        return CertificateMapping.ToWire(await issuance.CancelAsync(caller, issuer, number, reason));
    }

    public override async Task<GetCertificateResponse> GetCertificate(GetCertificateRequest request, ServerCallContext context)
    {
        string issuer = RequestValidation.ParticipantCode(request.IssuingParticipant, "issuing_participant");
        string number = RequestValidation.Text(request.CertificateNumber, "certificate_number", 64, required: true);
        IssuedCertificate found = await issuance.GetAsync(issuer, number, context.CancellationToken);
        return new GetCertificateResponse { Envelope = found.Envelope, Record = CertificateMapping.ToWire(found.Record) };
    }
}
