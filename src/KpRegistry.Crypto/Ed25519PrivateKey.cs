using KpRegistry.Domain.Keys;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Org.BouncyCastle.Security;

namespace KpRegistry.Crypto;

/// <summary>
/// An Ed25519 key (RFC 8032): the 32-byte seed. Signing uses BouncyCastle's static, thread-safe
/// <see cref="Ed25519"/> functions with the public key passed in, so nothing is recomputed per call.
/// </summary>
internal sealed class Ed25519PrivateKey : PrivateKeyMaterial
{
    /// <summary>PKCS#8 v1 for Ed25519 (RFC 8410 section 7) up to the seed: SEQUENCE { 0, { id-Ed25519 }, OCTET STRING { OCTET STRING (32) } }. OpenSSL writes the same.</summary>
    internal static ReadOnlySpan<byte> Pkcs8Prefix => [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

    private readonly byte[] _seed;
    private readonly byte[] _publicKey = new byte[Ed25519.PublicKeySize];

    internal Ed25519PrivateKey(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519.SecretKeySize)
        {
            throw new CryptoFormatException($"An Ed25519 private key is {Ed25519.SecretKeySize} bytes.");
        }
        _seed = seed.ToArray();
        Ed25519.GeneratePublicKey(_seed, _publicKey);
    }

    internal static Ed25519PrivateKey Generate()
    {
        Span<byte> seed = stackalloc byte[Ed25519.SecretKeySize];
        try
        {
            Ed25519.GeneratePrivateKey(new SecureRandom(), seed);
            return new Ed25519PrivateKey(seed);
        }
        finally
        {
            seed.Clear();
        }
    }

    internal override KeyAlgorithm Algorithm => KeyAlgorithm.Ed25519;

    internal override byte[] RawPublicKey => (byte[])_publicKey.Clone();

    internal override byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        // Spans throughout: the overload taking byte[] in second place is Ed25519ctx, whose second argument is a context.
        Ed25519.Sign((ReadOnlySpan<byte>)_seed, (ReadOnlySpan<byte>)_publicKey, message, signature);
        return signature;
    }

    internal override byte[] ExportPkcs8Der()
    {
        var der = new byte[Pkcs8Prefix.Length + _seed.Length];
        Pkcs8Prefix.CopyTo(der);
        _seed.CopyTo(der, Pkcs8Prefix.Length);
        return der;
    }

    public override void Dispose() => Array.Clear(_seed);
}
