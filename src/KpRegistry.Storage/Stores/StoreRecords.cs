using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Storage.Rows;

namespace KpRegistry.Storage;

/// <summary>Who did what to what, appended to the audit trail in the same transaction as the change it describes.</summary>
/// <param name="Actor">E.g. the subject of the caller's client certificate.</param>
/// <param name="Action">E.g. "key.rotate".</param>
/// <param name="Subject">What was changed, e.g. a key id or "BW/BW000123".</param>
/// <param name="Details">Free text, e.g. the reason.</param>
public sealed record AuditEntry(string Actor, string Action, string Subject, string Details = "");

/// <summary>One row of the audit trail, as stored.</summary>
public sealed record AuditRecord(long Id, DateTimeOffset At, string Actor, string Action, string Subject, string Details);

/// <summary>A participant to admit. Its first status event is ACTIVE from <paramref name="AdmittedOn"/>.</summary>
public sealed record NewParticipant(string Code, string Name, DateOnly AdmittedOn, int? MaxValidityDays = null, bool Embargoed = false, int? MaxValidityMonths = null, ParticipantKind Kind = ParticipantKind.Participant);

/// <summary>
/// A participant with its status history (in effective order, each period ending where the next
/// begins), authorities and zone approvals.
/// </summary>
public sealed record ParticipantRecord(
    string Code,
    string Name,
    DateOnly AdmittedOn,
    bool Embargoed,
    int? MaxValidityDays,
    IReadOnlyList<StatusPeriod> StatusHistory,
    IReadOnlyList<AuthorityInfo> Authorities,
    IReadOnlyList<ZoneApproval> ApprovedZones,
    bool LicensesExporters = false,
    int? MaxValidityMonths = null,
    ParticipantKind Kind = ParticipantKind.Participant,
    IReadOnlyList<Embargo>? Embargoes = null)
{
    /// <summary>The participant as the verification decision reads it.</summary>
    public ParticipantInfo ToParticipantInfo() =>
        new(Code, Name, StatusHistory, Authorities, ApprovedZones, Embargoed, MaxValidityDays, LicensesExporters, MaxValidityMonths, Kind, Embargoes ?? []);
}

/// <summary>A dated embargo to record; <paramref name="Supersedes"/> names the one it replaces.</summary>
public sealed record NewEmbargo(
    string IssuingParticipant,
    DateOnly EffectiveFrom,
    DateOnly? EffectiveTo,
    IReadOnlyList<string> Destinations,
    IReadOnlyList<string> Origins,
    string Reason,
    long? Supersedes);

/// <summary>A key to register. <paramref name="AuthorityCode"/> null means participant-wide.</summary>
/// <param name="SealedPrivateKey">The opaque blob from KpRegistry.Crypto for a managed key; null for a held key.</param>
/// <param name="RegistryChainLink">For a registry key: its link in the registry key chain, written in the same transaction.</param>
public sealed record NewKey(
    string KeyId,
    string ParticipantCode,
    string? AuthorityCode,
    KeyAlgorithm Algorithm,
    KeyCustody Custody,
    byte[] Spki,
    byte[]? SealedPrivateKey,
    DateTimeOffset NotBefore,
    DateTimeOffset? NotAfter,
    RegistryKeyLink? RegistryChainLink = null);

/// <summary>A link of the registry key chain: the serialised SignedEnvelope of the key's statement, at its position from 1.</summary>
public sealed record RegistryKeyLink(long Sequence, string KeyId, byte[] Statement);

/// <summary>A revocation-list entry with, for a certificate, the recorded payload's hash and recording time.</summary>
public sealed record RevocationListEntry(RevocationRecord Revocation, byte[]? PayloadSha256, DateTimeOffset? CertificateRecordedAt);

/// <summary>A managed key's sealed private key and the participant it is sealed for.</summary>
public sealed record SealedKeyRecord(string KeyId, string ParticipantCode, byte[] SealedPrivateKey);

/// <summary>
/// A registered key and its current state. Carries no private key material: a managed key's
/// sealed private key is read with <see cref="RegistryStore.GetSealedPrivateKeyAsync"/> only.
/// </summary>
public sealed record KeyRecord(
    string KeyId,
    string ParticipantCode,
    string? AuthorityCode,
    KeyAlgorithm Algorithm,
    KeyCustody Custody,
    byte[] Spki,
    DateTimeOffset NotBefore,
    DateTimeOffset? NotAfter,
    DateTimeOffset CreatedAt,
    KeyState State,
    DateTimeOffset? RetiredAt,
    DateTimeOffset? CompromisedSince,
    string RevocationReason)
{
    /// <summary>The key as the verification decision reads it, with the verifier Crypto made for it.</summary>
    public KeyInfo ToKeyInfo(ISignatureVerifier verifier) =>
        new(KeyId, ParticipantCode, AuthorityCode, Algorithm, Custody, State, Spki, NotBefore, NotAfter,
            RetiredAt, CompromisedSince, RevocationReason, verifier);
}

/// <summary>One event in a key's history.</summary>
public sealed record KeyEventRecord(long Id, string KeyId, KeyEventKind Kind, DateTimeOffset At, DateTimeOffset? CompromisedSince, string Reason, string Actor);

/// <summary>A certificate to record.</summary>
/// <param name="Envelope">The SignedEnvelope bytes exactly as received or produced; stored as they are.</param>
public sealed record NewCertificate(
    string IssuingParticipant,
    string CertificateNumber,
    string IssuingAuthority,
    string KeyId,
    byte[] Envelope,
    byte[] PayloadSha256,
    DateOnly DateOfIssue,
    DateOnly DateOfExpiry,
    string DestinationParticipant,
    long TotalCaratsHundredths,
    long TotalValueUsdCents,
    string? ReplacesCertificateNumber = null,
    CertificateTradeDetail? Trade = null);

/// <summary>A certificate's figures for statistics, copied from its signed payload: its lines and declared origin.</summary>
public sealed record CertificateTradeDetail(IReadOnlyList<CertificateLineFigures> Lines, IReadOnlyList<string> OriginCountries, bool MixedOrigin);

/// <summary>One line: HS code, hundredths of a carat, US cents.</summary>
public sealed record CertificateLineFigures(string HsCode, long CaratsHundredths, long ValueUsdCents);

/// <summary>An event to append to a certificate.</summary>
/// <param name="ReplacedBy">For <see cref="CertificateEventKind.Replaced"/>: the replacing certificate's number.</param>
public sealed record NewCertificateEvent(CertificateEventKind Kind, string Reason, string? ReplacedBy = null);

/// <summary>One event in a certificate's history, in append order.</summary>
public sealed record CertificateEventRecord(int Sequence, CertificateEventKind Kind, DateTimeOffset At, string Reason, string? ReplacedBy, string Actor);

/// <summary>A recorded certificate with its events and the state derived from them.</summary>
public sealed record CertificateRecord(
    long Id,
    string IssuingParticipant,
    string CertificateNumber,
    string IssuingAuthority,
    string KeyId,
    byte[] Envelope,
    byte[] PayloadSha256,
    DateOnly DateOfIssue,
    DateOnly DateOfExpiry,
    string DestinationParticipant,
    long TotalCaratsHundredths,
    long TotalValueUsdCents,
    DateTimeOffset RecordedAt,
    CertificateState State,
    IReadOnlyList<CertificateEventRecord> Events,
    string? ReplacesCertificateNumber = null)
{
    /// <summary>The certificate's index in the transparency log, when the call that recorded it returns it (null on later reads).</summary>
    public long? LogIndex { get; init; }

    /// <summary>The record as the verification decision reads it.</summary>
    public CertificateRecordInfo ToRecordInfo()
    {
        var (state, reason, replacedBy) = CertificateStates.Derive(Events.Select(e => (e.Kind, e.Reason, e.ReplacedBy)));
        return new(IssuingParticipant, CertificateNumber, KeyId, PayloadSha256, RecordedAt, state, reason, replacedBy);
    }
}

/// <summary>One entry of the revocation list.</summary>
public sealed record RevocationRecord(
    long Version,
    RevocationSubject Kind,
    string? KeyId,
    string? IssuingParticipant,
    string? CertificateNumber,
    string Reason,
    DateTimeOffset? CompromisedSince,
    DateTimeOffset RecordedAt,
    string? ReplacedBy = null);

/// <summary>A signed import confirmation to record with the event it causes (Received or Detained).</summary>
/// <param name="Envelope">The SignedEnvelope bytes of the ImportConfirmation, stored as they are.</param>
/// <param name="CaratsReceivedHundredths">The weight the importer confirmed, kept for reconciliation.</param>
public sealed record NewImportConfirmation(byte[] Envelope, string KeyId, string ImportingParticipant, string ImportingAuthority, long? CaratsReceivedHundredths = null);

/// <summary>A recorded import confirmation.</summary>
public sealed record ImportConfirmationRecord(byte[] Envelope, string KeyId, string ImportingParticipant, string ImportingAuthority, DateTimeOffset RecordedAt, string Actor);

/// <summary>
/// The filters of a certificate listing; null means any. <paramref name="VisibleTo"/>: only the
/// certificates this participant issued or is the destination of (null: all, for an admin).
/// </summary>
public sealed record CertificateFilter(
    string? VisibleTo,
    string? IssuingParticipant,
    string? DestinationParticipant,
    CertificateState? State,
    DateOnly? IssuedFrom,
    DateOnly? IssuedTo);
