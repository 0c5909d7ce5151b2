using System.Security.Cryptography;
using KpRegistry.Domain.Keys;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace KpRegistry.Crypto;

/// <summary>
/// An ECDSA P-256 key on the custom curve. Signs SHA-256 of the message with the deterministic
/// nonce of RFC 6979 (so test vectors reproduce), producing a DER signature; a new BouncyCastle
/// signer per call keeps <see cref="Sign"/> thread-safe.
/// </summary>
internal sealed class EcdsaP256PrivateKey : PrivateKeyMaterial
{
    private ECPrivateKeyParameters? _key;
    private readonly byte[] _publicKey;

    internal EcdsaP256PrivateKey(ECPrivateKeyParameters key)
    {
        _key = key;
        _publicKey = P256.EncodePoint(P256.Domain.G.Multiply(key.D).Normalize());
    }

    internal static EcdsaP256PrivateKey FromScalar(BigInteger d) =>
        new(P256.PrivateKey(d) ?? throw new CryptoFormatException("The P-256 private scalar is out of range."));

    internal static EcdsaP256PrivateKey Generate()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(P256.Domain, new SecureRandom()));
        return new((ECPrivateKeyParameters)generator.GenerateKeyPair().Private);
    }

    internal override KeyAlgorithm Algorithm => KeyAlgorithm.EcdsaP256;

    internal override byte[] RawPublicKey => (byte[])_publicKey.Clone();

    internal override byte[] Sign(ReadOnlySpan<byte> message)
    {
        ECPrivateKeyParameters key = _key ?? throw new ObjectDisposedException(nameof(SigningKey));
        byte[] hash = SHA256.HashData(message);
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, key);
        BigInteger[] rs = signer.GenerateSignature(hash);
        return P256.EncodeSignature(rs[0], rs[1]);
    }

    /// <summary>PKCS#8 with the named-curve OID (prime256v1) and the public key inside the ECPrivateKey, as OpenSSL writes it.</summary>
    internal override byte[] ExportPkcs8Der()
    {
        ECPrivateKeyParameters key = _key ?? throw new ObjectDisposedException(nameof(SigningKey));
        return PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetDerEncoded();
    }

    // BouncyCastle's BigInteger is immutable and cannot be wiped; dropping the reference is what we can do.
    public override void Dispose() => _key = null;
}
