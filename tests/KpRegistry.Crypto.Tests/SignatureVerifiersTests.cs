using KpRegistry.Crypto.Tests.TestSupport;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using Org.BouncyCastle.Math;

namespace KpRegistry.Crypto.Tests;

public class SignatureVerifiersTests
{
    private static readonly byte[] Payload = "serialised certificate bytes"u8.ToArray();

    [Theory]
    [MemberData(nameof(SigningKeyTests.Algorithms), MemberType = typeof(SigningKeyTests))]
    public void Verify_OneBitFlippedInPaeMessage_ReturnsFalse(KeyAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        byte[] pae = Pae.Encode(PayloadTypes.Certificate, Payload);
        byte[] signature = key.Sign(pae);
        var verifier = SignatureVerifiers.Create(algorithm, key.Spki);

        Assert.True(verifier.Verify(pae, signature));
        Assert.False(verifier.Verify(Bits.Flip(pae, pae.Length - 1), signature));
        Assert.False(verifier.Verify(Bits.Flip(pae, 0, 7), signature));
    }

    [Theory]
    [MemberData(nameof(SigningKeyTests.Algorithms), MemberType = typeof(SigningKeyTests))]
    public void Verify_PayloadTypeChangedThroughPae_ReturnsFalse(KeyAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        byte[] signature = key.Sign(Pae.Encode(PayloadTypes.Certificate, Payload));
        var verifier = SignatureVerifiers.Create(algorithm, key.Spki);
        // One bit: 'c' (0x63) -> 'b' (0x62) in "certificate" would be two; flip the low bit of the last character instead.
        string flipped = PayloadTypes.Certificate[..^1] + (char)(PayloadTypes.Certificate[^1] ^ 1);

        Assert.False(verifier.Verify(Pae.Encode(flipped, Payload), signature));
        Assert.False(verifier.Verify(Pae.Encode(PayloadTypes.TrustList, Payload), signature));
    }

    [Theory]
    [MemberData(nameof(SigningKeyTests.Algorithms), MemberType = typeof(SigningKeyTests))]
    public void Verify_OneBitFlippedInSignature_ReturnsFalse(KeyAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        byte[] signature = key.Sign(Payload);
        var verifier = SignatureVerifiers.Create(algorithm, key.Spki);

        Assert.False(verifier.Verify(Payload, Bits.Flip(signature, signature.Length / 2)));
        Assert.False(verifier.Verify(Payload, Bits.Flip(signature, signature.Length - 1, 7)));
    }

    [Theory]
    [MemberData(nameof(SigningKeyTests.Algorithms), MemberType = typeof(SigningKeyTests))]
    public void Verify_TruncatedEmptyOrOversizedSignature_ReturnsFalseWithoutThrowing(KeyAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        byte[] signature = key.Sign(Payload);
        var verifier = SignatureVerifiers.Create(algorithm, key.Spki);

        Assert.False(verifier.Verify(Payload, []));
        Assert.False(verifier.Verify(Payload, signature[..^1]));
        Assert.False(verifier.Verify(Payload, [.. signature, 0]));
        Assert.False(verifier.Verify(Payload, new byte[signature.Length]));
        Assert.False(verifier.Verify(Payload, Enumerable.Repeat((byte)0xff, signature.Length).ToArray()));
    }

    [Theory]
    [MemberData(nameof(SigningKeyTests.Algorithms), MemberType = typeof(SigningKeyTests))]
    public void Verify_SignatureByAnotherKey_ReturnsFalse(KeyAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        using var other = SigningKey.Generate(algorithm);

        Assert.False(SignatureVerifiers.Create(algorithm, other.Spki).Verify(Payload, key.Sign(Payload)));
    }

    [Theory]
    [InlineData(KeyAlgorithm.Ed25519, KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.EcdsaP256, KeyAlgorithm.Ed25519)]
    [InlineData(KeyAlgorithm.MlDsa65, KeyAlgorithm.Ed25519)]
    [InlineData(KeyAlgorithm.Ed25519, KeyAlgorithm.MlDsa65)]
    public void Create_SpkiOfAnotherAlgorithmThanRegistered_IsRefused(KeyAlgorithm actual, KeyAlgorithm registered)
    {
        using var key = SigningKey.Generate(actual);

        var e = Assert.Throws<CryptoFormatException>(() => SignatureVerifiers.Create(registered, key.Spki));

        Assert.Contains($"registered as {registered}", e.Message);
        Assert.IsAssignableFrom<ArgumentException>(e);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("3000")]
    [InlineData("deadbeefdeadbeef")]
    [InlineData("302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a00")] // trailing byte
    [InlineData("302a300506032b6571032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")] // Ed448 OID
    [InlineData("3029300506032b6570032000d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f70751")] // 31-byte key
    public void Create_GarbageSpki_IsRefusedWithClearMessage(string hex)
    {
        byte[] spki = Convert.FromHexString(hex);

        var e = Assert.Throws<CryptoFormatException>(() => SignatureVerifiers.Create(KeyAlgorithm.Ed25519, spki));

        Assert.Contains("public key", e.Message);
    }

    [Fact]
    public void Create_P256PointNotOnCurve_IsRefused()
    {
        using var key = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        byte[] spki = Bits.Flip(key.Spki, key.Spki.Length - 1);

        Assert.Throws<CryptoFormatException>(() => SignatureVerifiers.Create(KeyAlgorithm.EcdsaP256, spki));
    }

    [Fact]
    public void Create_P256WithCompressedPoint_IsRefusedSoEachKeyHasOneId()
    {
        using var key = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        var point = P256.DecodePoint(key.Spki[^65..])!;
        byte[] spki = new Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo(
            new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(SpkiCodec.EcPublicKeyOid, SpkiCodec.P256CurveOid),
            point.GetEncoded(compressed: true)).GetDerEncoded();

        var e = Assert.Throws<CryptoFormatException>(() => SignatureVerifiers.Create(KeyAlgorithm.EcdsaP256, spki));

        Assert.Contains("uncompressed", e.Message);
    }

    [Fact]
    public void Create_Ed25519SmallOrderPoint_IsRefused()
    {
        // The identity point (0, 1): every signature with R = identity and S = 0 would verify against it.
        byte[] identity = new byte[32];
        identity[0] = 1;
        byte[] spki = SpkiCodec.Encode(KeyAlgorithm.Ed25519, identity);

        Assert.Throws<CryptoFormatException>(() => SignatureVerifiers.Create(KeyAlgorithm.Ed25519, spki));
    }

    [Fact]
    public void Verify_P256HighSVariant_IsAcceptedAsOpenSslDoes()
    {
        using var key = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        byte[] signature = key.Sign(Payload);
        Assert.True(P256.TryDecodeSignature(signature, out BigInteger r, out BigInteger s));
        byte[] mirrored = EcdsaDer.Encode(r, P256.N.Subtract(s));

        Assert.True(SignatureVerifiers.Create(KeyAlgorithm.EcdsaP256, key.Spki).Verify(Payload, mirrored));
    }

    [Fact]
    public void Verify_P256NonCanonicalDerEncodings_ReturnFalse()
    {
        using var key = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        byte[] signature = key.Sign(Payload);
        var verifier = SignatureVerifiers.Create(KeyAlgorithm.EcdsaP256, key.Spki);
        Assert.True(P256.TryDecodeSignature(signature, out BigInteger r, out BigInteger s));
        byte[] rBytes = r.ToByteArray();
        byte[] sBytes = s.ToByteArray();

        // A needless leading zero on r.
        byte[] paddedR = [0x02, (byte)(rBytes.Length + 1), 0x00, .. rBytes];
        byte[] sInteger = [0x02, (byte)sBytes.Length, .. sBytes];
        byte[] needlessZero = [0x30, (byte)(paddedR.Length + sInteger.Length), .. paddedR, .. sInteger];
        // Long-form length where the short form is required.
        byte[] longForm = [0x30, 0x81, .. signature[1..]];
        // Trailing garbage after the SEQUENCE.
        byte[] trailing = [.. signature, 0x00];
        // r + n: the same residue, but out of range.
        byte[] rPlusN = EcdsaDer.Encode(r.Add(P256.N), s);
        // Negative s (the two's complement form of -s).
        byte[] negativeS = EcdsaDer.Encode(r, s.Negate());

        Assert.True(verifier.Verify(Payload, signature));
        Assert.False(verifier.Verify(Payload, needlessZero));
        Assert.False(verifier.Verify(Payload, longForm));
        Assert.False(verifier.Verify(Payload, trailing));
        Assert.False(verifier.Verify(Payload, rPlusN));
        Assert.False(verifier.Verify(Payload, negativeS));
        Assert.False(verifier.Verify(Payload, EcdsaDer.Encode(BigInteger.Zero, s)));
    }

    [Fact]
    public void Verify_ManyThreadsOneVerifier_AllAgree()
    {
        foreach (KeyAlgorithm algorithm in new[] { KeyAlgorithm.Ed25519, KeyAlgorithm.EcdsaP256, KeyAlgorithm.MlDsa65 })
        {
            using var key = SigningKey.Generate(algorithm);
            byte[] good = key.Sign(Payload);
            byte[] bad = Bits.Flip(good, 5);
            var verifier = SignatureVerifiers.Create(algorithm, key.Spki);
            int wrong = 0;

            Parallel.For(0, 200, i =>
            {
                bool expected = i % 2 == 0;
                if (verifier.Verify(Payload, expected ? good : bad) != expected)
                {
                    Interlocked.Increment(ref wrong);
                }
            });

            Assert.Equal(0, wrong);
        }
    }
}
