using KpRegistry.Crypto;
using KpRegistry.Server.Application;

namespace KpRegistry.Server.Hosting;

/// <summary>
/// At start, before anything is signed or written: the key-encryption key must open the keys
/// sealed under it. A wrong KEK (another environment's, a typing error in the variable) would
/// otherwise start a registry that answers INTERNAL at its first signature; it stops the start
/// instead, naming the cause, and touches no key.
/// </summary>
public static class KekCheck
{
    /// <summary>Opens the registry's ACTIVE signing key (sealed under the same KEK as every managed key) by signing a probe with it.</summary>
    /// <exception cref="InvalidOperationException">The KEK does not open it.</exception>
    public static async Task RequireOpensRegistryKeyAsync(RegistryViewCache cache, ManagedSigner signer, KeyEncryptionKey kek, CancellationToken cancellationToken)
    {
        if (cache.Current.ActiveRegistryKey is not { } key)
        {
            return; // the first start: nothing sealed yet
        }
        try
        {
            await signer.SignRawAsync(key.KeyId, "kpregistry start-up key-encryption key check"u8.ToArray(), cancellationToken);
        }
        catch (KeyCustodyException e)
        {
            // The custody message names the key and the cause, never key bytes.
            throw new InvalidOperationException(
                $"KpRegistry cannot start: the key-encryption key (fingerprint {kek.Fingerprint}) does not open the registry's sealed keys: {e.Message} " +
                "Give the KEK the keys were sealed with (KpRegistry:KeyEncryptionKeyFile or the KPREG_KEK variable). Nothing was changed.", e);
        }
    }
}
