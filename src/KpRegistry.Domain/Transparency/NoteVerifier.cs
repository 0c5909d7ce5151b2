using System.Buffers.Binary;
using System.Text;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// One trusted signed-note key: its name and key ID (which select the signature lines it judges)
/// and the check of a signature over a note text. KpRegistry.Crypto makes them from verifier keys
/// (<c>NoteVerifiers.FromVerifierKey</c>); the Ed25519 arithmetic stays there, the formats here.
/// </summary>
public abstract class NoteVerifier
{
    private protected NoteVerifier(NoteVerifierKey key, ISignatureVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(verifier);
        if (verifier.Algorithm != KeyAlgorithm.Ed25519)
        {
            throw new ArgumentException("Note signatures of these types are Ed25519.", nameof(verifier));
        }
        Key = key;
        Verifier = verifier;
    }

    public NoteVerifierKey Key { get; }

    public string Name => Key.Name;

    public uint KeyId => Key.KeyId;

    private protected ISignatureVerifier Verifier { get; }

    /// <summary>True only when <paramref name="signature"/> (without its 4-byte key ID) is this key's signature of <paramref name="text"/>. Never throws on a malformed signature.</summary>
    public abstract bool Verify(string text, ReadOnlySpan<byte> signature);
}

/// <summary>Signature type 0x01: Ed25519 over the UTF-8 note text.</summary>
public sealed class Ed25519NoteVerifier : NoteVerifier
{
    public Ed25519NoteVerifier(NoteVerifierKey key, ISignatureVerifier verifier) : base(key, verifier)
    {
        if (key.SignatureType != NoteSignatureTypes.Ed25519)
        {
            throw new ArgumentException("Not an Ed25519 (0x01) note key.", nameof(key));
        }
    }

    public override bool Verify(string text, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && Verifier.Verify(Encoding.UTF8.GetBytes(text), signature);
}

/// <summary>
/// Signature type 0x04 (tlog-cosignature): Ed25519 over "cosignature/v1\ntime T\n" followed by the
/// checkpoint text, the signature being the 8-byte big-endian timestamp T and the 64-byte signature.
/// </summary>
public sealed class CosignatureV1Verifier : NoteVerifier
{
    public CosignatureV1Verifier(NoteVerifierKey key, ISignatureVerifier verifier) : base(key, verifier)
    {
        if (key.SignatureType != NoteSignatureTypes.CosignatureV1)
        {
            throw new ArgumentException("Not a timestamped Ed25519 cosignature (0x04) key.", nameof(key));
        }
    }

    public override bool Verify(string text, ReadOnlySpan<byte> signature) =>
        CosignatureV1.TryReadTimestamp(signature, out long timestamp)
        && Verifier.Verify(CosignatureV1.SignedMessage(text, timestamp), signature[8..]);
}

/// <summary>The bytes of a tlog-cosignature v1 (type 0x04) Ed25519 cosignature.</summary>
public static class CosignatureV1
{
    /// <summary>Bytes of the timestamped_signature: 8 of timestamp, 64 of Ed25519 signature.</summary>
    public const int SignatureSize = 8 + 64;

    /// <summary>The message the cosigner signs: the header line, the time line, then the whole checkpoint text.</summary>
    public static byte[] SignedMessage(string checkpointText, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(checkpointText);
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        return Encoding.UTF8.GetBytes($"cosignature/v1\ntime {C2spText.FormatDecimal(timestamp)}\n{checkpointText}");
    }

    /// <summary>The timestamp of a cosignature (POSIX seconds); false when the signature is not 72 bytes or the time exceeds 2^63 - 1.</summary>
    public static bool TryReadTimestamp(ReadOnlySpan<byte> signature, out long timestamp)
    {
        timestamp = 0;
        if (signature.Length != SignatureSize)
        {
            return false;
        }
        ulong raw = BinaryPrimitives.ReadUInt64BigEndian(signature);
        if (raw > long.MaxValue)
        {
            return false;
        }
        timestamp = (long)raw;
        return true;
    }

    /// <summary>The timestamped_signature bytes from a timestamp and the Ed25519 signature of <see cref="SignedMessage"/>.</summary>
    public static byte[] Encode(long timestamp, ReadOnlySpan<byte> ed25519Signature)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        if (ed25519Signature.Length != 64)
        {
            throw new ArgumentException("An Ed25519 signature is 64 bytes.", nameof(ed25519Signature));
        }
        var bytes = new byte[SignatureSize];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)timestamp);
        ed25519Signature.CopyTo(bytes.AsSpan(8));
        return bytes;
    }
}
