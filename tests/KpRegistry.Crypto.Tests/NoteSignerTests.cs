using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Crypto.Tests;

/// <summary>Golden bytes: the signer reproduces the signed note of Go's golang.org/x/mod/sumdb/note tests exactly.</summary>
public class NoteSignerTests
{
    // golang.org/x/mod/sumdb/note: the signing key "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    // is type 0x01 followed by the Ed25519 seed.
    private const string GoSeedWithType = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string GoVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string GoText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string GoSignatureLine = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    private static SigningKey GoKey() => SigningKey.FromTestVectorSeed(KeyAlgorithm.Ed25519, Convert.FromBase64String(GoSeedWithType)[1..]);

    [Fact]
    public void Sign_GoNoteVector_IsTheVectorsSignatureLine()
    {
        using SigningKey key = GoKey();
        var signer = new NoteSigner("PeterNeumann", key);
        Assert.Equal(GoVerifierKey, signer.VerifierKey.ToString());
        Assert.Equal(GoSignatureLine, signer.Sign(GoText).ToLine());
    }

    [Fact]
    public void Sign_TextWithoutFinalNewline_IsRefused()
    {
        using SigningKey key = GoKey();
        Assert.Throws<ArgumentException>(() => new NoteSigner("PeterNeumann", key).Sign("no newline"));
    }

    [Fact]
    public void FromVerifierKey_GoVerifierKey_VerifiesTheGoNote()
    {
        NoteVerifier verifier = NoteVerifiers.FromVerifierKey(GoVerifierKey);
        SignedNote note = SignedNote.Parse(GoText + "\n" + GoSignatureLine);
        Assert.Equal(NoteVerificationStatus.Verified, note.Verify([verifier], out _));
    }

    [Fact]
    public void FromVerifierKey_UnsupportedType_Throws()
    {
        // Type 0x02 (ECDSA) with a made-up key: this registry verifies 0x01 and 0x04 only.
        NoteVerifierKey key = NoteVerifierKey.Create("a.example", 0x02, new byte[65]);
        Assert.Throws<CryptoFormatException>(() => NoteVerifiers.Create(key));
    }
}
