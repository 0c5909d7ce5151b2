using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KpRegistry.Domain.Transparency;

/// <summary>The signature type bytes of C2SP signed-note that this registry uses.</summary>
public static class NoteSignatureTypes
{
    /// <summary>Ed25519 over the note text (signed-note); the log's checkpoint signature.</summary>
    public const byte Ed25519 = 0x01;

    /// <summary>Timestamped Ed25519 witness cosignature (tlog-cosignature).</summary>
    public const byte CosignatureV1 = 0x04;
}

/// <summary>
/// A verifier key in the signed-note text form <c>name+hash+base64(type || public key)</c>: the
/// key name, its 4-byte key ID in 8 hex digits, and the signature type byte followed by the raw
/// public key. The form the log's key is published in and witnesses are configured with.
/// </summary>
public sealed class NoteVerifierKey
{
    private NoteVerifierKey(string name, uint keyId, byte signatureType, byte[] publicKey)
    {
        Name = name;
        KeyId = keyId;
        SignatureType = signatureType;
        PublicKey = publicKey;
    }

    public string Name { get; }

    public uint KeyId { get; }

    public byte SignatureType { get; }

    /// <summary>The raw public key (32 bytes for Ed25519, as RFC 8032 encodes it).</summary>
    public byte[] PublicKey { get; }

    /// <summary>The key of <paramref name="name"/> with its key ID computed as signed-note recommends (and tlog-cosignature requires).</summary>
    public static NoteVerifierKey Create(string name, byte signatureType, ReadOnlySpan<byte> publicKey)
    {
        if (!NoteKeyNames.IsValid(name))
        {
            throw new ArgumentException("A key name is non-empty and has no spaces and no '+'.", nameof(name));
        }
        return new NoteVerifierKey(name, ComputeKeyId(name, signatureType, publicKey), signatureType, publicKey.ToArray());
    }

    /// <summary>
    /// Reads <c>name+hash+base64</c>. For the Ed25519 types (0x01, 0x04) the public key must be 32
    /// bytes and the key ID must be the one its name and key derive, so a mistyped key is caught
    /// here and not as "no valid signature" later.
    /// </summary>
    /// <exception cref="TransparencyFormatException">Not that form, or the key ID does not match.</exception>
    public static NoteVerifierKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // The name has no '+'; the base64 may, so split on the first two only.
        int first = text.IndexOf('+', StringComparison.Ordinal);
        int second = first < 0 ? -1 : text.IndexOf('+', first + 1);
        if (first < 0 || second < 0)
        {
            throw new TransparencyFormatException("A verifier key is name+hash+base64.");
        }
        string name = text[..first];
        string hash = text[(first + 1)..second];
        string key = text[(second + 1)..];
        if (!NoteKeyNames.IsValid(name))
        {
            throw new TransparencyFormatException("The verifier key's name is empty or has spaces.");
        }
        if (hash.Length != 8 || !hash.All(char.IsAsciiHexDigit)
            || !uint.TryParse(hash, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint keyId))
        {
            throw new TransparencyFormatException("The verifier key's hash is not 8 hex digits.");
        }
        if (!C2spText.TryDecodeBase64(key, out byte[] typed) || typed.Length < 2)
        {
            throw new TransparencyFormatException("The verifier key's key is not base64 of a type byte and a key.");
        }
        byte type = typed[0];
        byte[] publicKey = typed[1..];
        if (type is NoteSignatureTypes.Ed25519 or NoteSignatureTypes.CosignatureV1)
        {
            if (publicKey.Length != 32)
            {
                throw new TransparencyFormatException("An Ed25519 verifier key holds a 32-byte public key.");
            }
            if (ComputeKeyId(name, type, publicKey) != keyId)
            {
                throw new TransparencyFormatException("The verifier key's hash is not the key ID of its name and key.");
            }
        }
        return new NoteVerifierKey(name, keyId, type, publicKey);
    }

    /// <summary>SHA-256(name || 0x0A || type || public key)[:4], big-endian.</summary>
    public static uint ComputeKeyId(string name, byte signatureType, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(name));
        hash.AppendData([0x0A, signatureType]);
        hash.AppendData(publicKey);
        return BinaryPrimitives.ReadUInt32BigEndian(hash.GetHashAndReset());
    }

    /// <summary>The text form, <c>name+hash+base64</c>, with the hash in lowercase hex.</summary>
    public override string ToString()
    {
        byte[] typed = [SignatureType, .. PublicKey];
        return $"{Name}+{KeyId.ToString("x8", CultureInfo.InvariantCulture)}+{Convert.ToBase64String(typed)}";
    }
}

/// <summary>The key name rule of signed-note: non-empty, no Unicode spaces, no '+'.</summary>
internal static class NoteKeyNames
{
    internal static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && !name.Any(c => char.IsWhiteSpace(c) || c == '+' || char.IsControl(c));
}
