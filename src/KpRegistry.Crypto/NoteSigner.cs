using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Crypto;

/// <summary>
/// Signs signed-note texts (a log's checkpoints) with an Ed25519 <see cref="SigningKey"/> under a
/// key name: signature type 0x01. The key stays owned by the caller.
/// </summary>
public sealed class NoteSigner
{
    private readonly SigningKey _key;

    public NoteSigner(string name, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Algorithm != KeyAlgorithm.Ed25519)
        {
            throw new ArgumentException("Signed notes are signed with Ed25519 keys here.", nameof(key));
        }
        _key = key;
        VerifierKey = NoteVerifierKey.Create(name, NoteSignatureTypes.Ed25519, RawEd25519PublicKey(key));
    }

    /// <summary>The verifier key to publish (<c>name+hash+base64</c> via ToString).</summary>
    public NoteVerifierKey VerifierKey { get; }

    /// <summary>The signature line of <paramref name="text"/> (a note text: non-empty, ending in a newline).</summary>
    public NoteSignature Sign(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // The note constructor enforces the text rules, so nothing is signed that no verifier could read.
        _ = new SignedNote(text, []);
        byte[] signature = _key.Sign(System.Text.Encoding.UTF8.GetBytes(text));
        return new NoteSignature(VerifierKey.Name, VerifierKey.KeyId, signature);
    }

    /// <summary>The signed note of <paramref name="text"/> with this key's signature only.</summary>
    public SignedNote SignNote(string text) => new(text, [Sign(text)]);

    /// <summary>The type 0x01 verifier key named <paramref name="name"/> of an Ed25519 public key given as SPKI DER (a managed key's public half).</summary>
    /// <exception cref="CryptoFormatException">Not an Ed25519 SubjectPublicKeyInfo.</exception>
    public static NoteVerifierKey VerifierKeyOf(string name, byte[] spki)
    {
        (KeyAlgorithm algorithm, byte[] raw) = SpkiCodec.Parse(spki);
        return algorithm == KeyAlgorithm.Ed25519
            ? NoteVerifierKey.Create(name, NoteSignatureTypes.Ed25519, raw)
            : throw new CryptoFormatException("A log's checkpoint key is Ed25519.");
    }

    internal static byte[] RawEd25519PublicKey(SigningKey key)
    {
        (KeyAlgorithm algorithm, byte[] raw) = SpkiCodec.Parse(key.Spki);
        return algorithm == KeyAlgorithm.Ed25519 ? raw : throw new ArgumentException("Not an Ed25519 key.", nameof(key));
    }
}

/// <summary>
/// A witness's cosigner (tlog-cosignature v1, type 0x04): signs "cosignature/v1", the time line and
/// the checkpoint text. It signs a parsed <see cref="Checkpoint"/> only, so it never cosigns text
/// that is not a checkpoint. Each cosigner needs its own key (the signed message does not commit to
/// the cosigner's name).
/// </summary>
public sealed class CosignatureSigner
{
    private readonly SigningKey _key;

    public CosignatureSigner(string name, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Algorithm != KeyAlgorithm.Ed25519)
        {
            throw new ArgumentException("Cosignatures v1 are Ed25519.", nameof(key));
        }
        _key = key;
        VerifierKey = NoteVerifierKey.Create(name, NoteSignatureTypes.CosignatureV1, NoteSigner.RawEd25519PublicKey(key));
    }

    public NoteVerifierKey VerifierKey { get; }

    /// <summary>The cosignature line of <paramref name="checkpoint"/> at POSIX time <paramref name="timestamp"/>.</summary>
    public NoteSignature Cosign(Checkpoint checkpoint, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        byte[] signature = _key.Sign(CosignatureV1.SignedMessage(checkpoint.Format(), timestamp));
        return new NoteSignature(VerifierKey.Name, VerifierKey.KeyId, CosignatureV1.Encode(timestamp, signature));
    }
}
