using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Wire;
using Proto = KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Client;

/// <summary>
/// A key of the trust list, wire to domain. Here rather than in KpRegistry.Domain.Wire with the
/// other converters because it makes the key's signature verifier, which is Crypto's; the enum
/// maps and instants it reads are Domain.Wire's. (The server's domain-to-wire key is in
/// KpRegistry.Server.Grpc.KeyMapping, which adds the PEM form, also Crypto's.)
/// </summary>
public static class KeyMapping
{
    /// <summary>
    /// A key, with the verifier of its SPKI for its algorithm (made once here, reused for every
    /// check) and its dates; revocation reason empty (the revocation list carries it). An
    /// UNSPECIFIED custody reads as managed: custody plays no part in verification.
    /// </summary>
    /// <exception cref="FormatException">key_id not the SHA-256 of spki; an unknown algorithm or state; an SPKI that is not a key of the algorithm; a date that is not RFC 3339.</exception>
    public static KeyInfo ToDomain(Proto.Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string what = $"key {key.KeyId}";
        byte[] spki = key.Spki.ToByteArray();
        if (!KeyIds.IsWellFormed(key.KeyId) || !string.Equals(key.KeyId, KeyIds.FromSpki(spki), StringComparison.Ordinal))
        {
            throw new FormatException($"{what}: key_id is not the SHA-256 of its spki");
        }
        KeyAlgorithm algorithm = WireEnums.FromWire(key.Algorithm) ?? throw new FormatException($"{what}: unknown algorithm {key.Algorithm}");
        KeyState state = WireEnums.FromWire(key.State) ?? throw new FormatException($"{what}: state {key.State} is not ACTIVE, RETIRED or REVOKED");
        ISignatureVerifier verifier;
        try
        {
            verifier = SignatureVerifiers.Create(algorithm, spki);
        }
        catch (CryptoFormatException e)
        {
            throw new FormatException($"{what}: {e.Message}", e);
        }
        return new KeyInfo(
            key.KeyId,
            key.ParticipantCode,
            key.AuthorityCode.Length == 0 ? null : key.AuthorityCode,
            algorithm,
            WireEnums.FromWire(key.Custody) ?? KeyCustody.Managed,
            state,
            spki,
            Instants.Parse(key.NotBefore, $"{what}: not_before"),
            Instants.ParseOptional(key.NotAfter, $"{what}: not_after"),
            Instants.ParseOptional(key.RetiredAt, $"{what}: retired_at"),
            Instants.ParseOptional(key.CompromisedSince, $"{what}: compromised_since"),
            RevocationReason: "",
            verifier);
    }
}
