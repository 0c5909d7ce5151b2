using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
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

    /// <summary>The DER SEQUENCE { r INTEGER, s INTEGER } of X9.62 / RFC 5480.</summary>
    internal static byte[] EncodeSignature(BigInteger r, BigInteger s)
    {
        byte[] rBytes = r.ToByteArray(); // two's complement, minimal: exactly the DER INTEGER content
        byte[] sBytes = s.ToByteArray();
        int bodyLength = 2 + rBytes.Length + 2 + sBytes.Length; // at most 2 + 33 + 2 + 33 = 70 < 128
        var der = new byte[2 + bodyLength];
        der[0] = 0x30;
        der[1] = (byte)bodyLength;
        der[2] = 0x02;
        der[3] = (byte)rBytes.Length;
        rBytes.CopyTo(der, 4);
        int at = 4 + rBytes.Length;
        der[at] = 0x02;
        der[at + 1] = (byte)sBytes.Length;
        sBytes.CopyTo(der, at + 2);
        return der;
    }

    /// <summary>
    /// Reads a DER ECDSA signature strictly: short-form lengths, minimal positive INTEGERs,
    /// nothing after the SEQUENCE, and 1 &lt;= r, s &lt; n. Any other input is refused without
    /// throwing, so a BER variant or a malleated encoding of a valid signature never verifies.
    /// </summary>
    internal static bool TryDecodeSignature(ReadOnlySpan<byte> der, out BigInteger r, out BigInteger s)
    {
        r = s = BigInteger.Zero;
        if (der.Length < 8 || der.Length > 72 || der[0] != 0x30 || der[1] != der.Length - 2)
        {
            return false;
        }
        ReadOnlySpan<byte> body = der[2..];
        if (!TryReadInteger(ref body, out r) || !TryReadInteger(ref body, out s) || !body.IsEmpty)
        {
            return false;
        }
        return r.CompareTo(N) < 0 && s.CompareTo(N) < 0;
    }

    private static bool TryReadInteger(ref ReadOnlySpan<byte> input, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (input.Length < 3 || input[0] != 0x02)
        {
            return false;
        }
        int length = input[1];
        if (length is < 1 or > 33 || input.Length < 2 + length)
        {
            return false;
        }
        ReadOnlySpan<byte> content = input.Slice(2, length);
        bool negative = (content[0] & 0x80) != 0;
        bool needlessZero = length > 1 && content[0] == 0 && (content[1] & 0x80) == 0;
        if (negative || needlessZero)
        {
            return false;
        }
        value = new BigInteger(1, content);
        input = input[(2 + length)..];
        return value.SignValue > 0;
    }
}
