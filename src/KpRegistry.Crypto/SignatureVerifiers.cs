using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto;

/// <summary>Makes the <see cref="ISignatureVerifier"/> of a registered public key.</summary>
public static class SignatureVerifiers
{
    /// <summary>
    /// Parses <paramref name="spki"/> once and returns a verifier to keep and reuse: thread-safe,
    /// with no per-call work that could be done here. The key's algorithm must be
    /// <paramref name="algorithm"/>, the algorithm it was registered with; the envelope never
    /// chooses it.
    /// </summary>
    /// <exception cref="CryptoFormatException">
    /// The SPKI is malformed, not canonical DER, of an unsupported algorithm, not a valid point, or
    /// of another algorithm than <paramref name="algorithm"/>.
    /// </exception>
    public static ISignatureVerifier Create(KeyAlgorithm algorithm, ReadOnlySpan<byte> spki)
    {
        (KeyAlgorithm actual, byte[] raw) = SpkiCodec.Parse(spki);
        if (actual != algorithm)
        {
            throw new CryptoFormatException($"The public key is an {actual} key, but it is registered as {algorithm}.");
        }
        return FromRawKey(actual, raw);
    }

    /// <summary>The verifier for a raw public key that <see cref="SpkiCodec.Parse"/> returned; decoding validates the key.</summary>
    internal static ISignatureVerifier FromRawKey(KeyAlgorithm algorithm, byte[] rawPublicKey) => algorithm switch
    {
        KeyAlgorithm.Ed25519 => new Ed25519Verifier(rawPublicKey),
        KeyAlgorithm.EcdsaP256 => new EcdsaP256Verifier(rawPublicKey),
        KeyAlgorithm.MlDsa65 => new MlDsa65Verifier(rawPublicKey),
        _ => throw new CryptoFormatException($"Unknown key algorithm {algorithm}."),
    };
}
