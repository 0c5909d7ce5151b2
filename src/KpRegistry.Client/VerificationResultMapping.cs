using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Verification;
using DomainState = KpRegistry.Domain.Registry.CertificateState;
using Wire = KpRegistry.Contracts.Verification.V1;
using WireCertificateState = KpRegistry.Contracts.Certificate.V1.CertificateState;
using WireKeyState = KpRegistry.Contracts.Registry.V1.KeyState;

namespace KpRegistry.Client;

/// <summary>
/// The verification decision, domain to wire: the one mapping used
/// online (the server answers with it) and offline, so both print alike.
/// </summary>
public static class VerificationResultMapping
{
    public static Wire.VerifyCertificateResult ToWire(VerificationResult result, string correlationId = "")
    {
        ArgumentNullException.ThrowIfNull(result);
        var wire = new Wire.VerifyCertificateResult
        {
            Valid = result.Valid,
            CorrelationId = correlationId,
            IssuingParticipant = result.IssuingParticipant ?? "",
            IssuingAuthority = result.IssuingAuthority ?? "",
            CertificateNumber = result.CertificateNumber ?? "",
            KeyId = result.KeyId ?? "",
            RecordedAt = result.RecordedAt is { } at ? KeyStatements.FormatInstant(at) : "",
            DateOfIssue = result.DateOfIssue is { } issued ? CertificateDates.ToText(issued) : "",
            DateOfExpiry = result.DateOfExpiry is { } expires ? CertificateDates.ToText(expires) : "",
            KeyState = result.KeyState switch
            {
                Domain.Keys.KeyState.Active => WireKeyState.Active,
                Domain.Keys.KeyState.Retired => WireKeyState.Retired,
                Domain.Keys.KeyState.Revoked => WireKeyState.Revoked,
                _ => WireKeyState.Unspecified,
            },
            CertificateState = result.CertificateState switch
            {
                DomainState.Issued => WireCertificateState.Issued,
                DomainState.Received => WireCertificateState.Received,
                DomainState.Detained => WireCertificateState.Detained,
                DomainState.Cancelled => WireCertificateState.Cancelled,
                DomainState.Replaced => WireCertificateState.Replaced,
                _ => WireCertificateState.Unspecified,
            },
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
