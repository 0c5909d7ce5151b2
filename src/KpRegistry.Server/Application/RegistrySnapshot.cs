using System.Collections.Concurrent;
using System.Collections.Frozen;
using KpRegistry.Domain.Registry;

namespace KpRegistry.Server.Application;

/// <summary>
/// The registry as verification reads it, entirely in memory: participants and keys as an
/// immutable snapshot (replaced whole when an administrator changes them, which is rare), and the
/// certificate records in a concurrent map shared by every snapshot (added to as certificates
/// are recorded). No lookup touches the database.
/// </summary>
public sealed class RegistrySnapshot : IRegistryView
{
    private readonly FrozenDictionary<string, ParticipantInfo> _participants;
    private readonly FrozenDictionary<string, KeyInfo> _keys;
    private readonly ConcurrentDictionary<(string Issuer, string Number), CertificateRecordInfo> _certificates;

    public RegistrySnapshot(
        IEnumerable<ParticipantInfo> participants,
        IEnumerable<KeyInfo> keys,
        ConcurrentDictionary<(string Issuer, string Number), CertificateRecordInfo> certificates)
    {
        _participants = participants.ToFrozenDictionary(p => p.Code, StringComparer.Ordinal);
        _keys = keys.ToFrozenDictionary(k => k.KeyId, StringComparer.Ordinal);
        _certificates = certificates;
        ParticipantCodes = [.. _participants.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>Every participant code, in order.</summary>
    public IReadOnlyList<string> ParticipantCodes { get; }

    public IEnumerable<ParticipantInfo> Participants => _participants.Values;

    public IEnumerable<KeyInfo> Keys => _keys.Values;

    public bool HoldsCertificateRecords => true;

    public ParticipantInfo? FindParticipant(string code) => _participants.GetValueOrDefault(code);

    public KeyInfo? FindKey(string keyId) => _keys.GetValueOrDefault(keyId);

    public CertificateRecordInfo? FindCertificate(string issuingParticipant, string certificateNumber) =>
        _certificates.GetValueOrDefault((issuingParticipant, certificateNumber));
}
