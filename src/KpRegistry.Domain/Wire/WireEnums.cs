using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Verification;
using ProtoCertificate = KpRegistry.Contracts.Certificate.V1;
using ProtoRegistry = KpRegistry.Contracts.Registry.V1;
using ProtoVerification = KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.Domain.Wire;

/// <summary>
/// Every enum between domain and wire, both ways, in one place for the server, the client library
/// and kpreg. Domain to wire: a null (e.g. no status before admission) is UNSPECIFIED. Wire to
/// domain: null for UNSPECIFIED and for a value this version does not know (a newer peer), except
/// the key algorithm, whose UNSPECIFIED means the default, Ed25519.
/// </summary>
public static class WireEnums
{
    public static ProtoRegistry.ParticipantStatus ToWire(ParticipantStatus? status) => status switch
    {
        ParticipantStatus.Active => ProtoRegistry.ParticipantStatus.Active,
        ParticipantStatus.ActiveRestricted => ProtoRegistry.ParticipantStatus.ActiveRestricted,
        ParticipantStatus.Suspended => ProtoRegistry.ParticipantStatus.Suspended,
        ParticipantStatus.SelfSuspended => ProtoRegistry.ParticipantStatus.SelfSuspended,
        ParticipantStatus.Removed => ProtoRegistry.ParticipantStatus.Removed,
        _ => ProtoRegistry.ParticipantStatus.Unspecified,
    };

    public static ParticipantStatus? FromWire(ProtoRegistry.ParticipantStatus status) => status switch
    {
        ProtoRegistry.ParticipantStatus.Active => ParticipantStatus.Active,
        ProtoRegistry.ParticipantStatus.ActiveRestricted => ParticipantStatus.ActiveRestricted,
        ProtoRegistry.ParticipantStatus.Suspended => ParticipantStatus.Suspended,
        ProtoRegistry.ParticipantStatus.SelfSuspended => ParticipantStatus.SelfSuspended,
        ProtoRegistry.ParticipantStatus.Removed => ParticipantStatus.Removed,
        _ => null,
    };

    public static ProtoRegistry.ParticipantKind ToWire(ParticipantKind kind) => kind switch
    {
        ParticipantKind.Participant => ProtoRegistry.ParticipantKind.Participant,
        ParticipantKind.TradingEntity => ProtoRegistry.ParticipantKind.TradingEntity,
        _ => ProtoRegistry.ParticipantKind.Unspecified,
    };

    /// <summary>UNSPECIFIED (an older registry) is a participant; an unknown value is null.</summary>
    public static ParticipantKind? FromWire(ProtoRegistry.ParticipantKind kind) => kind switch
    {
        ProtoRegistry.ParticipantKind.Unspecified or ProtoRegistry.ParticipantKind.Participant => ParticipantKind.Participant,
        ProtoRegistry.ParticipantKind.TradingEntity => ParticipantKind.TradingEntity,
        _ => null,
    };

    public static ProtoRegistry.KeyAlgorithm ToWire(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Ed25519 => ProtoRegistry.KeyAlgorithm.Ed25519,
        KeyAlgorithm.EcdsaP256 => ProtoRegistry.KeyAlgorithm.EcdsaP256,
        KeyAlgorithm.MlDsa65 => ProtoRegistry.KeyAlgorithm.MlDsa65,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "A key algorithm without a wire form."),
    };

    /// <summary>The algorithm; Ed25519 when UNSPECIFIED (the requests' default); null for a value this version does not know.</summary>
    public static KeyAlgorithm? FromWire(ProtoRegistry.KeyAlgorithm algorithm) => algorithm switch
    {
        ProtoRegistry.KeyAlgorithm.Unspecified or ProtoRegistry.KeyAlgorithm.Ed25519 => KeyAlgorithm.Ed25519,
        ProtoRegistry.KeyAlgorithm.EcdsaP256 => KeyAlgorithm.EcdsaP256,
        ProtoRegistry.KeyAlgorithm.MlDsa65 => KeyAlgorithm.MlDsa65,
        _ => null,
    };

    public static ProtoRegistry.KeyState ToWire(KeyState? state) => state switch
    {
        KeyState.Active => ProtoRegistry.KeyState.Active,
        KeyState.Retired => ProtoRegistry.KeyState.Retired,
        KeyState.Revoked => ProtoRegistry.KeyState.Revoked,
        _ => ProtoRegistry.KeyState.Unspecified,
    };

    public static KeyState? FromWire(ProtoRegistry.KeyState state) => state switch
    {
        ProtoRegistry.KeyState.Active => KeyState.Active,
        ProtoRegistry.KeyState.Retired => KeyState.Retired,
        ProtoRegistry.KeyState.Revoked => KeyState.Revoked,
        _ => null,
    };

    public static ProtoRegistry.KeyCustody ToWire(KeyCustody? custody) => custody switch
    {
        KeyCustody.Managed => ProtoRegistry.KeyCustody.Managed,
        KeyCustody.Held => ProtoRegistry.KeyCustody.Held,
        _ => ProtoRegistry.KeyCustody.Unspecified,
    };

    public static KeyCustody? FromWire(ProtoRegistry.KeyCustody custody) => custody switch
    {
        ProtoRegistry.KeyCustody.Managed => KeyCustody.Managed,
        ProtoRegistry.KeyCustody.Held => KeyCustody.Held,
        _ => null,
    };

    public static ProtoCertificate.CertificateState ToWire(CertificateState? state) => state switch
    {
        CertificateState.Issued => ProtoCertificate.CertificateState.Issued,
        CertificateState.Received => ProtoCertificate.CertificateState.Received,
        CertificateState.Detained => ProtoCertificate.CertificateState.Detained,
        CertificateState.Cancelled => ProtoCertificate.CertificateState.Cancelled,
        CertificateState.Replaced => ProtoCertificate.CertificateState.Replaced,
        CertificateState.Refused => ProtoCertificate.CertificateState.Refused,
        _ => ProtoCertificate.CertificateState.Unspecified,
    };

    public static CertificateState? FromWire(ProtoCertificate.CertificateState state) => state switch
    {
        ProtoCertificate.CertificateState.Issued => CertificateState.Issued,
        ProtoCertificate.CertificateState.Received => CertificateState.Received,
        ProtoCertificate.CertificateState.Detained => CertificateState.Detained,
        ProtoCertificate.CertificateState.Cancelled => CertificateState.Cancelled,
        ProtoCertificate.CertificateState.Replaced => CertificateState.Replaced,
        ProtoCertificate.CertificateState.Refused => CertificateState.Refused,
        _ => null,
    };

    public static ProtoVerification.VerificationReason ToWire(VerificationReason reason) => reason switch
    {
        VerificationReason.Malformed => ProtoVerification.VerificationReason.Malformed,
        VerificationReason.UnsupportedPayloadType => ProtoVerification.VerificationReason.UnsupportedPayloadType,
        VerificationReason.UnknownKey => ProtoVerification.VerificationReason.UnknownKey,
        VerificationReason.BadSignature => ProtoVerification.VerificationReason.BadSignature,
        VerificationReason.WrongIssuerForKey => ProtoVerification.VerificationReason.WrongIssuerForKey,
        VerificationReason.KeyNotValidAtIssue => ProtoVerification.VerificationReason.KeyNotValidAtIssue,
        VerificationReason.KeyRetired => ProtoVerification.VerificationReason.KeyRetired,
        VerificationReason.KeyRevoked => ProtoVerification.VerificationReason.KeyRevoked,
        VerificationReason.IssuerNotParticipant => ProtoVerification.VerificationReason.IssuerNotParticipant,
        VerificationReason.IssuerNotAllowedAtIssue => ProtoVerification.VerificationReason.IssuerNotAllowedAtIssue,
        VerificationReason.IssuerNotAllowedNow => ProtoVerification.VerificationReason.IssuerNotAllowedNow,
        VerificationReason.IssuerEmbargoed => ProtoVerification.VerificationReason.IssuerEmbargoed,
        VerificationReason.DestinationNotAllowed => ProtoVerification.VerificationReason.DestinationNotAllowed,
        VerificationReason.WrongDestination => ProtoVerification.VerificationReason.WrongDestination,
        VerificationReason.ContentInvalid => ProtoVerification.VerificationReason.ContentInvalid,
        VerificationReason.NotRecorded => ProtoVerification.VerificationReason.NotRecorded,
        VerificationReason.RecordMismatch => ProtoVerification.VerificationReason.RecordMismatch,
        VerificationReason.CertificateCancelled => ProtoVerification.VerificationReason.CertificateCancelled,
        VerificationReason.CertificateReplaced => ProtoVerification.VerificationReason.CertificateReplaced,
        VerificationReason.CertificateDetained => ProtoVerification.VerificationReason.CertificateDetained,
        VerificationReason.CertificateExpired => ProtoVerification.VerificationReason.CertificateExpired,
        VerificationReason.AlreadyConfirmed => ProtoVerification.VerificationReason.AlreadyConfirmed,
        VerificationReason.CertificateRefused => ProtoVerification.VerificationReason.CertificateRefused,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "A verification reason without a wire form."),
    };

    public static VerificationReason? FromWire(ProtoVerification.VerificationReason reason) => reason switch
    {
        ProtoVerification.VerificationReason.Malformed => VerificationReason.Malformed,
        ProtoVerification.VerificationReason.UnsupportedPayloadType => VerificationReason.UnsupportedPayloadType,
        ProtoVerification.VerificationReason.UnknownKey => VerificationReason.UnknownKey,
        ProtoVerification.VerificationReason.BadSignature => VerificationReason.BadSignature,
        ProtoVerification.VerificationReason.WrongIssuerForKey => VerificationReason.WrongIssuerForKey,
        ProtoVerification.VerificationReason.KeyNotValidAtIssue => VerificationReason.KeyNotValidAtIssue,
        ProtoVerification.VerificationReason.KeyRetired => VerificationReason.KeyRetired,
        ProtoVerification.VerificationReason.KeyRevoked => VerificationReason.KeyRevoked,
        ProtoVerification.VerificationReason.IssuerNotParticipant => VerificationReason.IssuerNotParticipant,
        ProtoVerification.VerificationReason.IssuerNotAllowedAtIssue => VerificationReason.IssuerNotAllowedAtIssue,
        ProtoVerification.VerificationReason.IssuerNotAllowedNow => VerificationReason.IssuerNotAllowedNow,
        ProtoVerification.VerificationReason.IssuerEmbargoed => VerificationReason.IssuerEmbargoed,
        ProtoVerification.VerificationReason.DestinationNotAllowed => VerificationReason.DestinationNotAllowed,
        ProtoVerification.VerificationReason.WrongDestination => VerificationReason.WrongDestination,
        ProtoVerification.VerificationReason.ContentInvalid => VerificationReason.ContentInvalid,
        ProtoVerification.VerificationReason.NotRecorded => VerificationReason.NotRecorded,
        ProtoVerification.VerificationReason.RecordMismatch => VerificationReason.RecordMismatch,
        ProtoVerification.VerificationReason.CertificateCancelled => VerificationReason.CertificateCancelled,
        ProtoVerification.VerificationReason.CertificateReplaced => VerificationReason.CertificateReplaced,
        ProtoVerification.VerificationReason.CertificateDetained => VerificationReason.CertificateDetained,
        ProtoVerification.VerificationReason.CertificateExpired => VerificationReason.CertificateExpired,
        ProtoVerification.VerificationReason.AlreadyConfirmed => VerificationReason.AlreadyConfirmed,
        ProtoVerification.VerificationReason.CertificateRefused => VerificationReason.CertificateRefused,
        _ => null,
    };

    /// <summary>The purpose of a check; null for a value this code does not know (the caller refuses it).</summary>
    public static VerificationPurpose? FromWire(ProtoVerification.VerificationPurpose purpose) => purpose switch
    {
        ProtoVerification.VerificationPurpose.Unspecified => VerificationPurpose.Check,
        ProtoVerification.VerificationPurpose.Import => VerificationPurpose.ImportConfirmation,
        _ => null,
    };

    public static ProtoVerification.VerificationPurpose ToWire(VerificationPurpose purpose) => purpose switch
    {
        VerificationPurpose.ImportConfirmation => ProtoVerification.VerificationPurpose.Import,
        _ => ProtoVerification.VerificationPurpose.Unspecified,
    };
}
