using KpRegistry.Domain.Verification;
using Wire = KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.Server.Grpc;

/// <summary>The verification decision, domain to wire.</summary>
public static class VerificationMapping
{
    public static Wire.VerifyCertificateResult ToWire(VerificationResult result, string correlationId)
    {
        var wire = new Wire.VerifyCertificateResult
        {
            Valid = result.Valid,
            CorrelationId = correlationId,
            IssuingParticipant = result.IssuingParticipant ?? "",
            IssuingAuthority = result.IssuingAuthority ?? "",
            CertificateNumber = result.CertificateNumber ?? "",
            KeyId = result.KeyId ?? "",
            RecordedAt = Mapping.ToWire(result.RecordedAt),
            DateOfIssue = Mapping.ToWire(result.DateOfIssue),
            DateOfExpiry = Mapping.ToWire(result.DateOfExpiry),
            KeyState = result.KeyState is { } state ? Mapping.ToWire(state) : Contracts.Registry.V1.KeyState.Unspecified,
            CertificateState = CertificateMapping.ToWire(result.CertificateState),
        };
        foreach (VerificationReason reason in result.Reasons)
        {
            wire.Reasons.Add(ToWire(reason));
        }
        wire.Details.AddRange(result.Details);
        foreach (var violation in result.RuleViolations)
        {
            wire.Violations.Add($"{violation.Field}: {violation.Rule}: {violation.Message}");
        }
        return wire;
    }

    public static Wire.VerificationReason ToWire(VerificationReason reason) => reason switch
    {
        VerificationReason.Malformed => Wire.VerificationReason.Malformed,
        VerificationReason.UnsupportedPayloadType => Wire.VerificationReason.UnsupportedPayloadType,
        VerificationReason.UnknownKey => Wire.VerificationReason.UnknownKey,
        VerificationReason.BadSignature => Wire.VerificationReason.BadSignature,
        VerificationReason.WrongIssuerForKey => Wire.VerificationReason.WrongIssuerForKey,
        VerificationReason.KeyNotValidAtIssue => Wire.VerificationReason.KeyNotValidAtIssue,
        VerificationReason.KeyRetired => Wire.VerificationReason.KeyRetired,
        VerificationReason.KeyRevoked => Wire.VerificationReason.KeyRevoked,
        VerificationReason.IssuerNotParticipant => Wire.VerificationReason.IssuerNotParticipant,
        VerificationReason.IssuerNotAllowedAtIssue => Wire.VerificationReason.IssuerNotAllowedAtIssue,
        VerificationReason.IssuerNotAllowedNow => Wire.VerificationReason.IssuerNotAllowedNow,
        VerificationReason.IssuerEmbargoed => Wire.VerificationReason.IssuerEmbargoed,
        VerificationReason.DestinationNotAllowed => Wire.VerificationReason.DestinationNotAllowed,
        VerificationReason.WrongDestination => Wire.VerificationReason.WrongDestination,
        VerificationReason.ContentInvalid => Wire.VerificationReason.ContentInvalid,
        VerificationReason.NotRecorded => Wire.VerificationReason.NotRecorded,
        VerificationReason.RecordMismatch => Wire.VerificationReason.RecordMismatch,
        VerificationReason.CertificateCancelled => Wire.VerificationReason.CertificateCancelled,
        VerificationReason.CertificateReplaced => Wire.VerificationReason.CertificateReplaced,
        VerificationReason.CertificateDetained => Wire.VerificationReason.CertificateDetained,
        VerificationReason.CertificateExpired => Wire.VerificationReason.CertificateExpired,
        VerificationReason.AlreadyConfirmed => Wire.VerificationReason.AlreadyConfirmed,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "A verification reason without a wire form."),
    };
}
