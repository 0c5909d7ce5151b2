using System.Text;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Domain.Tests.Transparency;

public class SignedNoteTests
{
    // The example of C2SP signed-note.
    private const string SpecVerifierKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    private const string SpecNote =
        "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

    [Fact]
    public void Verify_SpecExample_Verifies()
    {
        SignedNote note = SignedNote.Parse(Encoding.UTF8.GetBytes(SpecNote));
        NoteVerifier key = NoteVerifiers.FromVerifierKey(SpecVerifierKey);
        Assert.Equal(NoteVerificationStatus.Verified, note.Verify([key], out IReadOnlyList<NoteVerifier> verified));
        Assert.Equal([key], verified);
        Assert.Equal("This is an example message.\n", note.Text);
        Assert.Equal(SpecNote, note.Format());
    }

    [Fact]
    public void Verify_SpecExampleWithOneTextByteChanged_IsInvalid()
    {
        SignedNote note = SignedNote.Parse(SpecNote.Replace("example message", "examplE message", StringComparison.Ordinal));
        Assert.Equal(NoteVerificationStatus.InvalidSignature, note.Verify([NoteVerifiers.FromVerifierKey(SpecVerifierKey)], out _));
    }

    [Fact]
    public void Verify_SpecExampleWithOneSignatureByteChanged_IsInvalid()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(SpecNote);
        int signatureStart = Encoding.UTF8.GetByteCount("This is an example message.\n\n\u2014 example.com/foo ");
        // Past the key ID, inside the Ed25519 signature.
        bytes[signatureStart + 10] = bytes[signatureStart + 10] == (byte)'A' ? (byte)'B' : (byte)'A';
        SignedNote note = SignedNote.Parse(bytes);
        Assert.Equal(NoteVerificationStatus.InvalidSignature, note.Verify([NoteVerifiers.FromVerifierKey(SpecVerifierKey)], out _));
    }

    [Fact]
    public void Verify_OnlyUnknownKeys_NoTrustedSignature()
    {
        using SigningKey other = SigningKey.Generate(KeyAlgorithm.Ed25519);
        NoteVerifier sameNameOtherKey = NoteVerifiers.Create(new NoteSigner("example.com/foo", other).VerifierKey);
        Assert.Equal(NoteVerificationStatus.NoTrustedSignature, SignedNote.Parse(SpecNote).Verify([sameNameOtherKey], out _));
    }

    [Fact]
    public void Parse_SpecVerifierKey_HasItsNameIdAndKey()
    {
        NoteVerifierKey key = NoteVerifierKey.Parse(SpecVerifierKey);
        Assert.Equal("example.com/foo", key.Name);
        Assert.Equal(0x530d903au, key.KeyId);
        Assert.Equal(NoteSignatureTypes.Ed25519, key.SignatureType);
        Assert.Equal("e932791ae6e7a840a46164c904786426d5e7821dd8b29a00d61cae72afdd4da4", Convert.ToHexStringLower(key.PublicKey));
        Assert.Equal(SpecVerifierKey, key.ToString());
    }

    [Theory]
    [InlineData("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")]
    [InlineData("example.com/bar+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")]
    [InlineData("example.com/foo+530d903a")]
    [InlineData("+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")]
    [InlineData("example.com/foo+530d90+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")]
    [InlineData("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2")]
    public void Parse_DamagedVerifierKey_Throws(string text)
    {
        Assert.Throws<TransparencyFormatException>(() => NoteVerifierKey.Parse(text));
    }

    [Theory]
    [InlineData("no blank line\n\u2014 a AAAAAAA=\n")]
    [InlineData("text\n\n")]
    [InlineData("text\n\n\u2014 a AAAAAAA=")]
    [InlineData("text\n\n- a AAAAAAA=\n")]
    [InlineData("text\n\n\u2014 a+b AAAAAAA=\n")]
    [InlineData("text\n\n\u2014 a AAAA\n")]
    [InlineData("te\u0007xt\n\n\u2014 a AAAAAAA=\n")]
    public void Parse_NotASignedNote_Throws(string note)
    {
        Assert.Throws<TransparencyFormatException>(() => SignedNote.Parse(note));
    }

    [Fact]
    public void Parse_InvalidUtf8_Throws()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("text"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\n\n\u2014 a AAAAAAA=\n")];
        Assert.Throws<TransparencyFormatException>(() => SignedNote.Parse(bytes));
    }

    [Fact]
    public void Parse_TextWithBlankLines_SplitsAtTheLastOne()
    {
        SignedNote note = SignedNote.Parse("a\n\nb\n\n\u2014 k AAAAAAA=\n");
        Assert.Equal("a\n\nb\n", note.Text);
        Assert.Single(note.Signatures);
    }

    [Fact]
    public void NoteSigner_SignedNote_VerifiesWithItsPublishedKey()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        var signer = new NoteSigner("kp.example/log", key);
        SignedNote note = signer.SignNote("kp.example/log\n5\n" + Convert.ToBase64String(new byte[32]) + "\n");
        NoteVerifier verifier = NoteVerifiers.FromVerifierKey(signer.VerifierKey.ToString());
        Assert.Equal(NoteVerificationStatus.Verified, SignedNote.Parse(note.Format()).Verify([verifier], out _));
        Assert.StartsWith("kp.example/log+", signer.VerifierKey.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NoteSigner_EcdsaKey_IsRefused()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        Assert.Throws<ArgumentException>(() => new NoteSigner("kp.example/log", key));
    }
}
