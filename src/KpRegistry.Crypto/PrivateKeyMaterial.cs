using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto;

/// <summary>
/// The private half of one key, for one algorithm. Implementations are immutable after
/// construction apart from <see cref="Dispose"/>, so <see cref="Sign"/> may run on many threads.
/// </summary>
internal abstract class PrivateKeyMaterial : IDisposable
{
    internal abstract KeyAlgorithm Algorithm { get; }

    /// <summary>The raw public key in the layout <see cref="SpkiCodec.Encode"/> takes.</summary>
    internal abstract byte[] RawPublicKey { get; }

    internal abstract byte[] Sign(ReadOnlySpan<byte> message);

    /// <summary>A new PKCS#8 (RFC 5208 / 5958) DER buffer; the caller zeroes it after use.</summary>
    internal abstract byte[] ExportPkcs8Der();

    public abstract void Dispose();
}
