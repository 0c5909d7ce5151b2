using KpRegistry.Domain.Keys;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace KpRegistry.Crypto;

/// <summary>
/// An ML-DSA-65 key (FIPS 204): pure ML-DSA, empty context. Signs hedged (randomised, the FIPS 204
/// default) unless made deterministic for test vectors. A new signer per call keeps
/// <see cref="Sign"/> thread-safe.
/// </summary>
internal sealed class MlDsa65PrivateKey : PrivateKeyMaterial
{
    internal const int SignatureLength = 3309;

    private MLDsaPrivateKeyParameters? _key;
    private readonly byte[] _publicKey;
    private readonly bool _deterministic;

    internal MlDsa65PrivateKey(MLDsaPrivateKeyParameters key, bool deterministic)
    {
        if (key.Parameters != MLDsaParameters.ml_dsa_65)
        {
            throw new CryptoFormatException($"The ML-DSA private key is {key.Parameters.Name}; only ML-DSA-65 (pure) is supported.");
        }
        _key = key;
        _publicKey = key.GetPublicKeyEncoded();
        _deterministic = deterministic;
    }

    internal static MlDsa65PrivateKey FromSeed(byte[] seed, bool deterministic) =>
        new(MLDsaPrivateKeyParameters.FromSeed(MLDsaParameters.ml_dsa_65, seed), deterministic);

    internal static MlDsa65PrivateKey Generate()
    {
        var generator = new MLDsaKeyPairGenerator();
        generator.Init(new MLDsaKeyGenerationParameters(new SecureRandom(), MLDsaParameters.ml_dsa_65));
        return new((MLDsaPrivateKeyParameters)generator.GenerateKeyPair().Private, deterministic: false);
    }

    internal override KeyAlgorithm Algorithm => KeyAlgorithm.MlDsa65;

    internal override byte[] RawPublicKey => (byte[])_publicKey.Clone();

    internal override byte[] Sign(ReadOnlySpan<byte> message)
    {
        MLDsaPrivateKeyParameters key = _key ?? throw new ObjectDisposedException(nameof(SigningKey));
        var signer = new MLDsaSigner(MLDsaParameters.ml_dsa_65, _deterministic);
        signer.Init(true, _deterministic ? key : new ParametersWithRandom(key, new SecureRandom()));
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    /// <summary>PKCS#8 with the ML-DSA-65 OID; the private key is the 32-byte seed form of RFC 9881 when the seed is known, else the expanded key.</summary>
    internal override byte[] ExportPkcs8Der()
    {
        MLDsaPrivateKeyParameters key = _key ?? throw new ObjectDisposedException(nameof(SigningKey));
        MLDsaPrivateKeyParameters.Format format = key.GetSeed() is null
            ? MLDsaPrivateKeyParameters.Format.EncodingOnly
            : MLDsaPrivateKeyParameters.Format.SeedOnly;
        return PrivateKeyInfoFactory.CreatePrivateKeyInfo(key.WithPreferredFormat(format)).GetDerEncoded();
    }

    public override void Dispose() => _key = null;
}
