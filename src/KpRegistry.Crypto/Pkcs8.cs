using KpRegistry.Domain.Keys;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace KpRegistry.Crypto;

/// <summary>
/// Reads unencrypted PKCS#8 (RFC 5208 / 5958 "PRIVATE KEY") into key material. Errors say what is
/// wrong in general terms and never carry the parser's inner exception, whose text could quote
/// the key bytes.
/// </summary>
internal static class Pkcs8
{
    internal const string PemLabel = "PRIVATE KEY";

    internal static PrivateKeyMaterial Import(ReadOnlySpan<byte> der)
    {
        byte[] copy = der.ToArray();
        try
        {
            PrivateKeyInfo? info;
            try
            {
                // BouncyCastle reads no bytes as no object (null), not as an error: found by fuzzing (issue 13).
                info = PrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(copy));
            }
            catch (Exception)
            {
                throw new CryptoFormatException("The private key is not PKCS#8 DER (an unencrypted \"PRIVATE KEY\").");
            }
            if (info is null)
            {
                throw new CryptoFormatException("The private key is empty; expected PKCS#8 DER (an unencrypted \"PRIVATE KEY\").");
            }

            DerObjectIdentifier oid = info.PrivateKeyAlgorithm.Algorithm;
            try
            {
                if (oid.Equals(SpkiCodec.Ed25519Oid))
                {
                    var ed = (Ed25519PrivateKeyParameters)PrivateKeyFactory.CreateKey(info);
                    Span<byte> seed = stackalloc byte[Ed25519PrivateKeyParameters.KeySize];
                    try
                    {
                        ed.Encode(seed);
                        return new Ed25519PrivateKey(seed);
                    }
                    finally
                    {
                        seed.Clear();
                    }
                }
                if (oid.Equals(SpkiCodec.EcPublicKeyOid))
                {
                    return ImportP256(info);
                }
                if (oid.Equals(SpkiCodec.MlDsa65Oid))
                {
                    return new MlDsa65PrivateKey((MLDsaPrivateKeyParameters)PrivateKeyFactory.CreateKey(info), deterministic: false);
                }
            }
            catch (CryptoFormatException)
            {
                throw;
            }
            catch (Exception)
            {
                throw new CryptoFormatException($"The PKCS#8 private key for algorithm {oid.Id} is malformed.");
            }
            throw new CryptoFormatException($"The private key's algorithm {oid.Id} is not supported; expected Ed25519, EC P-256 or ML-DSA-65.");
        }
        finally
        {
            Array.Clear(copy);
        }
    }

    private static EcdsaP256PrivateKey ImportP256(PrivateKeyInfo info)
    {
        if (info.PrivateKeyAlgorithm.Parameters is not DerObjectIdentifier curve || !curve.Equals(SpkiCodec.P256CurveOid))
        {
            throw new CryptoFormatException("The EC private key is not on the named curve P-256 (prime256v1); other curves and explicit parameters are not supported.");
        }
        var structure = ECPrivateKeyStructure.GetInstance(info.ParsePrivateKey());
        BigInteger d = structure.GetKey();
        var key = EcdsaP256PrivateKey.FromScalar(d);
        DerBitString? embedded = structure.PublicKey;
        if (embedded is not null && !embedded.GetOctets().AsSpan().SequenceEqual(key.RawPublicKey))
        {
            throw new CryptoFormatException("The EC private key's embedded public key does not match its private scalar.");
        }
        return key;
    }
}
