namespace KpRegistry.Domain.Registry;

/// <summary>
/// What the registry recorded of a certificate: who issued it, with which key, when the registry
/// recorded it (the authority for every key-state question), the SHA-256 of the payload it
/// recorded, and its state.
/// </summary>
public sealed record CertificateRecordInfo(
    string IssuingParticipant,
    string CertificateNumber,
    string KeyId,
    byte[] PayloadSha256,
    DateTimeOffset RecordedAt,
    CertificateState State,
    string StateReason = "",
    string? ReplacedBy = null);
