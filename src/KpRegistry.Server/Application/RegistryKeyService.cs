using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
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
public sealed class RegistryKeyService(RegistryStore store, RegistryViewCache cache, KeyService keys, ManagedKeyVault vault, TimeProvider time)
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
        using SigningKey first = SigningKey.Generate(KeyAlgorithm.Ed25519);
        await store.AddKeyAsync(NewRegistryKey(first, previous: null, sequence: 1),
            new AuditEntry("kpregistry", "key.create", first.KeyId, "the registry's first signing key (chain link 1)"), cancellationToken);
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
        SigningKey previous = await keys.GetSigningKeyAsync(current, cancellationToken);
        using SigningKey next = SigningKey.Generate(algorithm);
        long sequence = cache.Current.RegistryKeyChain.Count + 1;
        try
        {
            await store.RotateKeyAsync(current.KeyId, NewRegistryKey(next, previous, sequence),
                new AuditEntry(caller.AuditName, "key.rotate", current.KeyId, $"registry key rotated to {next.KeyId} (chain link {sequence})"), cancellationToken);
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Precondition(e.Message);
        }
        await cache.ReloadRegistryAsync(CancellationToken.None); // after a commit: the view must follow, even if the caller left
        return (keys.Get(next.KeyId), keys.Get(current.KeyId));
    }

    /// <summary>The registry's ACTIVE signing key, for the lists.</summary>
    public async Task<SigningKey> GetSigningKeyAsync(CancellationToken cancellationToken)
    {
        KeyInfo active = cache.Current.ActiveRegistryKey
            ?? throw new InvalidOperationException("The registry has no ACTIVE signing key; it is made at start.");
        return await keys.GetSigningKeyAsync(active, cancellationToken);
    }

    private NewKey NewRegistryKey(SigningKey key, SigningKey? previous, long sequence)
    {
        DateTimeOffset now = time.GetUtcNow();
        // Link n is signed by the key of link n-1 (the chain) and by its own key (possession); link 1 by itself.
        byte[] statement = KeyStatements.RegistryKeyLink(key.KeyId, key.Spki, previous?.KeyId, (ulong)sequence, now).ToByteArray();
        SignedEnvelope link = previous is null
            ? EnvelopeSigner.Sign(PayloadTypes.KeyStatement, statement, key)
            : EnvelopeSigner.Sign(PayloadTypes.KeyStatement, statement, key, previous);
        return new NewKey(key.KeyId, RegistryParticipant.Code, null, key.Algorithm, KeyCustody.Managed, key.Spki,
            vault.Seal(key, RegistryParticipant.Code), now, null, new RegistryKeyLink(sequence, key.KeyId, link.ToByteArray()));
    }
}
