using System.Collections.Concurrent;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Storage;

namespace KpRegistry.Server.Application;

/// <summary>
/// Keeps the in-memory <see cref="RegistrySnapshot"/> that every verification reads. Loaded once
/// at start; participants and keys are reloaded whole after each change to them (a handful of
/// rows, changed rarely); certificate records are added one by one as they are recorded.
/// Each key's verifier is made once here and reused by every verification.
/// </summary>
public sealed class RegistryViewCache(RegistryStore store, ManagedSigner signer)
{
    private readonly ConcurrentDictionary<(string Issuer, string Number), CertificateRecordInfo> _certificates = new();
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile RegistrySnapshot _current = new([], [], new());

    /// <summary>The registry as of the last change. Never null; replaced, never mutated (but for certificate records).</summary>
    public RegistrySnapshot Current => _current;

    /// <summary>
    /// The database's change markers read just before <see cref="LoadAsync"/> read the records:
    /// every change past them may be missing from the view, so <see cref="DatabaseChangeFollower"/>
    /// follows the database from here.
    /// </summary>
    public ChangeMarkers LoadedMarkers { get; private set; } = new(0, 0, 0);

    private volatile RevokedClientCertificates _revokedClientCertificates = RevokedClientCertificates.None;

    /// <summary>The revoked client certificates as of the last reload; every call's caller is checked against it.</summary>
    public RevokedClientCertificates RevokedClientCertificates => _revokedClientCertificates;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        LoadedMarkers = await store.GetChangeMarkersAsync(cancellationToken);
        await foreach (CertificateRecordInfo record in store.ReadAllCertificateRecordsAsync(cancellationToken: cancellationToken))
        {
            _certificates[(record.IssuingParticipant, record.CertificateNumber)] = record;
        }
        await ReloadRegistryAsync(cancellationToken);
    }

    /// <summary>Reloads participants and keys after a change, so the next verification sees it.</summary>
    public async Task ReloadRegistryAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            var participants = await store.ListParticipantsAsync(cancellationToken);
            var keys = await store.ListKeysAsync(cancellationToken);
            var previous = _current;
            var keyInfos = new List<KeyInfo>(keys.Count);
            foreach (KeyRecord key in keys)
            {
                // Reuse the verifier already made for an unchanged key.
                var verifier = previous.FindKey(key.KeyId)?.Verifier ?? SignatureVerifiers.Create(key.Algorithm, key.Spki);
                keyInfos.Add(key.ToKeyInfo(verifier));
            }
            long version = await store.GetRegistryVersionAsync(cancellationToken);
            var chain = (await store.ListRegistryKeyLinksAsync(cancellationToken)).Select(l => SignedEnvelope.Parser.ParseFrom(l.Statement)).ToList();
            // Before the snapshot is swapped: whoever sees the new version sees these too.
            _revokedClientCertificates = new RevokedClientCertificates(await store.ListRevokedClientCertificatesAsync(cancellationToken));
            _current = new RegistrySnapshot(participants.Select(p => p.ToParticipantInfo()), keyInfos, _certificates, version, chain);
            foreach (KeyInfo key in keyInfos)
            {
                if (key.Custody == KeyCustody.Managed && key.State != KeyState.Active)
                {
                    // Retired or revoked, here or by another instance over the same database: never to sign again.
                    signer.Wipe(key.KeyId);
                }
            }
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>Makes a newly recorded certificate visible to verification.</summary>
    public void Recorded(CertificateRecordInfo record) =>
        _certificates[(record.IssuingParticipant, record.CertificateNumber)] = record;
}
