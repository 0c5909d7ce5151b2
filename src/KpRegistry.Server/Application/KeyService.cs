using System.Collections.Concurrent;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Server.Security;
using KpRegistry.Storage;

namespace KpRegistry.Server.Application;

/// <summary>
/// Keys: managed key creation, reads from the in-memory view, and the signing keys of managed
/// keys, opened from their sealed form once and kept for signing. No private key leaves this
/// class except as a <see cref="SigningKey"/> handle passed to the signer.
/// </summary>
public sealed class KeyService(RegistryStore store, RegistryViewCache cache, ManagedKeyVault vault, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SigningKey>>> _signingKeys = new(StringComparer.Ordinal);

    public IEnumerable<KeyInfo> List(string? participantCode) =>
        cache.Current.Keys
            .Where(k => participantCode is null || k.ParticipantCode == participantCode)
            .OrderByDescending(k => k.NotBefore)
            .ThenBy(k => k.KeyId, StringComparer.Ordinal);

    public KeyInfo Get(string keyId) =>
        cache.Current.FindKey(keyId) ?? throw RegistryException.NotFound($"No key has the id {keyId}.");

    public async Task<KeyInfo> CreateManagedAsync(Caller caller, string participantCode, string? authorityCode, KeyAlgorithm algorithm, CancellationToken cancellationToken)
    {
        RegistrySnapshot view = cache.Current;
        DateTimeOffset now = time.GetUtcNow();
        ParticipantInfo participant = view.FindParticipant(participantCode)
            ?? throw RegistryException.NotFound($"{participantCode} is not a Kimberley Process participant.");
        ParticipantStatus? status = participant.StatusOn(DateOnly.FromDateTime(now.UtcDateTime));
        if (status is not (ParticipantStatus.Active or ParticipantStatus.ActiveRestricted))
        {
            throw RegistryException.Precondition($"{participantCode} may not issue certificates today (status {status?.ToString() ?? "none"}), so it gets no signing key.");
        }
        if (authorityCode is not null && participant.Authorities.Count > 0 && !participant.Authorities.Any(a => a.Code == authorityCode))
        {
            throw RegistryException.Invalid("authority_code", $"{authorityCode} is not a registered authority of {participantCode}.");
        }
        KeyInfo? active = view.Keys.FirstOrDefault(k => k.ParticipantCode == participantCode && k.AuthorityCode == authorityCode
            && k.Algorithm == algorithm && k.State == KeyState.Active);
        if (active is not null)
        {
            throw RegistryException.Precondition($"{participantCode} already has an ACTIVE {algorithm} key ({active.KeyId}); rotate it instead of creating another.");
        }

        using SigningKey key = SigningKey.Generate(algorithm);
        byte[] sealedKey = vault.Seal(key, participantCode);
        try
        {
            await store.AddKeyAsync(
                new NewKey(key.KeyId, participantCode, authorityCode, algorithm, KeyCustody.Managed, key.Spki, sealedKey, now, null),
                new AuditEntry(caller.AuditName, "key.create", key.KeyId, $"managed {algorithm} key for {participantCode}{(authorityCode is null ? "" : "/" + authorityCode)}"),
                cancellationToken);
        }
        catch (StoreConflictException e)
        {
            // Two creations raced; the database's one-active-key rule kept the first.
            throw RegistryException.Precondition(e.Message);
        }
        await cache.ReloadRegistryAsync(cancellationToken);
        return Get(key.KeyId);
    }

    /// <summary>The signing handle of a managed key, opened from its sealed form on first use.</summary>
    public Task<SigningKey> GetSigningKeyAsync(KeyInfo key, CancellationToken cancellationToken)
    {
        if (key.Custody != KeyCustody.Managed)
        {
            throw new InvalidOperationException($"Key {key.KeyId} is held by its authority; the registry cannot sign with it.");
        }
        Lazy<Task<SigningKey>> entry = _signingKeys.GetOrAdd(key.KeyId, id => new Lazy<Task<SigningKey>>(() => OpenAsync(key, CancellationToken.None)));
        return entry.Value.WaitAsync(cancellationToken);
    }

    private async Task<SigningKey> OpenAsync(KeyInfo key, CancellationToken cancellationToken)
    {
        byte[] sealedKey = await store.GetSealedPrivateKeyAsync(key.KeyId, cancellationToken)
            ?? throw new InvalidOperationException($"Managed key {key.KeyId} has no sealed private key in the database.");
        return vault.Open(sealedKey, key.KeyId, key.ParticipantCode);
    }
}
