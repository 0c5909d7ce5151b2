using System.Security.Cryptography;
using System.Text;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto.Tests;

public class SigningKeyTests
{
    public static readonly TheoryData<KeyAlgorithm> Algorithms = new(KeyAlgorithm.Ed25519, KeyAlgorithm.EcdsaP256, KeyAlgorithm.MlDsa65);

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Sign_FreshKey_VerifiesWithItsOwnSpki(KeyAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        byte[] message = "a certificate's PAE bytes"u8.ToArray();

        byte[] signature = key.Sign(message);

        Assert.Equal(algorithm, key.Algorithm);
        Assert.True(SignatureVerifiers.Create(algorithm, key.Spki).Verify(message, signature));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void KeyId_AnyKey_IsLowercaseHexSha256OfSpki(KeyAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);

        Assert.True(KeyIds.IsWellFormed(key.KeyId));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key.Spki)), key.KeyId);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Generate_Twice_GivesDifferentKeys(KeyAlgorithm algorithm)
    {
        using var a = SigningKey.Generate(algorithm);
        using var b = SigningKey.Generate(algorithm);

        Assert.NotEqual(a.KeyId, b.KeyId);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void ImportPkcs8Pem_ExportedKey_SignsAsTheSameKey(KeyAlgorithm algorithm)
    {
        using var original = SigningKey.Generate(algorithm);
        string pem = original.ExportPkcs8Pem();

        using var imported = SigningKey.ImportPkcs8Pem(pem);
        byte[] message = "round trip"u8.ToArray();

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", pem);
        Assert.Equal(original.KeyId, imported.KeyId);
        Assert.Equal(algorithm, imported.Algorithm);
        Assert.True(SignatureVerifiers.Create(algorithm, original.Spki).Verify(message, imported.Sign(message)));
    }

    [Theory]
    [InlineData(KeyAlgorithm.Ed25519)]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    public void Sign_DeterministicAlgorithm_SameMessageGivesSameSignature(KeyAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);

        Assert.Equal(key.Sign("m"u8), key.Sign("m"u8));
    }

    [Fact]
    public void Sign_MlDsa65GeneratedKey_IsHedgedAndDiffersPerCall()
    {
        using var key = SigningKey.Generate(KeyAlgorithm.MlDsa65);

        byte[] first = key.Sign("m"u8);
        byte[] second = key.Sign("m"u8);

        Assert.Equal(3309, first.Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Sign_Ed25519Rfc8032Test1_MatchesRfcSignature()
    {
        // RFC 8032 section 7.1, TEST 1 (empty message).
        byte[] seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        using var key = SigningKey.FromTestVectorSeed(KeyAlgorithm.Ed25519, seed);

        byte[] signature = key.Sign([]);

        Assert.Equal("302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(key.Spki));
        Assert.Equal(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            Convert.ToHexStringLower(signature));
    }

    [Theory]
    [InlineData("sample", "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716", "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8")]
    [InlineData("test", "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367", "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083")]
    public void Sign_P256Rfc6979Vector_MatchesRfcRAndS(string message, string r, string s)
    {
        // RFC 6979 appendix A.2.5, P-256 with SHA-256.
        byte[] scalar = Convert.FromHexString("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
        using var key = SigningKey.FromTestVectorSeed(KeyAlgorithm.EcdsaP256, scalar);

        byte[] der = key.Sign(Encoding.ASCII.GetBytes(message));

        Assert.True(P256.TryDecodeSignature(der, out var actualR, out var actualS));
        Assert.Equal(r, Convert.ToHexStringLower(actualR.ToByteArrayUnsigned()));
        Assert.Equal(s, Convert.ToHexStringLower(actualS.ToByteArrayUnsigned()).PadLeft(64, '0'));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void ToString_AnyKey_ShowsAlgorithmAndIdButNoKeyMaterial(KeyAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);
        string pkcs8Base64 = PemBody(key.ExportPkcs8Pem());

        string text = key.ToString();

        Assert.Equal($"SigningKey({algorithm}, {key.KeyId})", text);
        Assert.DoesNotContain(pkcs8Base64[..16], text);
    }

    [Fact]
    public void Sign_AfterDispose_ThrowsObjectDisposed()
    {
        var key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Sign("m"u8));
        Assert.Throws<ObjectDisposedException>(() => key.ExportPkcs8Pem());
    }

    [Fact]
    public void ImportPkcs8Pem_NoPrivateKeyBlock_ThrowsCryptoFormatException()
    {
        var e = Assert.Throws<CryptoFormatException>(() => SigningKey.ImportPkcs8Pem("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n"));
        Assert.Contains("BEGIN PRIVATE KEY", e.Message);
    }

    [Fact]
    public void ImportPkcs8Pem_EncryptedKey_SaysItMustBeUnencrypted()
    {
        string pem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END ENCRYPTED PRIVATE KEY-----\n";

        var e = Assert.Throws<CryptoFormatException>(() => SigningKey.ImportPkcs8Pem(pem));

        Assert.Contains("unencrypted", e.Message);
        Assert.DoesNotContain("MCowBQYDK2Vw", e.Message);
    }

    [Fact]
    public void ImportPkcs8Der_Garbage_ThrowsWithoutQuotingTheBytes()
    {
        byte[] garbage = [0x30, 0x82, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef];

        var e = Assert.Throws<CryptoFormatException>(() => SigningKey.ImportPkcs8Der(garbage));

        Assert.Null(e.InnerException);
        Assert.DoesNotContain("dead", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ImportPkcs8Der_P256KeyWithMismatchedPublicKey_IsRefused()
    {
        using var a = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        using var b = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        byte[] aDer = a.ExportPkcs8Der();
        byte[] bPublic = b.Spki[^65..];
        byte[] aPublic = a.Spki[^65..];
        int at = aDer.AsSpan().IndexOf(aPublic);
        Assert.True(at > 0, "the exported EC PKCS#8 embeds the public key");
        bPublic.CopyTo(aDer, at);

        var e = Assert.Throws<CryptoFormatException>(() => SigningKey.ImportPkcs8Der(aDer));

        Assert.Contains("does not match", e.Message);
    }

    [Fact]
    public void Sign_ManyThreadsOneKey_AllSignaturesVerify()
    {
        foreach (KeyAlgorithm algorithm in new[] { KeyAlgorithm.Ed25519, KeyAlgorithm.EcdsaP256 })
        {
            using var key = SigningKey.Generate(algorithm);
            var verifier = SignatureVerifiers.Create(algorithm, key.Spki);
            int failures = 0;

            Parallel.For(0, 400, i =>
            {
                byte[] message = BitConverter.GetBytes(i);
                if (!verifier.Verify(message, key.Sign(message)))
                {
                    Interlocked.Increment(ref failures);
                }
            });

            Assert.Equal(0, failures);
        }
    }

    internal static string PemBody(string pem) =>
        string.Concat(pem.Split('\n').Where(line => line.Length > 0 && !line.StartsWith("-----", StringComparison.Ordinal)));
}
