using KpRegistry.Domain.Keys;

namespace KpRegistry.Client;

/// <summary>One key of the registry's verified key chain.</summary>
/// <param name="Sequence">Its position in the chain, from 1.</param>
/// <param name="IssuedAt">When its link was made.</param>
/// <param name="Verifier">Checks signatures by this key, with the algorithm its SPKI has.</param>
public sealed record RegistryKey(string KeyId, ulong Sequence, KeyAlgorithm Algorithm, byte[] Spki, DateTimeOffset IssuedAt, ISignatureVerifier Verifier);

/// <summary>
/// The registry's key chain after <see cref="RegistryKeyChain.Verify"/>: every key in order, oldest
/// first, each one vouched for by the key before it and the first by the pin.
/// </summary>
public sealed class VerifiedChain
{
    private readonly Dictionary<string, RegistryKey> _byId;

    internal VerifiedChain(IReadOnlyList<RegistryKey> keys)
    {
        Keys = keys;
        _byId = keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
    }

    /// <summary>The keys, oldest first; never empty.</summary>
    public IReadOnlyList<RegistryKey> Keys { get; }

    /// <summary>The registry's current key: the last link's. It signs the trust list.</summary>
    public RegistryKey Current => Keys[^1];

    /// <summary>The chain's key with this id, or null when the chain has no such key.</summary>
    public RegistryKey? Find(string keyId) => _byId.GetValueOrDefault(keyId);
}
