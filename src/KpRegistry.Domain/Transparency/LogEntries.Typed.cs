using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// Entry builders in Domain types only, one per kind, for the write sites in Storage: the log's
/// proto enum stays in the Domain, so Storage keeps bytes and Domain records and names no proto
/// type at all (docs/ARCHITECTURE.md, tested by the architecture tests).
/// </summary>
public static partial class LogEntries
{
    /// <summary>An event of a recorded certificate, by its Domain kind.</summary>
    public static byte[] CertificateEvent(CertificateEventKind kind, DateTimeOffset at, string actor, string issuingParticipant, string certificateNumber,
        string reason, string? replacedBy = null, byte[]? statement = null) =>
        CertificateEvent(KindOf(kind), at, actor, issuingParticipant, certificateNumber, reason, replacedBy, statement);

    /// <summary>A key made by the registry or registered, ACTIVE.</summary>
    public static byte[] KeyRegistered(DateTimeOffset at, string actor, string keyId, string participant, string? authority,
        KeyAlgorithm algorithm, KeyCustody custody, byte[] spki, DateTimeOffset notBefore, DateTimeOffset? notAfter, string reason) =>
        KeyEvent(Contracts.Transparency.V1.LogEntryKind.KeyRegistered, at, actor, keyId, participant, authority, algorithm, custody, spki, notBefore, notAfter, reason);

    /// <summary>A key rotated: this key ACTIVE, <paramref name="previousKeyId"/> RETIRED.</summary>
    public static byte[] KeyRotated(DateTimeOffset at, string actor, string keyId, string participant, string? authority,
        KeyAlgorithm algorithm, KeyCustody custody, byte[] spki, DateTimeOffset notBefore, DateTimeOffset? notAfter, string reason, string previousKeyId) =>
        KeyEvent(Contracts.Transparency.V1.LogEntryKind.KeyRotated, at, actor, keyId, participant, authority, algorithm, custody, spki, notBefore, notAfter, reason, previousKeyId);

    /// <summary>A key revoked, its signatures invalid from <paramref name="compromisedSince"/>.</summary>
    public static byte[] KeyRevoked(DateTimeOffset at, string actor, string keyId, string participant, string? authority,
        KeyAlgorithm algorithm, KeyCustody custody, byte[] spki, DateTimeOffset notBefore, DateTimeOffset? notAfter, string reason, DateTimeOffset compromisedSince) =>
        KeyEvent(Contracts.Transparency.V1.LogEntryKind.KeyRevoked, at, actor, keyId, participant, authority, algorithm, custody, spki, notBefore, notAfter, reason,
            compromisedSince: compromisedSince);

    /// <summary>A participant admitted, ACTIVE from <paramref name="admittedOn"/>.</summary>
    public static byte[] ParticipantAdmitted(DateTimeOffset at, string actor, string participant, string name, DateOnly admittedOn, string reason) =>
        ParticipantEvent(Contracts.Transparency.V1.LogEntryKind.ParticipantAdmitted, at, actor, participant, name, ParticipantStatus.Active, admittedOn, reason);

    /// <summary>A participant's status changed from <paramref name="effectiveFrom"/>.</summary>
    public static byte[] ParticipantStatusChanged(DateTimeOffset at, string actor, string participant, string name, ParticipantStatus status, DateOnly effectiveFrom, string reason) =>
        ParticipantEvent(Contracts.Transparency.V1.LogEntryKind.ParticipantStatusChanged, at, actor, participant, name, status, effectiveFrom, reason);
}
