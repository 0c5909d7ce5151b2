using KpRegistry.Crypto.Tests.TestSupport;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto.Tests;

/// <summary>Our keys, signatures and encodings against OpenSSL 3's, both ways. Skipped visibly when openssl is absent.</summary>
public class OpenSslInteropTests
{
    private static readonly byte[] Pae = KpRegistry.Domain.Envelopes.Pae.Encode(PayloadTypes.Certificate, "BW-2026-000123 payload bytes"u8);

    [Fact]
    public void Verify_Ed25519SignatureMadeByOpenSsl_IsAccepted()
    {
        using var openssl = OpenSsl.RequireOrSkip();
        openssl.Run("genpkey", "-algorithm", "ed25519", "-out", "key.pem");
        openssl.Run("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
        openssl.Write("pae.bin", Pae);
        openssl.Run("pkeyutl", "-sign", "-rawin", "-inkey", "key.pem", "-in", "pae.bin", "-out", "sig.bin");

        byte[] spki = PublicKeys.FromPem(openssl.ReadText("pub.pem"));
        var verifier = SignatureVerifiers.Create(KeyAlgorithm.Ed25519, spki);

        Assert.True(verifier.Verify(Pae, openssl.ReadBytes("sig.bin")));
        Assert.False(verifier.Verify(Bits.Flip(Pae, 3), openssl.ReadBytes("sig.bin")));
    }

    [Fact]
    public void Verify_P256SignatureMadeByOpenSsl_IsAccepted()
    {
        using var openssl = OpenSsl.RequireOrSkip();
        openssl.Run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        openssl.Run("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
        openssl.Write("pae.bin", Pae);
        byte[] spki = PublicKeys.FromPem(openssl.ReadText("pub.pem"));
        var verifier = SignatureVerifiers.Create(KeyAlgorithm.EcdsaP256, spki);

        // OpenSSL's ECDSA nonces are random: several signatures exercise several r, s lengths.
        for (int i = 0; i < 8; i++)
        {
            openssl.Run("dgst", "-sha256", "-sign", "key.pem", "-out", "sig.der", "pae.bin");
            Assert.True(verifier.Verify(Pae, openssl.ReadBytes("sig.der")));
        }
    }

    [Theory]
    [InlineData(KeyAlgorithm.Ed25519)]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    public void ImportPkcs8Pem_OpenSslGeneratedKey_HasOpenSslsPublicKeyAndSigns(KeyAlgorithm algorithm)
    {
        using var openssl = OpenSsl.RequireOrSkip();
        if (algorithm == KeyAlgorithm.Ed25519)
        {
            openssl.Run("genpkey", "-algorithm", "ed25519", "-out", "key.pem");
        }
        else
        {
            openssl.Run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        }
        openssl.Run("pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der");

        using var key = SigningKey.ImportPkcs8Pem(openssl.ReadText("key.pem"));

        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(openssl.ReadBytes("pub.der"), key.Spki);
        Assert.True(SignatureVerifiers.Create(algorithm, key.Spki).Verify(Pae, key.Sign(Pae)));
    }

    [Fact]
    public void Sign_Ed25519_OpenSslVerifiesOurSignatureWithOurPublicKeyPem()
    {
        using var openssl = OpenSsl.RequireOrSkip();
        using var key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        openssl.Write("pae.bin", Pae);
        openssl.Write("sig.bin", key.Sign(Pae));
        openssl.Write("pub.pem", PublicKeys.ToPem(key.Spki));

        ProcessResult ok = openssl.Run("pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "pae.bin", "-sigfile", "sig.bin");
        openssl.Write("pae.bin", Bits.Flip(Pae, 0));
        ProcessResult tampered = openssl.Run(allowFailure: true, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "pae.bin", "-sigfile", "sig.bin");

        Assert.Contains("Signature Verified Successfully", ok.StandardOutput);
        Assert.NotEqual(0, tampered.ExitCode);
    }

    [Fact]
    public void Sign_P256_OpenSslVerifiesOurSignatureWithOurPublicKeyPem()
    {
        using var openssl = OpenSsl.RequireOrSkip();
        using var key = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        openssl.Write("pae.bin", Pae);
        openssl.Write("sig.der", key.Sign(Pae));
        openssl.Write("pub.pem", PublicKeys.ToPem(key.Spki));

        ProcessResult ok = openssl.Run("dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "pae.bin");
        openssl.Write("pae.bin", Bits.Flip(Pae, 0));
        ProcessResult tampered = openssl.Run(allowFailure: true, "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "pae.bin");

        Assert.Contains("Verified OK", ok.StandardOutput);
        Assert.NotEqual(0, tampered.ExitCode);
    }

    [Theory]
    [InlineData(KeyAlgorithm.Ed25519)]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    public void ExportPkcs8Pem_OpenSslReadsOurPrivateKeyAndDerivesTheSamePublicKey(KeyAlgorithm algorithm)
    {
        using var openssl = OpenSsl.RequireOrSkip();
        using var key = SigningKey.Generate(algorithm);
        openssl.Write("key.pem", key.ExportPkcs8Pem());

        openssl.Run("pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der");
        openssl.Write("pae.bin", Pae);
        if (algorithm == KeyAlgorithm.Ed25519)
        {
            openssl.Run("pkeyutl", "-sign", "-rawin", "-inkey", "key.pem", "-in", "pae.bin", "-out", "sig.bin");
            // Ed25519 is deterministic: OpenSSL's signature with our key is byte for byte ours.
            Assert.Equal(key.Sign(Pae), openssl.ReadBytes("sig.bin"));
        }

        Assert.Equal(key.Spki, openssl.ReadBytes("pub.der"));
    }

    [Theory]
    [InlineData(KeyAlgorithm.Ed25519, "ED25519 Public-Key")]
    [InlineData(KeyAlgorithm.EcdsaP256, "ASN1 OID: prime256v1")]
    public void ToPem_OpenSslParsesOurSpkiAsTheStandardForm(KeyAlgorithm algorithm, string expected)
    {
        using var openssl = OpenSsl.RequireOrSkip();
        using var key = SigningKey.Generate(algorithm);
        openssl.Write("pub.pem", PublicKeys.ToPem(key.Spki));

        ProcessResult text = openssl.Run("pkey", "-pubin", "-in", "pub.pem", "-noout", "-text");

        Assert.Contains(expected, text.StandardOutput);
    }
}
