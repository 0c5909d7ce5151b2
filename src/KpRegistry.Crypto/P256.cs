using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace KpRegistry.Crypto;

/// <summary>
/// P-256 on BouncyCastle's optimised custom curve (SecP256R1Curve), which verifies several times
/// faster than the generic named curve (DESIGN.md), named by its OID so that keys export as the
/// standard named-curve form. Also the strict DER codec of ECDSA signatures.
/// </summary>
internal static class P256
{
    internal static readonly ECNamedDomainParameters Domain = new(
        SpkiCodec.P256CurveOid,
        CustomNamedCurves.GetByOid(SpkiCodec.P256CurveOid) ?? throw new InvalidOperationException("BouncyCastle has no custom P-256 curve."));

    internal static BigInteger N => Domain.N;

    /// <summary>The public point for a raw 65-byte uncompressed encoding, validated and normalised, or null when it is not a point of P-256.</summary>
    internal static ECPoint? DecodePoint(byte[] uncompressed)
    {
        try
        {
            ECPoint point = Domain.Curve.DecodePoint(uncompressed).Normalize();
            return point.IsInfinity || !point.IsValid() ? null : point;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A valid private scalar (1 &lt;= d &lt; n), or null.</summary>
    internal static ECPrivateKeyParameters? PrivateKey(BigInteger d) =>
        d.SignValue > 0 && d.CompareTo(N) < 0 ? new ECPrivateKeyParameters(d, Domain) : null;

    internal static byte[] EncodePoint(ECPoint point) => point.GetEncoded(compressed: false);

    /// <summary>The DER SEQUENCE { r INTEGER, s INTEGER } of X9.62 / RFC 5480, for 0 &lt;= r, s &lt; n.</summary>
    internal static byte[] EncodeSignature(BigInteger r, BigInteger s) => StandardDsaEncoding.Instance.Encode(N, r, s);

    /// <summary>
    /// Reads a DER ECDSA signature strictly: BouncyCastle's <see cref="StandardDsaEncoding"/>
    /// refuses r or s outside [0, n) and any input that is not exactly the DER it would write itself
    /// (long-form lengths, needless leading zeros, negative INTEGERs, bytes after the SEQUENCE);
    /// zero is refused here. Any other input is refused without throwing, so a BER variant or a
    /// malleated encoding of a valid signature never verifies.
    /// </summary>
    internal static bool TryDecodeSignature(ReadOnlySpan<byte> der, out BigInteger r, out BigInteger s)
    {
        r = s = BigInteger.Zero;
        if (der.Length is < 8 or > MaxSignatureLength)
        {
            return false;
        }
        BigInteger[] rs;
        try
        {
            rs = StandardDsaEncoding.Instance.Decode(N, der.ToArray());
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException or InvalidOperationException)
        {
            // Untrusted bytes: the ASN.1 parser's every refusal is a "no".
            return false;
        }
        if (rs[0].SignValue <= 0 || rs[1].SignValue <= 0)
        {
            return false;
        }
        (r, s) = (rs[0], rs[1]);
        return true;
    }

    /// <summary>SEQUENCE header (2) and two INTEGERs of at most 33 content bytes each (2 + 33).</summary>
    private const int MaxSignatureLength = 2 + (2 * (2 + 33));
}
