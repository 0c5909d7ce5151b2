using System.Globalization;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Domain.Wire;
using KpRegistry.Server.Application;
using KpRegistry.Storage;

namespace KpRegistry.Server.Grpc;

/// <summary>Wire forms of revoked client certificates and audit events, and the audit query from its request.</summary>
public static class SecurityMapping
{
    public const int MaxAuditPageSize = 500;

    private const int DefaultAuditPageSize = 100;

    public static RevokedClientCertificate ToWire(RevokedClientCertificateRecord revoked)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        return new RevokedClientCertificate
        {
            Sha256Thumbprint = revoked.CertificateSha256 ?? "",
            SerialNumber = revoked.SerialNumber ?? "",
            Issuer = revoked.Issuer ?? "",
            Reason = revoked.Reason,
            RevokedAt = Instants.Format(revoked.RevokedAt),
            RevokedBy = revoked.RevokedBy,
        };
    }

    public static AuditEvent ToWire(AuditEventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new AuditEvent
        {
            Id = record.Id,
            At = Instants.Format(record.At),
            Actor = record.Actor,
            Action = record.Action,
            Target = record.Subject,
            Details = record.Details,
            CallerParticipant = record.CallerParticipant ?? "",
            CallerAuthority = record.CallerAuthority ?? "",
            CallerRole = record.CallerRole ?? "",
            CertificateSha256 = record.CertificateSha256 ?? "",
            Result = record.Result ?? "",
            RequestId = record.RequestId ?? "",
            Call = record.Result is not null,
        };
    }

    /// <summary>The filter, the id to start after and the page size a ListAuditEventsRequest asks for; INVALID_ARGUMENT for what is malformed.</summary>
    public static (AuditFilter Filter, long AfterId, int PageSize) AuditQuery(ListAuditEventsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? participant = request.ParticipantCode.Length == 0 ? null : RequestValidation.ParticipantCode(request.ParticipantCode, "participant_code");
        string? action = request.Action.Length == 0 ? null : RequestValidation.Text(request.Action, "action", 100, required: true);
        DateTimeOffset? from = RequestValidation.Instant(request.From, "from");
        DateTimeOffset? to = RequestValidation.Instant(request.To, "to");
        if (from is { } f && to is { } t && t <= f)
        {
            throw RegistryException.Invalid("to", "is not after from.");
        }
        if (request.PageSize > MaxAuditPageSize)
        {
            throw RegistryException.Invalid("page_size", $"{request.PageSize} is over {MaxAuditPageSize}.");
        }
        int pageSize = request.PageSize == 0 ? DefaultAuditPageSize : (int)request.PageSize;
        long afterId = 0;
        if (request.PageToken.Length > 0 && (!long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out afterId) || afterId <= 0))
        {
            throw RegistryException.Invalid("page_token", "is not a token ListAuditEvents returned.");
        }
        return (new AuditFilter(participant, action, from, to), afterId, pageSize);
    }
}
