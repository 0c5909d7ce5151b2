using System.Collections.Frozen;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Wire;
using Proto = KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Client;

/// <summary>
/// The registry as an offline verifier knows it: a verified trust list (participants, keys) and the
/// revocation list applied on top (revoked keys; cancelled and replaced certificates). The
/// <see cref="IRegistryView"/> that <see cref="OfflineVerifier"/> hands to the one verification
/// decision.
/// </summary>
/// <remarks>
/// What a caller can rely on: nothing from a list is used unless it verified (see
/// <see cref="TrustListVerifier"/>); a list that fails any check changes nothing; lookups are
/// lock-free and safe while another thread applies a delta (each sees the state before or after it,
/// never half of it). <see cref="HoldsCertificateRecords"/> is false: the trust list carries no
/// certificate records, so the only certificates it knows are the cancelled and replaced ones.
/// The registry's own participant (<see cref="RegistryParticipant.Code"/>) is not listed as a participant.
/// </remarks>
public sealed class OfflineRegistry : IRegistryView
{
    private readonly FrozenDictionary<string, ParticipantInfo> _participants;
    private readonly object _applyGate = new();
    private volatile RevocationState _revocations;

    private OfflineRegistry(VerifiedTrustList trustList, FrozenDictionary<string, ParticipantInfo> participants, FrozenDictionary<string, KeyInfo> keys)
    {
        RegistryKeys = trustList.Chain;
        TrustListVersion = trustList.List.Version;
        TrustListIssuedAt = trustList.IssuedAt;
        TrustListNextUpdate = trustList.NextUpdate;
        LogVerifierKey = trustList.List.LogVerifierKey.Length == 0 ? null : trustList.List.LogVerifierKey;
        _participants = participants;
        _revocations = RevocationState.Empty(keys);
    }

    /// <summary>The registry's verified key chain; its last key signed the trust list.</summary>
    public VerifiedChain RegistryKeys { get; }

    /// <summary>The trust list's version.</summary>
    public ulong TrustListVersion { get; }

    /// <summary>When the registry made the trust list.</summary>
    public DateTimeOffset TrustListIssuedAt { get; }

    /// <summary>The trust list's next_update; null when it names none.</summary>
    public DateTimeOffset? TrustListNextUpdate { get; }

    /// <summary>
    /// The transparency log's verifier key as the signed trust list carries it (signed-note
    /// name+hash+base64); null when the list carries none. Trusted as far as the list is: its
    /// chain starts at the pinned key.
    /// </summary>
    public string? LogVerifierKey { get; }

    /// <summary>The version of the newest revocation applied; 0 before any.</summary>
    public ulong RevocationVersion => _revocations.Version;

    /// <summary>The next_update of the last revocation list applied; null when none was applied or it named none.</summary>
    public DateTimeOffset? RevocationNextUpdate => _revocations.NextUpdate;

    /// <summary>The earliest of <see cref="TrustListNextUpdate"/> and <see cref="RevocationNextUpdate"/>: fetch again before it.</summary>
    public DateTimeOffset? NextUpdate => (TrustListNextUpdate, RevocationNextUpdate) switch
    {
        ({ } t, { } r) => t < r ? t : r,
        ({ } t, null) => t,
        (null, { } r) => r,
        _ => null,
    };

    /// <summary>Every participant of the trust list, the registry's own code excluded.</summary>
    public IReadOnlyCollection<ParticipantInfo> Participants => _participants.Values;

    /// <summary>Every key of the trust list, with the revocations applied.</summary>
    public IReadOnlyCollection<KeyInfo> Keys => _revocations.Keys.Values;

    /// <inheritdoc/>
    public bool HoldsCertificateRecords => false;

    /// <summary>
    /// The offline registry from a trust list, checked against <paramref name="pinnedFirstKeyId"/>,
    /// and optionally a full revocation list (since_version 0) checked against the trust list's chain.
    /// </summary>
    /// <exception cref="TrustListException">Either list fails a check or does not read; the message says which.</exception>
    public static OfflineRegistry Create(string pinnedFirstKeyId, SignedEnvelope trustList, SignedEnvelope? revocationList = null)
    {
        VerifiedTrustList verified = TrustListVerifier.Verify(pinnedFirstKeyId, trustList);
        var participants = new Dictionary<string, ParticipantInfo>(StringComparer.Ordinal);
        var keys = new Dictionary<string, KeyInfo>(StringComparer.Ordinal);
        try
        {
            foreach (Proto.Participant participant in verified.List.Participants)
            {
                if (string.Equals(participant.Code, RegistryParticipant.Code, StringComparison.Ordinal))
                {
                    continue;
                }
                if (!participants.TryAdd(participant.Code, ParticipantMapping.ToDomain(participant)))
                {
                    throw new FormatException($"participant {participant.Code} is listed twice");
                }
            }
            foreach (Proto.Key key in verified.List.Keys)
            {
                if (!keys.TryAdd(key.KeyId, KeyMapping.ToDomain(key)))
                {
                    throw new FormatException($"key {key.KeyId} is listed twice");
                }
            }
        }
        catch (FormatException e)
        {
            throw new TrustListException($"the trust list (version {verified.List.Version}) does not read: {e.Message}", e);
        }

        KeyInfo? currentAsListed = keys.GetValueOrDefault(verified.Chain.Current.KeyId);
        if (currentAsListed?.State == KeyState.Revoked)
        {
            throw new TrustListException($"the trust list is signed by registry key {currentAsListed.KeyId}, which the list itself says is revoked");
        }

        var registry = new OfflineRegistry(verified, participants.ToFrozenDictionary(StringComparer.Ordinal), keys.ToFrozenDictionary(StringComparer.Ordinal));
        if (revocationList is not null)
        {
            registry.Apply(revocationList);
        }
        return registry;
    }

    /// <summary>
    /// Applies a revocation list: the full list (since_version 0) on a registry that has applied none,
    /// or a delta whose since_version is exactly <see cref="RevocationVersion"/>. Afterwards
    /// <see cref="RevocationVersion"/> is the list's version. All or nothing: a list that fails any
    /// check changes nothing.
    /// </summary>
    /// <exception cref="TrustListException">
    /// Not signed by an unrevoked key of the registry's chain; a gap (since_version is not
    /// <see cref="RevocationVersion"/>: fetch the entries since it); versions that go back; an entry
    /// of an unknown kind or that does not read.
    /// </exception>
    public void Apply(SignedEnvelope revocationList)
    {
        ArgumentNullException.ThrowIfNull(revocationList);
        lock (_applyGate)
        {
            RevocationState state = _revocations;
            RevocationList list = TrustListVerifier.VerifyRevocationList(revocationList, RegistryKeys, state.IsRevoked);
            if (list.SinceVersion != state.Version)
            {
                throw new TrustListException(
                    $"the revocation list holds the entries after version {list.SinceVersion}, but this verifier holds revocations up to version {state.Version}: "
                    + (list.SinceVersion > state.Version
                        ? $"a gap; fetch the entries since {state.Version}"
                        : $"it is older or a replay; fetch the entries since {state.Version}"));
            }
            if (list.Version < list.SinceVersion)
            {
                throw new TrustListException($"the revocation list's version {list.Version} is below its since_version {list.SinceVersion}: versions only increase");
            }
            _revocations = state.With(list);
        }
    }

    /// <inheritdoc/>
    public ParticipantInfo? FindParticipant(string code) => _participants.GetValueOrDefault(code);

    /// <inheritdoc/>
    public KeyInfo? FindKey(string keyId) => _revocations.Keys.GetValueOrDefault(keyId);

    /// <inheritdoc/>
    /// <remarks>Only cancelled and replaced certificates are known offline; for any other, null.</remarks>
    public CertificateRecordInfo? FindCertificate(string issuingParticipant, string certificateNumber) =>
        _revocations.Certificates.GetValueOrDefault((issuingParticipant, certificateNumber));

    /// <summary>The trust list's keys with the revocations up to a version; replaced whole on each apply.</summary>
    private sealed class RevocationState
    {
        private RevocationState(ulong version, DateTimeOffset? nextUpdate, FrozenDictionary<string, KeyInfo> keys,
            FrozenDictionary<(string, string), CertificateRecordInfo> certificates, FrozenSet<string> revokedKeyIds)
        {
            Version = version;
            NextUpdate = nextUpdate;
            Keys = keys;
            Certificates = certificates;
            RevokedKeyIds = revokedKeyIds;
        }

        public ulong Version { get; }
        public DateTimeOffset? NextUpdate { get; }
        public FrozenDictionary<string, KeyInfo> Keys { get; }
        public FrozenDictionary<(string, string), CertificateRecordInfo> Certificates { get; }

        /// <summary>Every key a KEY entry named, listed in the trust list or not (a registry key may not be).</summary>
        public FrozenSet<string> RevokedKeyIds { get; }

        public static RevocationState Empty(FrozenDictionary<string, KeyInfo> keys) =>
            new(0, null, keys, FrozenDictionary<(string, string), CertificateRecordInfo>.Empty, FrozenSet<string>.Empty);

        public bool IsRevoked(string keyId) =>
            RevokedKeyIds.Contains(keyId) || Keys.GetValueOrDefault(keyId)?.State == KeyState.Revoked;

        public RevocationState With(RevocationList list)
        {
            var keys = new Dictionary<string, KeyInfo>(Keys, StringComparer.Ordinal);
            var certificates = new Dictionary<(string, string), CertificateRecordInfo>(Certificates);
            var revoked = new HashSet<string>(RevokedKeyIds, StringComparer.Ordinal);
            ulong last = list.SinceVersion;
            foreach (RevocationEntry entry in list.Entries)
            {
                string what = $"revocation entry version {entry.Version}";
                if (entry.Version <= last || entry.Version > list.Version)
                {
                    throw new TrustListException($"{what} is out of order: entries must have increasing versions after {list.SinceVersion} and up to {list.Version}");
                }
                last = entry.Version;
                try
                {
                    switch (entry.Kind)
                    {
                        case RevocationKind.Key:
                            if (!KeyIds.IsWellFormed(entry.KeyId))
                            {
                                throw new FormatException($"key_id \"{entry.KeyId}\" is not a key id");
                            }
                            DateTimeOffset? since = Instants.ParseOptional(entry.CompromisedSince, "compromised_since");
                            revoked.Add(entry.KeyId);
                            if (keys.GetValueOrDefault(entry.KeyId) is { } key)
                            {
                                keys[entry.KeyId] = key with { State = KeyState.Revoked, CompromisedSince = since, RevocationReason = entry.Reason };
                            }
                            break;
                        case RevocationKind.CertificateCancelled or RevocationKind.CertificateReplaced or RevocationKind.CertificateRefused:
                            if (entry.IssuingParticipant.Length == 0 || entry.CertificateNumber.Length == 0)
                            {
                                throw new FormatException("a certificate entry names no issuer or number");
                            }
                            if (entry.PayloadSha256.Length != 32)
                            {
                                throw new FormatException($"payload_sha256 has {entry.PayloadSha256.Length} bytes, not 32");
                            }
                            certificates[(entry.IssuingParticipant, entry.CertificateNumber)] = new CertificateRecordInfo(
                                entry.IssuingParticipant,
                                entry.CertificateNumber,
                                KeyId: "",
                                entry.PayloadSha256.ToByteArray(),
                                Instants.Parse(entry.CertificateRecordedAt, "certificate_recorded_at"),
                                entry.Kind switch
                                {
                                    RevocationKind.CertificateCancelled => CertificateState.Cancelled,
                                    RevocationKind.CertificateReplaced => CertificateState.Replaced,
                                    _ => CertificateState.Refused,
                                },
                                entry.Reason,
                                entry.Kind == RevocationKind.CertificateReplaced && entry.ReplacedBy.Length > 0 ? entry.ReplacedBy : null);
                            break;
                        default:
                            throw new FormatException($"kind {entry.Kind} is not one this verifier knows");
                    }
                }
                catch (FormatException e)
                {
                    throw new TrustListException($"{what} does not read: {e.Message}", e);
                }
            }

            DateTimeOffset? nextUpdate = null;
            if (list.NextUpdate.Length > 0)
            {
                nextUpdate = Instants.TryParse(list.NextUpdate, out DateTimeOffset next)
                    ? next
                    : throw new TrustListException($"the revocation list's next_update \"{list.NextUpdate}\" is not an RFC 3339 instant");
            }
            return new RevocationState(list.Version, nextUpdate, keys.ToFrozenDictionary(StringComparer.Ordinal),
                certificates.ToFrozenDictionary(), revoked.ToFrozenSet(StringComparer.Ordinal));
        }
    }
}
