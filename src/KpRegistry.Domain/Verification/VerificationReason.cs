namespace KpRegistry.Domain.Verification;

/// <summary>
/// Why a certificate is not valid: a closed set, each member one sentence. A
/// <see cref="VerificationResult"/> lists every member that applies, distinct and in ascending
/// numeric order (the order declared here). Numeric values are stable, since they may be stored and
/// sent: a new member takes the next unused value, and no member is ever renumbered.
/// </summary>
public enum VerificationReason
{
    /// <summary>The envelope has no signature, an empty or oversized payload, too many signatures, or a payload that is not a certificate message.</summary>
    Malformed = 1,

    /// <summary>The envelope's payload_type is not the certificate type (<see cref="Envelopes.PayloadTypes.Certificate"/>).</summary>
    UnsupportedPayloadType = 2,

    /// <summary>No signature names a key registered with the registry.</summary>
    UnknownKey = 3,

    /// <summary>No signature by a registered key verifies over PAE(payload_type, payload); the payload was not read.</summary>
    BadSignature = 4,

    /// <summary>The signing key is registered for another participant, or for another authority, than the certificate's issuer.</summary>
    WrongIssuerForKey = 5,

    /// <summary>The key's validity window (not_before to not_after) does not cover the date of issue, or the time the registry recorded the certificate.</summary>
    KeyNotValidAtIssue = 6,

    /// <summary>The key was retired before the registry recorded the certificate (or before it was presented as new).</summary>
    KeyRetired = 7,

    /// <summary>The key was revoked with a compromise time at or before the registry recorded the certificate (or before it was presented as new).</summary>
    KeyRevoked = 8,

    /// <summary>The issuing participant is not, and never was, a KP participant in the registry.</summary>
    IssuerNotParticipant = 9,

    /// <summary>On the date of issue the issuer was not ACTIVE or ACTIVE_RESTRICTED (suspended, self-suspended, removed, or not yet admitted).</summary>
    IssuerNotAllowedAtIssue = 10,

    /// <summary>At presentation the issuer is SUSPENDED, SELF_SUSPENDED, REMOVED or no longer a participant, so its certificates are refused.</summary>
    IssuerNotAllowedNow = 11,

    /// <summary>The issuer is under an embargo (a UN or similar measure banning its trade in rough diamonds).</summary>
    IssuerEmbargoed = 12,

    /// <summary>The destination participant may not receive: it was not ACTIVE or ACTIVE_RESTRICTED on the date of issue, or is suspended, removed or no longer a participant now.</summary>
    DestinationNotAllowed = 13,

    /// <summary>The certificate is presented at a participant other than its destination.</summary>
    WrongDestination = 14,

    /// <summary>The content breaks one or more KPCS content rules; <see cref="VerificationResult.RuleViolations"/> lists them.</summary>
    ContentInvalid = 15,

    /// <summary>The registry holds certificate records and has none for this issuer and number.</summary>
    NotRecorded = 16,

    /// <summary>The registry recorded a different payload under this issuer and number: the number is reused or the content was changed.</summary>
    RecordMismatch = 17,

    /// <summary>The issuer cancelled the certificate.</summary>
    CertificateCancelled = 18,

    /// <summary>The certificate was replaced by another one.</summary>
    CertificateReplaced = 19,

    /// <summary>The certificate's shipment was detained on arrival; it is not accepted until the detention is resolved.</summary>
    CertificateDetained = 20,

    /// <summary>The date of expiry has passed (it is before the UTC date of the check) and the import was not confirmed.</summary>
    CertificateExpired = 21,

    /// <summary>The import was already confirmed, and the check is for an import confirmation: a certificate is confirmed at most once.</summary>
    AlreadyConfirmed = 22,

    /// <summary>The destination refused the detained shipment: the certificate may not be used again.</summary>
    CertificateRefused = 23,
}
