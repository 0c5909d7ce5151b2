using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Math;

namespace KpRegistry.Crypto.Tests.TestSupport;

/// <summary>
/// DER SEQUENCE { r, s } for ANY integers, out of range or negative included: the signing codec
/// refuses to write those, and the tests need them to show the verifier refuses them.
/// </summary>
internal static class EcdsaDer
{
    public static byte[] Encode(BigInteger r, BigInteger s) => new DerSequence(new DerInteger(r), new DerInteger(s)).GetDerEncoded();
}
