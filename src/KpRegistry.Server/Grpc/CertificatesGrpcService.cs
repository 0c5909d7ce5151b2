using System.Globalization;
using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Wire;
using KpRegistry.Domain.Keys;
using KpRegistry.Server.Application;
using KpRegistry.Server.Security;

namespace KpRegistry.Server.Grpc;

/// <summary>kp.certificate.v1.Certificates: validate, authorise, delegate, map back.</summary>
public sealed class CertificatesGrpcService(IssuanceService issuance, LifecycleService lifecycle) : Certificates.CertificatesBase
{
    /// <summary>The most certificates on one page of ListCertificates.</summary>
    public const int MaxPageSize = 500;

    private const int DefaultPageSize = 100;

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
        if (!caller.MayActAsAuthority(certificate.IssuingAuthority))
        {
            throw RegistryException.Denied(
                $"IssueCertificate: the caller is authority {caller.AuthorityCode} of {issuer} and issues only as itself, not as {RequestValidation.Truncate(certificate.IssuingAuthority)}.");
        }
        IssuedCertificate issued = await issuance.IssueAsync(caller, certificate, Algorithm(request.Algorithm), context.CancellationToken);
        return new IssueCertificateResponse { Envelope = issued.Envelope, Record = CertificateMapping.ToWire(issued.Record), LogIndex = issued.Record.LogIndex ?? throw new InvalidOperationException("A recorded certificate has a log index.") };
    }

    private static KeyAlgorithm? Algorithm(SigningAlgorithm algorithm) => algorithm switch
    {
        SigningAlgorithm.Unspecified => null,
        SigningAlgorithm.Ed25519 => KeyAlgorithm.Ed25519,
        SigningAlgorithm.EcdsaP256 => KeyAlgorithm.EcdsaP256,
        SigningAlgorithm.MlDsa65 => KeyAlgorithm.MlDsa65,
        _ => throw RegistryException.Invalid("algorithm", $"unknown algorithm {(int)algorithm}."),
    };

    public override async Task<IssueCertificateResponse> ReplaceCertificate(ReplaceCertificateRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAuthenticated("ReplaceCertificate");
        Certificate certificate = request.Certificate ?? throw RegistryException.Invalid("certificate", "is required.");
        if (caller.Role != Roles.Authority)
        {
            throw RegistryException.Denied("ReplaceCertificate is for issuing authorities; an administrator does not issue certificates.");
        }
        string issuer = RequestValidation.ParticipantCode(certificate.IssuingParticipant, "certificate.issuing_participant");
        context.RequireActingFor(issuer, "ReplaceCertificate");
        if (!caller.MayActAsAuthority(certificate.IssuingAuthority))
        {
            throw RegistryException.Denied(
                $"ReplaceCertificate: the caller is authority {caller.AuthorityCode} of {issuer} and issues only as itself, not as {RequestValidation.Truncate(certificate.IssuingAuthority)}.");
        }
        string reason = RequestValidation.Text(request.Reason, "reason", 500, required: true);
        KeyAlgorithm? algorithm = Algorithm(request.Algorithm);
        IssuedCertificate issued = await issuance.ReplaceAsync(caller, certificate, algorithm, reason, context.CancellationToken);
        return new IssueCertificateResponse { Envelope = issued.Envelope, Record = CertificateMapping.ToWire(issued.Record) };
    }

    public override async Task<ConfirmImportResponse> ConfirmImport(ConfirmImportRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAuthenticated("ConfirmImport");
        ImportConfirmation confirmation = request.Confirmation ?? throw RegistryException.Invalid("confirmation", "is required: what arrived.");
        RequestValidation.ParticipantCode(confirmation.IssuingParticipant, "confirmation.issuing_participant");
        RequestValidation.Text(confirmation.CertificateNumber, "confirmation.certificate_number", 64, required: true);
        KeyAlgorithm? algorithm = Algorithm(request.Algorithm);
        ConfirmedImport confirmed = await lifecycle.ConfirmAsync(caller, confirmation, algorithm, context.CancellationToken);
        return ToWire(confirmed);
    }

    public override async Task<ConfirmImportResponse> SubmitImportConfirmation(SubmitImportConfirmationRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAuthenticated("SubmitImportConfirmation");
        SignedEnvelope envelope = request.Envelope ?? throw RegistryException.Invalid("envelope", "is required: the ImportConfirmation signed with the importer's held key.");
        return ToWire(await lifecycle.SubmitAsync(caller, envelope, context.CancellationToken));
    }

    private static ConfirmImportResponse ToWire(ConfirmedImport confirmed)
    {
        var response = new ConfirmImportResponse { Confirmation = confirmed.Confirmation, Record = CertificateMapping.ToWire(confirmed.Record) };
        response.Differences.AddRange(confirmed.Differences);
        return response;
    }

    public override async Task<CertificateRecord> ResolveDetention(ResolveDetentionRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAuthenticated("ResolveDetention");
        string issuer = RequestValidation.ParticipantCode(request.IssuingParticipant, "issuing_participant");
        string number = RequestValidation.Text(request.CertificateNumber, "certificate_number", 64, required: true);
        DetentionResolution resolution = request.Decision switch
        {
            DetentionDecision.Release => DetentionResolution.Release,
            DetentionDecision.Refuse => DetentionResolution.Refuse,
            _ => throw RegistryException.Invalid("decision", "is required: RELEASE or REFUSE."),
        };
        string reason = RequestValidation.Text(request.Reason, "reason", 500, required: true);
        return CertificateMapping.ToWire(await lifecycle.ResolveAsync(caller, issuer, number, resolution, reason, context.CancellationToken));
    }

    public override async Task<ListCertificatesResponse> ListCertificates(ListCertificatesRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAuthenticated("ListCertificates");
        string? issuer = request.IssuingParticipant.Length == 0 ? null : RequestValidation.ParticipantCode(request.IssuingParticipant, "issuing_participant");
        string? destination = request.DestinationParticipant.Length == 0 ? null : RequestValidation.ParticipantCode(request.DestinationParticipant, "destination_participant");
        Domain.Registry.CertificateState? state = request.State == CertificateState.Unspecified
            ? null
            : WireEnums.FromWire(request.State) ?? throw RegistryException.Invalid("state", $"unknown state {(int)request.State}.");
        DateOnly? from = ParseDate(request.IssuedFrom, "issued_from");
        DateOnly? to = ParseDate(request.IssuedTo, "issued_to");
        if (request.PageSize > MaxPageSize)
        {
            throw RegistryException.Invalid("page_size", $"{request.PageSize} is over {MaxPageSize}.");
        }
        int pageSize = request.PageSize == 0 ? DefaultPageSize : (int)request.PageSize;
        long afterId = 0;
        if (request.PageToken.Length > 0 && (!long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out afterId) || afterId <= 0))
        {
            throw RegistryException.Invalid("page_token", "is not a token ListCertificates returned.");
        }
        var (page, next) = await lifecycle.ListAsync(caller, new Storage.CertificateFilter(null, issuer, destination, state, from, to), afterId, pageSize, context.CancellationToken);
        var response = new ListCertificatesResponse { NextPageToken = next is { } id ? id.ToString(CultureInfo.InvariantCulture) : "" };
        response.Certificates.AddRange(page.Select(CertificateMapping.ToWire));
        return response;
    }

    private static DateOnly? ParseDate(string text, string field)
    {
        if (text.Length == 0)
        {
            return null;
        }
        return CertificateDates.TryParse(text, out DateOnly date) ? date : throw RegistryException.Invalid(field, $"{RequestValidation.Truncate(text)} is not a date YYYY-MM-DD.");
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
        CertificateDetails found = await lifecycle.GetAsync(context.GetCaller(), issuer, number, context.CancellationToken);
        var response = new GetCertificateResponse { Envelope = found.Certificate.Envelope, Record = CertificateMapping.ToWire(found.Certificate.Record) };
        if (found.ImportConfirmation is { } confirmation)
        {
            response.ImportConfirmation = confirmation;
        }
        if (found.ShowHistory)
        {
            response.History.AddRange(found.Certificate.Record.Events.Select(CertificateMapping.ToWire));
        }
        return response;
    }
}
