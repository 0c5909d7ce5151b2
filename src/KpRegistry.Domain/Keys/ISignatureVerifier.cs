namespace KpRegistry.Domain.Keys;

/// <summary>
/// Checks signatures by one public key. Made once per registered key by KpRegistry.Crypto from
/// the key's SPKI and registered algorithm, and reused: implementations are thread-safe and
/// allocate nothing they can keep.
/// </summary>
public interface ISignatureVerifier
{
    /// <summary>The algorithm of the key, as registered.</summary>
    KeyAlgorithm Algorithm { get; }

    /// <summary>True only when <paramref name="signature"/> is a valid signature of <paramref name="message"/> by this key. Never throws on malformed signatures.</summary>
    bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);
}
