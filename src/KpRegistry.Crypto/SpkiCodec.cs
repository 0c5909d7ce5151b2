using KpRegistry.Domain.Keys;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace KpRegistry.Crypto;

/// <summary>
/// SubjectPublicKeyInfo (RFC 5280) encoding and parsing for the three registered algorithms: the
/// one place that knows their OIDs and public-key layouts. Only the canonical DER form is
/// accepted, so one public key has exactly one SPKI and therefore one key id.
/// </summary>
internal static class SpkiCodec
{
    /// <summary>id-Ed25519, RFC 8410.</summary>
    internal static readonly DerObjectIdentifier Ed25519Oid = EdECObjectIdentifiers.id_Ed25519;

    /// <summary>id-ecPublicKey, RFC 5480.</summary>
    internal static readonly DerObjectIdentifier EcPublicKeyOid = X9ObjectIdentifiers.IdECPublicKey;

    /// <summary>prime256v1 / secp256r1, RFC 5480 namedCurve.</summary>
    internal static readonly DerObjectIdentifier P256CurveOid = X9ObjectIdentifiers.Prime256v1;

    /// <summary>id-ml-dsa-65, 2.16.840.1.101.3.4.3.18 (FIPS 204; RFC 9881), parameters absent.</summary>
    internal static readonly DerObjectIdentifier MlDsa65Oid = NistObjectIdentifiers.id_ml_dsa_65;

    internal const int Ed25519PublicKeyLength = 32;
    internal const int P256PublicKeyLength = 65;
    internal const int MlDsa65PublicKeyLength = 1952;

    /// <summary>The SPKI DER of a raw public key: 32 bytes (Ed25519), the 65-byte uncompressed point (P-256), or the 1952-byte key (ML-DSA-65).</summary>
    internal static byte[] Encode(KeyAlgorithm algorithm, byte[] rawPublicKey)
    {
        AlgorithmIdentifier id = algorithm switch
        {
            KeyAlgorithm.Ed25519 => new AlgorithmIdentifier(Ed25519Oid),
            KeyAlgorithm.EcdsaP256 => new AlgorithmIdentifier(EcPublicKeyOid, P256CurveOid),
            KeyAlgorithm.MlDsa65 => new AlgorithmIdentifier(MlDsa65Oid),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
        };
        return new SubjectPublicKeyInfo(id, rawPublicKey).GetDerEncoded();
    }

    /// <summary>
    /// Parses SPKI DER into the algorithm and the raw public key bytes (layouts as for
    /// <see cref="Encode"/>). Checks structure, OID, parameters and length; point validity is
    /// checked by the verifier that decodes the key.
    /// </summary>
    /// <exception cref="CryptoFormatException">Not canonical SPKI DER of a supported algorithm.</exception>
    internal static (KeyAlgorithm Algorithm, byte[] RawPublicKey) Parse(ReadOnlySpan<byte> der)
    {
        if (der.IsEmpty)
        {
            throw new CryptoFormatException("The public key is empty; expected SubjectPublicKeyInfo DER.");
        }

        SubjectPublicKeyInfo info;
        try
        {
            info = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(der.ToArray()));
            if (!info.GetDerEncoded().AsSpan().SequenceEqual(der))
            {
                throw new CryptoFormatException("The public key is not canonical SubjectPublicKeyInfo DER (BER form, or bytes after the structure).");
            }
        }
        catch (CryptoFormatException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new CryptoFormatException("The public key is not a SubjectPublicKeyInfo DER structure.", e);
        }

        DerObjectIdentifier oid = info.Algorithm.Algorithm;
        Asn1Encodable? parameters = info.Algorithm.Parameters;
        DerBitString bits = info.PublicKey;
        if (bits.PadBits != 0)
        {
            throw new CryptoFormatException("The public key's BIT STRING has unused bits.");
        }
        byte[] raw = bits.GetOctets();

        if (oid.Equals(Ed25519Oid))
        {
            RequireAbsentParameters(parameters, "Ed25519");
            RequireLength(raw, Ed25519PublicKeyLength, "Ed25519");
            return (KeyAlgorithm.Ed25519, raw);
        }
        if (oid.Equals(EcPublicKeyOid))
        {
            if (parameters is not DerObjectIdentifier curve)
            {
                throw new CryptoFormatException("The EC public key does not name its curve; only the named curve prime256v1 (1.2.840.10045.3.1.7) is accepted, not explicit parameters.");
            }
            if (!curve.Equals(P256CurveOid))
            {
                throw new CryptoFormatException($"The EC public key is on curve {curve.Id}; only P-256 (prime256v1, 1.2.840.10045.3.1.7) is supported.");
            }
            if (raw.Length != P256PublicKeyLength || raw[0] != 0x04)
            {
                throw new CryptoFormatException("The P-256 public key must be the 65-byte uncompressed point (0x04 || X || Y).");
            }
            return (KeyAlgorithm.EcdsaP256, raw);
        }
        if (oid.Equals(MlDsa65Oid))
        {
            RequireAbsentParameters(parameters, "ML-DSA-65");
            RequireLength(raw, MlDsa65PublicKeyLength, "ML-DSA-65");
            return (KeyAlgorithm.MlDsa65, raw);
        }
        throw new CryptoFormatException($"The public key's algorithm {oid.Id} is not supported; expected Ed25519 (1.3.101.112), EC P-256 (1.2.840.10045.2.1 with prime256v1) or ML-DSA-65 (2.16.840.1.101.3.4.3.18).");
    }

    private static void RequireAbsentParameters(Asn1Encodable? parameters, string name)
    {
        if (parameters is not null)
        {
            throw new CryptoFormatException($"The {name} public key's AlgorithmIdentifier must have no parameters.");
        }
    }

    private static void RequireLength(byte[] raw, int expected, string name)
    {
        if (raw.Length != expected)
        {
            throw new CryptoFormatException($"The {name} public key is {raw.Length} bytes; expected {expected}.");
        }
    }
}
