using CsCheck;
using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Verification;
using KpRegistry.Fuzz;

namespace KpRegistry.FuzzTests;

/// <summary>
/// A valid envelope, signed with a real registered key, with any ONE bit of its serialised bytes
/// changed, is never VALID: whichever field the bit lands in (the payload, its type, the key id,
/// the signature, a tag or a length), the decision refuses it or it no longer parses.
/// </summary>
public class EnvelopeBitFlipTests
{
    private static readonly VerificationContext AtIssue = new() { Purpose = VerificationPurpose.Issue };

    public enum Signer
    {
        Ed25519,
        EcdsaP256,
        MlDsa65,
    }

    [Theory]
    [InlineData(Signer.Ed25519)]
    [InlineData(Signer.EcdsaP256)]
    public void Verify_EverySingleBitFlipped_IsNeverValid(Signer signer)
    {
        byte[] envelope = EnvelopeOf(signer).ToByteArray();
        AssertValid(envelope);

        int flipped = 0;
        for (int bit = 0; bit < envelope.Length * 8; bit++)
        {
            AssertNeverValid(Flip(envelope, bit), bit);
            flipped++;
        }
        Assert.Equal(envelope.Length * 8, flipped);
    }

    [Fact]
    public void Verify_MlDsa65SampledSingleBitsFlipped_IsNeverValid()
    {
        // An ML-DSA-65 envelope has about 30,000 bits (a 3,309-byte signature); a fixed-seed sample of them keeps the run short.
        byte[] envelope = EnvelopeOf(Signer.MlDsa65).ToByteArray();
        AssertValid(envelope);

        Property.ForAll(Gen.Int[0, envelope.Length * 8 - 1], seed: 65, bit => AssertNeverValid(Flip(envelope, bit), bit), iterations: 3_000);
    }

    [Fact]
    public void VerifyOffline_EverySingleBitFlipped_IsNeverValid()
    {
        // The offline verifier (a trust list, no records) takes the same decision; its view lists the Ed25519 key.
        byte[] envelope = FuzzWorld.Shared.CertificateEnvelope.ToByteArray();
        Assert.True(FuzzWorld.Shared.Offline.Verify(SignedEnvelope.Parser.ParseFrom(envelope), FuzzWorld.Now).Valid);

        for (int bit = 0; bit < envelope.Length * 8; bit++)
        {
            if (TryParse(Flip(envelope, bit)) is { } changed)
            {
                Assert.False(FuzzWorld.Shared.Offline.Verify(changed, FuzzWorld.Now).Valid, $"bit {bit} flipped: still VALID offline");
            }
        }
    }

    private static SignedEnvelope EnvelopeOf(Signer signer) => signer switch
    {
        Signer.Ed25519 => FuzzWorld.Shared.CertificateEnvelope,
        Signer.EcdsaP256 => FuzzWorld.Shared.P256CertificateEnvelope,
        _ => FuzzWorld.Shared.MlDsa65CertificateEnvelope,
    };

    private static void AssertValid(byte[] envelope)
    {
        VerificationResult result = CertificateVerifier.Verify(SignedEnvelope.Parser.ParseFrom(envelope), FuzzWorld.Shared.View, FuzzWorld.Now, AtIssue);
        Assert.True(result.Valid, "the unchanged envelope must be valid: " + string.Join(", ", result.Reasons));
    }

    private static void AssertNeverValid(byte[] changed, int bit)
    {
        if (TryParse(changed) is not { } envelope)
        {
            return;
        }
        VerificationResult result = CertificateVerifier.Verify(envelope, FuzzWorld.Shared.View, FuzzWorld.Now, AtIssue);
        Assert.False(result.Valid, $"bit {bit} (byte {bit / 8}) flipped: still VALID");
        Assert.NotEmpty(result.Reasons);
    }

    private static byte[] Flip(byte[] bytes, int bit)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    private static SignedEnvelope? TryParse(byte[] bytes)
    {
        try
        {
            return SignedEnvelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
