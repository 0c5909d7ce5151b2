using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Crypto.Tests.TestSupport;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto.Tests;

/// <summary>
/// Pins docs/FORMAT.md to the code: every published value is recomputed from the fixed inputs in
/// <see cref="TestVectors"/> and compared with the document, and the document's OpenSSL commands
/// are run as written. A change to either side without the other fails here.
/// </summary>
public class FormatDocumentTests
{
    private static readonly FormatDocument Doc = FormatDocument.Load();

    [Fact]
    public void PaeExample_DocumentHex_EqualsEncoderOutput()
    {
        byte[] expected = Pae.Encode("http://example.com/HelloWorld", "hello world"u8);

        Assert.Equal(Convert.ToHexStringLower(expected), Doc.Hex("pae-example"));
        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.ASCII.GetString(Doc.Bytes("pae-example")));
    }

    [Fact]
    public void CertificatePayload_DocumentHex_EqualsSerialisedVectorCertificate()
    {
        Assert.Equal(Convert.ToHexStringLower(TestVectors.Payload()), Doc.Hex("certificate-payload"));
    }

    [Fact]
    public void CertificatePayload_DocumentHex_ParsesBackToTheVectorCertificate()
    {
        Certificate parsed = Certificate.Parser.ParseFrom(Doc.Bytes("certificate-payload"));

        Assert.Equal(TestVectors.Certificate(), parsed);
    }

    [Fact]
    public void CertificateJson_Document_ParsesToTheVectorCertificate()
    {
        Certificate parsed = JsonParser.Default.Parse<Certificate>(Doc.Text("certificate-json"));

        Assert.Equal(TestVectors.Certificate(), parsed);
    }

    [Fact]
    public void Certificate_Vector_SetsEveryCertificateField()
    {
        // Every field of the message has a non-default value, so the vector exercises every encoding.
        Certificate certificate = TestVectors.Certificate();

        foreach (var field in Certificate.Descriptor.Fields.InFieldNumberOrder())
        {
            // The vector is an original certificate; replaces_certificate_number (a string, encoded
            // like certificate_number) is set only on a replacement. TODO(#10): a replacement vector.
            if (field.FieldNumber == Certificate.ReplacesCertificateNumberFieldNumber)
            {
                continue;
            }
            object value = field.Accessor.GetValue(certificate);
            bool set = value switch
            {
                string s => s.Length > 0,
                System.Collections.IList list => list.Count > 0,
                uint u => u != 0,
                ulong u => u != 0,
                IMessage m => m.CalculateSize() > 0,
                _ => throw new InvalidOperationException($"Unexpected field type {value.GetType()} for {field.Name}."),
            };
            Assert.True(set, $"Certificate.{field.Name} is not set in the test vector.");
        }
    }

    [Fact]
    public void CertificatePae_DocumentHex_EqualsPaeOfPayload()
    {
        byte[] pae = Doc.Bytes("certificate-pae");

        Assert.Equal(Convert.ToHexStringLower(TestVectors.CertificatePae()), Doc.Hex("certificate-pae"));
        Assert.StartsWith($"DSSEv1 42 {PayloadTypes.Certificate} 621 ", Encoding.ASCII.GetString(pae, 0, 60));
        Assert.Equal(678, pae.Length);
    }

    [Theory]
    [InlineData(KeyAlgorithm.Ed25519, "ed25519")]
    [InlineData(KeyAlgorithm.EcdsaP256, "p256")]
    public void VectorKey_SeedSpkiKeyIdAndPem_EqualDocument(KeyAlgorithm algorithm, string prefix)
    {
        using var key = TestVectors.Key(algorithm);

        Assert.Equal(Convert.ToHexStringLower(TestVectors.Seed(algorithm)), Doc.Hex($"{prefix}-seed"));
        Assert.Equal(Convert.ToHexStringLower(key.Spki), Doc.Hex($"{prefix}-spki"));
        Assert.Equal(key.KeyId, Doc.Hex($"{prefix}-key-id"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Doc.Bytes($"{prefix}-spki"))), Doc.Hex($"{prefix}-key-id"));
        Assert.Equal(PublicKeys.ToPem(key.Spki), Doc.Text($"{prefix}-public-pem"));
    }

    [Theory]
    [InlineData(KeyAlgorithm.Ed25519, "ed25519")]
    [InlineData(KeyAlgorithm.EcdsaP256, "p256")]
    public void VectorSignature_RecomputedFromSeed_EqualsDocumentAndVerifies(KeyAlgorithm algorithm, string prefix)
    {
        using var key = TestVectors.Key(algorithm);
        byte[] pae = Doc.Bytes("certificate-pae");

        byte[] signature = key.Sign(pae);

        Assert.Equal(Convert.ToHexStringLower(signature), Doc.Hex($"{prefix}-signature"));
        var verifier = SignatureVerifiers.Create(algorithm, PublicKeys.FromPem(Doc.Text($"{prefix}-public-pem")));
        Assert.True(verifier.Verify(pae, Doc.Bytes($"{prefix}-signature")));
    }

    [Fact]
    public void VectorEnvelope_DocumentHex_EqualsEnvelopeSignerOutputAndVerifies()
    {
        using var ed = TestVectors.Key(KeyAlgorithm.Ed25519);
        using var ec = TestVectors.Key(KeyAlgorithm.EcdsaP256);

        SignedEnvelope envelope = EnvelopeSigner.Sign(PayloadTypes.Certificate, TestVectors.Payload(), ed, ec);

        Assert.Equal(Convert.ToHexStringLower(envelope.ToByteArray()), Doc.Hex("certificate-envelope"));
        SignedEnvelope published = SignedEnvelope.Parser.ParseFrom(Doc.Bytes("certificate-envelope"));
        byte[] pae = Pae.Encode(published.PayloadType, published.Payload.Span);
        Assert.Equal(Doc.Hex("ed25519-key-id"), published.Signatures[0].KeyId);
        Assert.Equal(Doc.Hex("p256-key-id"), published.Signatures[1].KeyId);
        Assert.True(SignatureVerifiers.Create(KeyAlgorithm.Ed25519, Doc.Bytes("ed25519-spki")).Verify(pae, published.Signatures[0].Sig.Span));
        Assert.True(SignatureVerifiers.Create(KeyAlgorithm.EcdsaP256, Doc.Bytes("p256-spki")).Verify(pae, published.Signatures[1].Sig.Span));
    }

    [Fact]
    public void MlDsa65Vector_DataFile_MatchesSeedAndDocumentAndVerifies()
    {
        Dictionary<string, string> data = FormatDocument.ReadDataFile("ml-dsa-65.txt");
        byte[] spki = Convert.FromHexString(data["spki"]);
        byte[] signature = Convert.FromHexString(data["signature"]);
        byte[] pae = Doc.Bytes("certificate-pae");
        using var key = TestVectors.Key(KeyAlgorithm.MlDsa65);

        Assert.Equal(Convert.ToHexStringLower(TestVectors.Seed(KeyAlgorithm.MlDsa65)), data["seed"]);
        Assert.Equal(Convert.ToHexStringLower(key.Spki), data["spki"]);
        Assert.Equal(key.KeyId, data["key-id"]);
        Assert.Equal(key.KeyId, Doc.Hex("ml-dsa-65-key-id"));
        Assert.Equal(PublicKeys.ToPem(spki), File.ReadAllText(Path.Combine(FormatDocument.TestVectorDirectory, "ml-dsa-65.pub.pem")));
        Assert.Equal(3309, signature.Length);
        Assert.True(SignatureVerifiers.Create(KeyAlgorithm.MlDsa65, spki).Verify(pae, signature));
        Assert.False(SignatureVerifiers.Create(KeyAlgorithm.MlDsa65, spki).Verify(Bits.Flip(pae, 100), signature));
        // The vector key signs deterministically (rnd = 0^32): the published signature is reproducible.
        Assert.Equal(data["signature"], Convert.ToHexStringLower(key.Sign(pae)));
    }

    [Theory]
    [InlineData(KeyAlgorithm.Ed25519, "spki-prefix-ed25519")]
    [InlineData(KeyAlgorithm.EcdsaP256, "spki-prefix-p256")]
    [InlineData(KeyAlgorithm.MlDsa65, "spki-prefix-ml-dsa-65")]
    public void SpkiPrefix_Document_IsThePrefixOfEveryKeysSpki(KeyAlgorithm algorithm, string vector)
    {
        using var key = SigningKey.Generate(algorithm);
        byte[] prefix = Doc.Bytes(vector);

        Assert.Equal(Convert.ToHexStringLower(prefix), Convert.ToHexStringLower(key.Spki[..prefix.Length]));
    }

    [Fact]
    public void OpenSslCheck_DocumentCommands_VerifyBothSignaturesAndPrintKeyIds()
    {
        using var openssl = OpenSsl.RequireOrSkip();
        string? bash = OpenSsl.FindOnPath("bash");
        if (bash is null || OpenSsl.FindOnPath("xxd") is null)
        {
            Assert.Skip("bash or xxd is not installed; the FORMAT.md OpenSSL commands were not run.");
        }
        // The files FORMAT.md says to save, from the blocks it says to save them from.
        openssl.Write("certificate-pae.hex", Doc.Text("certificate-pae"));
        openssl.Write("ed25519-signature.hex", Doc.Text("ed25519-signature"));
        openssl.Write("p256-signature.hex", Doc.Text("p256-signature"));
        openssl.Write("ed25519.pub.pem", Doc.Text("ed25519-public-pem"));
        openssl.Write("p256.pub.pem", Doc.Text("p256-public-pem"));
        openssl.Write("check.sh", Doc.Text("openssl-check"));

        ProcessResult result = openssl.RunProcess(bash, ["check.sh"]);

        Assert.Contains("Signature Verified Successfully", result.StandardOutput);
        Assert.Contains("Verified OK", result.StandardOutput);
        Assert.Contains(Doc.Hex("ed25519-key-id"), result.StandardOutput);
        Assert.Contains(Doc.Hex("p256-key-id"), result.StandardOutput);
    }

    [Fact]
    public void OpenSslCheck_TamperedPae_FailsAsTheDocumentSays()
    {
        using var openssl = OpenSsl.RequireOrSkip();
        string? bash = OpenSsl.FindOnPath("bash");
        if (bash is null || OpenSsl.FindOnPath("xxd") is null)
        {
            Assert.Skip("bash or xxd is not installed; the FORMAT.md OpenSSL commands were not run.");
        }
        string pae = Doc.Hex("certificate-pae");
        openssl.Write("certificate-pae.hex", pae[..^1] + (pae[^1] == '0' ? '1' : '0'));
        openssl.Write("ed25519-signature.hex", Doc.Text("ed25519-signature"));
        openssl.Write("p256-signature.hex", Doc.Text("p256-signature"));
        openssl.Write("ed25519.pub.pem", Doc.Text("ed25519-public-pem"));
        openssl.Write("p256.pub.pem", Doc.Text("p256-public-pem"));
        openssl.Write("check.sh", Doc.Text("openssl-check"));

        ProcessResult result = openssl.RunProcess(bash, ["check.sh"], allowFailure: true);

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("Signature Verified Successfully", result.StandardOutput);
    }
}
