using System.Text;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Domain.Tests.Transparency;

public class CosignatureTests
{
    private static readonly Checkpoint SpecCheckpoint = Checkpoint.Parse("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");

    [Fact]
    public void SignedMessage_SpecExample_IsTheSpecBytes()
    {
        byte[] message = CosignatureV1.SignedMessage(SpecCheckpoint.Format(), 1679315147);
        Assert.Equal(
            "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
            Encoding.UTF8.GetString(message));
    }

    [Fact]
    public void Cosign_Checkpoint_VerifiesAndCarriesItsTimestamp()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        var cosigner = new CosignatureSigner("witness.example/w1", key);
        NoteSignature line = cosigner.Cosign(SpecCheckpoint, 1679315147);
        NoteVerifier verifier = NoteVerifiers.FromVerifierKey(cosigner.VerifierKey.ToString());
        Assert.IsType<CosignatureV1Verifier>(verifier);
        Assert.Equal(NoteSignatureTypes.CosignatureV1, cosigner.VerifierKey.SignatureType);
        Assert.True(verifier.Verify(SpecCheckpoint.Format(), line.Signature));
        Assert.True(CosignatureV1.TryReadTimestamp(line.Signature, out long timestamp));
        Assert.Equal(1679315147, timestamp);
    }

    [Fact]
    public void Verify_TimestampChanged_Fails()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        var cosigner = new CosignatureSigner("witness.example/w1", key);
        byte[] signature = cosigner.Cosign(SpecCheckpoint, 1679315147).Signature;
        signature[7] ^= 1;
        Assert.False(NoteVerifiers.Create(cosigner.VerifierKey).Verify(SpecCheckpoint.Format(), signature));
    }

    [Fact]
    public void Verify_TimestampAboveInt63_Fails()
    {
        byte[] signature = new byte[72];
        signature[0] = 0x80;
        Assert.False(CosignatureV1.TryReadTimestamp(signature, out _));
    }

    [Fact]
    public void Verify_LogKeyOfTheSameBytes_DoesNotAcceptACosignature()
    {
        // Type 0x01 and 0x04 keys of the same name and public key have different key IDs: domain separation.
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        var cosigner = new CosignatureSigner("witness.example/w1", key);
        var signer = new NoteSigner("witness.example/w1", key);
        Assert.NotEqual(cosigner.VerifierKey.KeyId, signer.VerifierKey.KeyId);
    }
}
