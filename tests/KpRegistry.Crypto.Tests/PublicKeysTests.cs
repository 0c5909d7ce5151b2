using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto.Tests;

public class PublicKeysTests
{
    [Theory]
    [MemberData(nameof(SigningKeyTests.Algorithms), MemberType = typeof(SigningKeyTests))]
    public void FromPem_ToPemOfSpki_GivesTheSameDer(KeyAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);

        string pem = PublicKeys.ToPem(key.Spki);
        byte[] der = PublicKeys.FromPem(pem);

        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", pem);
        Assert.EndsWith("-----END PUBLIC KEY-----\n", pem);
        Assert.Equal(key.Spki, der);
        Assert.Equal(key.Spki, PublicKeys.FromPemOrDer(System.Text.Encoding.ASCII.GetBytes(pem)));
        Assert.Equal(key.Spki, PublicKeys.FromPemOrDer(key.Spki));
    }

    [Theory]
    [MemberData(nameof(SigningKeyTests.Algorithms), MemberType = typeof(SigningKeyTests))]
    public void DetectAlgorithm_SpkiOfKey_IsTheKeysAlgorithm(KeyAlgorithm algorithm)
    {
        using var key = SigningKey.Generate(algorithm);

        Assert.Equal(algorithm, PublicKeys.DetectAlgorithm(key.Spki));
    }

    [Fact]
    public void DetectAlgorithm_UnknownAlgorithm_Throws()
    {
        // An RSA-like AlgorithmIdentifier (rsaEncryption, NULL) around a tiny BIT STRING.
        byte[] spki = Convert.FromHexString("3014300d06092a864886f70d01010105000303000102");

        var e = Assert.Throws<CryptoFormatException>(() => PublicKeys.DetectAlgorithm(spki));

        Assert.Contains("1.2.840.113549.1.1.1", e.Message);
    }

    [Fact]
    public void FromPem_PrivateKeyPem_IsRefused()
    {
        using var key = SigningKey.Generate(KeyAlgorithm.Ed25519);

        var e = Assert.Throws<CryptoFormatException>(() => PublicKeys.FromPem(key.ExportPkcs8Pem()));

        Assert.Contains("BEGIN PUBLIC KEY", e.Message);
    }

    [Fact]
    public void Spki_Ed25519_IsTheFixedRfc8410Form()
    {
        using var key = SigningKey.Generate(KeyAlgorithm.Ed25519);

        Assert.Equal(44, key.Spki.Length);
        Assert.Equal("302a300506032b6570032100", Convert.ToHexStringLower(key.Spki[..12]));
    }

    [Fact]
    public void Spki_P256_IsNamedCurveUncompressedForm()
    {
        using var key = SigningKey.Generate(KeyAlgorithm.EcdsaP256);

        Assert.Equal(91, key.Spki.Length);
        Assert.Equal("3059301306072a8648ce3d020106082a8648ce3d03010703420004", Convert.ToHexStringLower(key.Spki[..27]));
    }

    [Fact]
    public void Spki_MlDsa65_HasFips204OidAndNoParameters()
    {
        using var key = SigningKey.Generate(KeyAlgorithm.MlDsa65);

        Assert.Equal(1974, key.Spki.Length);
        Assert.Equal("308207b2300b0609608648016503040312038207a100", Convert.ToHexStringLower(key.Spki[..22]));
    }
}
