using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Server.Security;
using KpRegistry.Storage;
using KeyAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;
using KeyCustody = KpRegistry.Domain.Keys.KeyCustody;

namespace KpRegistry.Server.Application;

/// <summary>
/// The registry's own signing key, which signs the trust list and the revocation lists, and its
/// chain: each registry key's statement is signed by the previous registry key (the first by
/// itself), so a verifier that pinned the first key follows every rotation, as TUF does for its root.
/// </summary>
public sealed class RegistryKeyService(RegistryStore store, RegistryViewCache cache, KeyService keys, ManagedSigner signer, TimeProvider time)
{
    /// <summary>Makes the registry's key holder and its first key when the database has none; true when it made them.</summary>
    public async Task<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        var system = new AuditEntry("kpregistry", "registry.init", RegistryParticipant.Code, "the registry's own key holder");
        await store.EnsureKeyHolderAsync(RegistryParticipant.Code, RegistryParticipant.Name, system, cancellationToken);
        await cache.ReloadRegistryAsync(CancellationToken.None); // after a commit: the view must follow, even if the caller left
        if (cache.Current.ActiveRegistryKey is not null)
        {
            return false;
        }
        CreatedKey first = signer.Create(KeyAlgorithm.Ed25519, RegistryParticipant.Code);
        try
        {
            await store.AddKeyAsync(await NewRegistryKeyAsync(first, previousKeyId: null, sequence: 1, cancellationToken),
                new AuditEntry("kpregistry", "key.create", first.KeyId, "the registry's first signing key (chain link 1)"), cancellationToken);
        }
        catch
        {
            signer.Wipe(first.KeyId); // not stored: never to be used
            throw;
        }
        await cache.ReloadRegistryAsync(CancellationToken.None); // after a commit: the view must follow, even if the caller left
        return true;
    }

    /// <summary>Rotates the registry key: the new key's chain link is signed by the current one.</summary>
    public async Task<(KeyInfo NewKey, KeyInfo Retired)> RotateAsync(Caller caller, KeyInfo current, KeyAlgorithm algorithm, CancellationToken cancellationToken)
    {
        if (!caller.IsAdmin)
        {
            throw RegistryException.Denied("Only an administrator rotates the registry's own key.");
        }
        CreatedKey next = signer.Create(algorithm, RegistryParticipant.Code);
        long sequence = cache.Current.RegistryKeyChain.Count + 1;
        try
        {
            await store.RotateKeyAsync(current.KeyId, await NewRegistryKeyAsync(next, current.KeyId, sequence, cancellationToken),
                new AuditEntry(caller.AuditName, "key.rotate", current.KeyId, $"registry key rotated to {next.KeyId} (chain link {sequence})"), cancellationToken);
        }
        catch (Exception e)
        {
            signer.Wipe(next.KeyId); // not stored: never to be used
            if (e is StoreConflictException)
            {
                throw RegistryException.Precondition(e.Message);
            }
            throw;
        }
        signer.Wipe(current.KeyId); // RETIRED: it signs nothing more
        await cache.ReloadRegistryAsync(CancellationToken.None); // after a commit: the view must follow, even if the caller left
        return (keys.Get(next.KeyId), keys.Get(current.KeyId));
    }

    /// <summary>The id of the registry's ACTIVE signing key, which signs the lists.</summary>
    public string ActiveKeyId =>
        (cache.Current.ActiveRegistryKey ?? throw new InvalidOperationException("The registry has no ACTIVE signing key; it is made at start.")).KeyId;

    private async Task<NewKey> NewRegistryKeyAsync(CreatedKey key, string? previousKeyId, long sequence, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        // Link n is signed by its own key (possession) and by the key of link n-1 (the chain); link 1 by itself.
        KeyStatement statement = KeyStatements.RegistryKeyLink(key.KeyId, key.Spki, previousKeyId, (ulong)sequence, now);
        SignedEnvelope link = await signer.SignEnvelopeAsync(PayloadTypes.KeyStatement, statement.ToByteArray(),
            previousKeyId is null ? [key.KeyId] : [key.KeyId, previousKeyId], cancellationToken);
        return new NewKey(key.KeyId, RegistryParticipant.Code, null, key.Algorithm, KeyCustody.Managed, key.Spki,
            key.SealedKey, now, null, new RegistryKeyLink(sequence, key.KeyId, link.ToByteArray()));
    }
}
