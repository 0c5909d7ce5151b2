using System.Collections.Concurrent;
using System.Collections.Frozen;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Keys;
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
        ConcurrentDictionary<(string Issuer, string Number), CertificateRecordInfo> certificates,
        long version = 0,
        IReadOnlyList<SignedEnvelope>? registryKeyChain = null)
    {
        _participants = participants.ToFrozenDictionary(p => p.Code, StringComparer.Ordinal);
        _keys = keys.ToFrozenDictionary(k => k.KeyId, StringComparer.Ordinal);
        _certificates = certificates;
        Version = version;
        RegistryKeyChain = registryKeyChain ?? [];
        ParticipantCodes = [.. _participants.Keys.Where(c => c != RegistryParticipant.Code).Order(StringComparer.Ordinal)];
    }

    /// <summary>Every participant code, in order; not the registry's own key holder.</summary>
    public IReadOnlyList<string> ParticipantCodes { get; }

    /// <summary>Every participant, not the registry's own key holder.</summary>
    public IEnumerable<ParticipantInfo> Participants => _participants.Values.Where(p => p.Code != RegistryParticipant.Code);

    /// <summary>Grows with every change to participants or keys (the trust list version).</summary>
    public long Version { get; }

    /// <summary>The registry key chain, oldest first: each link's KeyStatement envelope.</summary>
    public IReadOnlyList<SignedEnvelope> RegistryKeyChain { get; }

    /// <summary>The registry's ACTIVE signing key, or null before the first one is made.</summary>
    public KeyInfo? ActiveRegistryKey => _keys.Values.FirstOrDefault(k => k.ParticipantCode == RegistryParticipant.Code && k.State == KeyState.Active);

    public IEnumerable<KeyInfo> Keys => _keys.Values;

    public bool HoldsCertificateRecords => true;

    public ParticipantInfo? FindParticipant(string code) => _participants.GetValueOrDefault(code);

    public KeyInfo? FindKey(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>When a signer names no algorithm: Ed25519 first (fastest to verify), then ECDSA P-256, then ML-DSA-65.</summary>
    private static readonly KeyAlgorithm[] AlgorithmPreference = [KeyAlgorithm.Ed25519, KeyAlgorithm.EcdsaP256, KeyAlgorithm.MlDsa65];

    /// <summary>
    /// The ACTIVE managed key the registry signs with for <paramref name="authority"/> of
    /// <paramref name="participant"/> (a certificate, an import confirmation): a key bound to that
    /// authority beats a participant-wide one, then the algorithm preference; null when none fits.
    /// </summary>
    public KeyInfo? ActiveManagedKey(string participant, string authority, KeyAlgorithm? algorithm)
    {
        KeyInfo? best = null;
        int bestRank = int.MaxValue;
        foreach (KeyInfo key in Keys)
        {
            if (key.ParticipantCode != participant || key.Custody != KeyCustody.Managed || key.State != KeyState.Active
                || (key.AuthorityCode is not null && key.AuthorityCode != authority)
                || (algorithm is not null && key.Algorithm != algorithm))
            {
                continue;
            }
            int rank = (key.AuthorityCode is null ? 10 : 0) + Array.IndexOf(AlgorithmPreference, key.Algorithm);
            if (rank < bestRank)
            {
                best = key;
                bestRank = rank;
            }
        }
        return best;
    }

    public CertificateRecordInfo? FindCertificate(string issuingParticipant, string certificateNumber) =>
        _certificates.GetValueOrDefault((issuingParticipant, certificateNumber));
}
