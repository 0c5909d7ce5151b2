using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Crypto;

/// <summary>Makes the <see cref="NoteVerifier"/> of a signed-note verifier key: the formats are the Domain's, the Ed25519 check is here.</summary>
public static class NoteVerifiers
{
    /// <summary>The verifier of <c>name+hash+base64</c> text.</summary>
    /// <exception cref="TransparencyFormatException">Not a verifier key.</exception>
    /// <exception cref="CryptoFormatException">An unsupported signature type, or not a valid Ed25519 point.</exception>
    public static NoteVerifier FromVerifierKey(string verifierKey) => Create(NoteVerifierKey.Parse(verifierKey));

    /// <summary>The verifier of a parsed key: types 0x01 (Ed25519 note signature) and 0x04 (Ed25519 cosignature v1).</summary>
    /// <exception cref="CryptoFormatException">An unsupported signature type, or not a valid Ed25519 point.</exception>
    public static NoteVerifier Create(NoteVerifierKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.SignatureType switch
        {
            NoteSignatureTypes.Ed25519 => new Ed25519NoteVerifier(key, Ed25519(key)),
            NoteSignatureTypes.CosignatureV1 => new CosignatureV1Verifier(key, Ed25519(key)),
            _ => throw new CryptoFormatException($"Signature type 0x{key.SignatureType:x2} is not supported; this registry uses 0x01 and 0x04."),
        };
    }

    private static ISignatureVerifier Ed25519(NoteVerifierKey key) => new Ed25519Verifier(key.PublicKey);
}
