using KpRegistry.Crypto.Tests.TestSupport;
using Org.BouncyCastle.Math;

namespace KpRegistry.Crypto.Tests;

public class P256SignatureCodecTests
{
    private static readonly BigInteger R = new("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296", 16);
    private static readonly BigInteger S = new("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", 16);

    [Fact]
    public void TryDecodeSignature_WhatEncodeSignatureWrites_ReadsBackTheSameValues()
    {
        byte[] der = P256.EncodeSignature(R, S);

        Assert.True(P256.TryDecodeSignature(der, out BigInteger r, out BigInteger s));
        Assert.Equal(R, r);
        Assert.Equal(S, s);
        Assert.Equal(der, EcdsaDer.Encode(R, S));
    }

    [Fact]
    public void TryDecodeSignature_HighBitIntegerWithoutItsZeroByte_ReturnsFalse()
    {
        // n - 1 has its top bit set: DER needs a 0x00 first, and without it the INTEGER is negative.
        BigInteger high = P256.N.Subtract(BigInteger.One);
        byte[] good = EcdsaDer.Encode(high, S);
        byte[] magnitude = high.ToByteArrayUnsigned();
        byte[] sInteger = good[(4 + 33)..];
        byte[] negative = [0x30, (byte)(2 + magnitude.Length + sInteger.Length), 0x02, (byte)magnitude.Length, .. magnitude, .. sInteger];

        Assert.True(P256.TryDecodeSignature(good, out _, out _));
        Assert.False(P256.TryDecodeSignature(negative, out _, out _));
    }

    [Fact]
    public void TryDecodeSignature_ZeroOrOutOfRange_ReturnsFalse()
    {
        Assert.False(P256.TryDecodeSignature(EcdsaDer.Encode(R, BigInteger.Zero), out _, out _));
        Assert.False(P256.TryDecodeSignature(EcdsaDer.Encode(P256.N, S), out _, out _));
        Assert.False(P256.TryDecodeSignature(EcdsaDer.Encode(R, S.Negate()), out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("3006020101020101ff")]
    [InlineData("310602010102010100")]
    [InlineData("30060201010401010000")]
    [InlineData("3008020101020101")]
    public void TryDecodeSignature_NotOneDerSequenceOfTwoIntegers_ReturnsFalse(string hex)
    {
        Assert.False(P256.TryDecodeSignature(Convert.FromHexString(hex), out _, out _));
    }

    [Fact]
    public void EncodeSignature_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentException>(() => P256.EncodeSignature(P256.N, S));
        Assert.Throws<ArgumentException>(() => P256.EncodeSignature(R, S.Negate()));
    }
}
