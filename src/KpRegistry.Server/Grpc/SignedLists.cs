using System.Collections.Concurrent;
using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Wire;
using KpRegistry.Server.Application;
using KpRegistry.Storage;

namespace KpRegistry.Server.Grpc;

/// <summary>
/// The signed lists other nations' systems cache to verify offline: the trust list (participants,
/// keys, the registry key chain, the log's verifier key) and the revocation list (full or a delta). Both are signed by the
/// registry's ACTIVE key. The trust list is made once per registry version and reused. Here, in
/// the gRPC layer, because the signed payloads ARE wire messages: the registry's view is mapped to
/// them once, signed through the <see cref="ManagedSigner"/>, and served as signed.
/// </summary>
public sealed class SignedLists(RegistryStore store, RegistryViewCache cache, RegistryKeyService registryKeys, ManagedSigner signer, TimeProvider time, TransparencyLog transparency)
{
    /// <summary>How long a verifier may rely on a list before fetching again.</summary>
    public static readonly TimeSpan UpdateInterval = TimeSpan.FromHours(24);

    /// <summary>The most revocation entries in one list; a verifier fetches the rest with since_version.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>The last trust list made; replaced whole (a reference write is atomic; a struct tuple's is not).</summary>
    private volatile MadeTrustList? _trustList;

    private sealed record MadeTrustList(long Version, string KeyId, SignedEnvelope Envelope);

    public async Task<SignedEnvelope> GetTrustListAsync(CancellationToken cancellationToken)
    {
        RegistrySnapshot view = cache.Current;
        string keyId = registryKeys.ActiveKeyId;
        if (_trustList is { } made && made.Version == view.Version && made.KeyId == keyId)
        {
            return made.Envelope;
        }
        DateTimeOffset now = time.GetUtcNow();
        DateOnly today = DateOnly.FromDateTime(now.UtcDateTime);
        var list = new TrustList
        {
            Version = (ulong)view.Version,
            IssuedAt = Instants.Format(now),
            NextUpdate = Instants.Format(now + UpdateInterval),
            LogVerifierKey = transparency.VerifierKey.ToString(),
        };
        foreach (ParticipantInfo participant in view.Participants.OrderBy(p => p.Code, StringComparer.Ordinal))
        {
            list.Participants.Add(ParticipantMapping.ToWire(participant, today));
        }
        foreach (KeyInfo registered in view.Keys.OrderBy(k => k.ParticipantCode, StringComparer.Ordinal).ThenBy(k => k.NotBefore).ThenBy(k => k.KeyId, StringComparer.Ordinal))
        {
            list.Keys.Add(KeyMapping.ToWire(registered));
        }
        list.RegistryKeyChain.AddRange(view.RegistryKeyChain);
        SignedEnvelope envelope = await signer.SignEnvelopeAsync(keyId, PayloadTypes.TrustList, list.ToByteArray(), cancellationToken);
        _trustList = new MadeTrustList(view.Version, keyId, envelope);
        return envelope;
    }

    /// <summary>The revocation deltas made for the watchers, by (since version, feed generation); only the newest generation's are kept.</summary>
    private readonly ConcurrentDictionary<(long Since, long Generation), Lazy<Task<(SignedEnvelope Envelope, long Version)>>> _deltas = new();

    private long _deltaGeneration;
    private long _revocationListsSigned;

    /// <summary>How many revocation lists this instance has read and signed (for tests and diagnostics).</summary>
    public long RevocationListsSigned => Interlocked.Read(ref _revocationListsSigned);

    /// <summary>
    /// As <see cref="GetRevocationListAsync"/>, made and signed once per (<paramref name="sinceVersion"/>,
    /// <paramref name="generation"/>) of the <see cref="RevocationFeed"/> and shared by every
    /// WatchRevocations stream that asks for it: 10,000 watchers once read the database and signed
    /// 10,000 lists per revocation (3.2 s of server CPU; issue 13), and now one. The shared read is not
    /// cancelled by any one watcher leaving.
    /// </summary>
    public Task<(SignedEnvelope Envelope, long Version)> GetRevocationDeltaAsync(long sinceVersion, long generation, CancellationToken cancellationToken)
    {
        if (generation > Interlocked.Read(ref _deltaGeneration))
        {
            Interlocked.Exchange(ref _deltaGeneration, generation);
            foreach ((long Since, long Generation) stale in _deltas.Keys.Where(k => k.Generation < generation))
            {
                _deltas.TryRemove(stale, out _);
            }
        }
        (long, long) key = (sinceVersion, generation);
        Lazy<Task<(SignedEnvelope, long)>> made = _deltas.GetOrAdd(key, k => new Lazy<Task<(SignedEnvelope, long)>>(() => MakeDeltaAsync(k)));
        return made.Value.WaitAsync(cancellationToken);
    }

    private async Task<(SignedEnvelope, long)> MakeDeltaAsync((long Since, long Generation) key)
    {
        try
        {
            return await GetRevocationListAsync(key.Since, CancellationToken.None);
        }
        catch
        {
            // Not kept: the next watcher of this generation tries again.
            _deltas.TryRemove(key, out _);
            throw;
        }
    }

    /// <summary>The revocation list with the entries newer than <paramref name="sinceVersion"/> (0: all).</summary>
    public async Task<(SignedEnvelope Envelope, long Version)> GetRevocationListAsync(long sinceVersion, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _revocationListsSigned);
        IReadOnlyList<RevocationListEntry> entries = await store.ListRevocationEntriesSinceAsync(sinceVersion, MaxEntries, cancellationToken);
        long version = entries.Count > 0 ? entries[^1].Revocation.Version : Math.Max(sinceVersion, await store.GetRevocationVersionAsync(cancellationToken));
        DateTimeOffset now = time.GetUtcNow();
        var list = new RevocationList
        {
            Version = (ulong)version,
            SinceVersion = (ulong)sinceVersion,
            IssuedAt = Instants.Format(now),
            NextUpdate = Instants.Format(now + UpdateInterval),
        };
        foreach (RevocationListEntry entry in entries)
        {
            list.Entries.Add(ToWire(entry));
        }
        return (await signer.SignEnvelopeAsync(registryKeys.ActiveKeyId, PayloadTypes.Revocations, list.ToByteArray(), cancellationToken), version);
    }

    private static RevocationEntry ToWire(RevocationListEntry entry)
    {
        RevocationRecord r = entry.Revocation;
        return new RevocationEntry
        {
            Version = (ulong)r.Version,
            Kind = r.Kind switch
            {
                RevocationSubject.Key => RevocationKind.Key,
                RevocationSubject.Certificate => RevocationKind.CertificateCancelled,
                RevocationSubject.CertificateReplaced => RevocationKind.CertificateReplaced,
                RevocationSubject.CertificateRefused => RevocationKind.CertificateRefused,
                _ => RevocationKind.Unspecified,
            },
            KeyId = r.KeyId ?? "",
            IssuingParticipant = r.IssuingParticipant ?? "",
            CertificateNumber = r.CertificateNumber ?? "",
            PayloadSha256 = entry.PayloadSha256 is null ? ByteString.Empty : ByteString.CopyFrom(entry.PayloadSha256),
            Reason = r.Reason,
            CompromisedSince = Instants.Format(r.CompromisedSince),
            RecordedAt = Instants.Format(r.RecordedAt),
            CertificateRecordedAt = Instants.Format(entry.CertificateRecordedAt),
            ReplacedBy = r.ReplacedBy ?? "",
        };
    }
}
