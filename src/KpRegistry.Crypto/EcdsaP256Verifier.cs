using System.Security.Cryptography;
using KpRegistry.Domain.Keys;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace KpRegistry.Crypto;

/// <summary>
/// ECDSA P-256 / SHA-256 verification on the custom curve. The public point is decoded, validated
/// and normalised once; BouncyCastle caches its wNAF precomputation on that point instance (under
/// its own lock), so every verify after the first reuses it. Accepts any valid DER signature,
/// including the randomised ones OpenSSL makes and high-S values; refuses non-DER encodings.
/// </summary>
internal sealed class EcdsaP256Verifier : ISignatureVerifier
{
    private readonly ECPublicKeyParameters _publicKey;

    internal EcdsaP256Verifier(byte[] rawPublicKey)
    {
        ECPoint point = P256.DecodePoint(rawPublicKey)
            ?? throw new CryptoFormatException("The P-256 public key is not a point on the curve.");
        _publicKey = new ECPublicKeyParameters(point, P256.Domain);
    }

    public KeyAlgorithm Algorithm => KeyAlgorithm.EcdsaP256;

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (!P256.TryDecodeSignature(signature, out BigInteger r, out BigInteger s))
        {
            return false;
        }
        try
        {
            // ECDsaSigner keeps the key in a field: one per call, a small object, keeps this thread-safe.
            var signer = new ECDsaSigner();
            signer.Init(false, _publicKey);
            return signer.VerifySignature(SHA256.HashData(message), r, s);
        }
        catch (Exception)
        {
            return false;
        }
    }
}
