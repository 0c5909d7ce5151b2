using KpRegistry.Domain.Keys;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Org.BouncyCastle.Security;

namespace KpRegistry.Crypto;

/// <summary>
/// An Ed25519 key (RFC 8032): the 32-byte seed. Signing uses BouncyCastle's static, thread-safe
/// <see cref="Ed25519"/> functions with the public key passed in, so nothing is recomputed per call.
/// </summary>
internal sealed class Ed25519PrivateKey : PrivateKeyMaterial
{
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

    /// <summary>PKCS#8 v1 (RFC 8410 section 7): SEQUENCE { 0, { id-Ed25519 }, OCTET STRING { OCTET STRING (seed) } }, as OpenSSL writes it.</summary>
    /// <remarks>
    /// Built with BouncyCastle's ASN.1 types rather than <c>PrivateKeyInfoFactory</c>, which for
    /// Ed25519 writes the v2 form with the public key appended (83 bytes, not 48): that would change
    /// the sealed keys' layout and the FORMAT.md vectors, and the OpenSSL 3.0 of our machines
    /// refuses to read it.
    /// </remarks>
    internal override byte[] ExportPkcs8Der()
    {
        // BouncyCastle copies the seed into objects it cannot wipe, as it does for the other two algorithms' keys.
        return new PrivateKeyInfo(new AlgorithmIdentifier(SpkiCodec.Ed25519Oid), new DerOctetString(_seed)).GetDerEncoded();
    }

    public override void Dispose() => Array.Clear(_seed);
}
