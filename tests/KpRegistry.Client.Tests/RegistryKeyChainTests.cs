using Google.Protobuf;
using KpRegistry.Client.Tests.TestData;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Wire;
using KeyAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;

namespace KpRegistry.Client.Tests;

public sealed class RegistryKeyChainTests
{
    private static readonly DateTimeOffset Now = TestRegistry.Now;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Verify_ChainFromThePinnedKey_ReturnsEveryKeyInOrder(int links)
    {
        using var registry = new TestRegistry(links);

        VerifiedChain chain = RegistryKeyChain.Verify(registry.Pin, registry.Chain);

        Assert.Equal(registry.RegistryKeys.Select(k => k.KeyId), chain.Keys.Select(k => k.KeyId));
        Assert.Equal(Enumerable.Range(1, links).Select(i => (ulong)i), chain.Keys.Select(k => k.Sequence));
        Assert.Equal(registry.CurrentRegistryKey.KeyId, chain.Current.KeyId);
    }

    [Fact]
    public void Verify_LinksOfEachAlgorithm_FindsEachAlgorithmFromItsSpki()
    {
        using var registry = new TestRegistry(3, KeyAlgorithm.EcdsaP256, KeyAlgorithm.MlDsa65, KeyAlgorithm.Ed25519);

        VerifiedChain chain = RegistryKeyChain.Verify(registry.Pin, registry.Chain);

        Assert.Equal([KeyAlgorithm.EcdsaP256, KeyAlgorithm.MlDsa65, KeyAlgorithm.Ed25519], chain.Keys.Select(k => k.Algorithm));
    }

    [Fact]
    public void Verify_UpperCasePin_IsTheSameKey()
    {
        using var registry = new TestRegistry(1);

        VerifiedChain chain = RegistryKeyChain.Verify(registry.Pin.ToUpperInvariant(), registry.Chain);

        Assert.Equal(registry.Pin, chain.Current.KeyId);
    }

    [Fact]
    public void Verify_NextKeySignedOnlyByItself_IsRefused()
    {
        using var registry = new TestRegistry(1);
        SigningKey forged = registry.NewKey();
        registry.Chain.Add(Link(2, forged, registry.Pin, forged));

        var e = Assert.Throws<TrustListException>(() => RegistryKeyChain.Verify(registry.Pin, registry.Chain));

        Assert.Contains("link 2", e.Message, StringComparison.Ordinal);
        Assert.Contains($"is not signed by {registry.Pin}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NextKeySignedByAnOutsider_IsRefused()
    {
        using var registry = new TestRegistry(2);
        SigningKey outsider = registry.NewKey();
        SigningKey forged = registry.NewKey();
        registry.Chain.Add(Link(3, forged, registry.CurrentRegistryKey.KeyId, forged, outsider));

        var e = Assert.Throws<TrustListException>(() => RegistryKeyChain.Verify(registry.Pin, registry.Chain));

        Assert.Contains("link 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NextKeySignedByThePreviousKeyButNotByItself_IsRefused()
    {
        using var registry = new TestRegistry(1);
        SigningKey next = registry.NewKey();
        registry.Chain.Add(Link(2, next, registry.Pin, registry.CurrentRegistryKey));

        var e = Assert.Throws<TrustListException>(() => RegistryKeyChain.Verify(registry.Pin, registry.Chain));

        Assert.Contains("not signed by its own key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_PinnedKeyIsNotTheFirstLink_IsRefused()
    {
        using var registry = new TestRegistry(2);

        var e = Assert.Throws<TrustListException>(() => RegistryKeyChain.Verify(registry.RegistryKeys[1].KeyId, registry.Chain));

        Assert.Contains("not the pinned first registry key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ChainWithoutItsFirstLink_IsRefusedEvenWithTheSecondKeyPinned()
    {
        using var registry = new TestRegistry(3);

        Assert.Throws<TrustListException>(() => RegistryKeyChain.Verify(registry.RegistryKeys[1].KeyId, registry.Chain.Skip(1).ToList()));
    }

    [Fact]
    public void Verify_TamperedLinkPayload_IsRefused()
    {
        using var registry = new TestRegistry(2);
        KeyStatement statement = KeyStatement.Parser.ParseFrom(registry.Chain[1].Payload);
        statement.IssuedAt = Instants.Format(Now.AddYears(5));
        registry.Chain[1].Payload = statement.ToByteString();

        Assert.Throws<TrustListException>(() => RegistryKeyChain.Verify(registry.Pin, registry.Chain));
    }

    [Fact]
    public void Verify_FlippedBitInALinkSignature_IsRefused()
    {
        using var registry = new TestRegistry(2);
        foreach (Signature signature in registry.Chain[1].Signatures)
        {
            byte[] sig = signature.Sig.ToByteArray();
            sig[0] ^= 0x01;
            signature.Sig = ByteString.CopyFrom(sig);
        }

        Assert.Throws<TrustListException>(() => RegistryKeyChain.Verify(registry.Pin, registry.Chain));
    }

    [Fact]
    public void Verify_SequenceGap_IsRefused()
    {
        using var registry = new TestRegistry(1);
        SigningKey next = registry.NewKey();
        registry.Chain.Add(Link(3, next, registry.Pin, next, registry.CurrentRegistryKey));

        var e = Assert.Throws<TrustListException>(() => RegistryKeyChain.Verify(registry.Pin, registry.Chain));

        Assert.Contains("sequence 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("gap", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyIdNotTheHashOfItsSpki_IsRefused()
    {
        using var registry = new TestRegistry(1);
        SigningKey next = registry.NewKey();
        SigningKey other = registry.NewKey();
        var statement = Statement(2, next, registry.Pin);
        statement.KeyId = other.KeyId;
        registry.Chain.Add(EnvelopeSigner.Sign(PayloadTypes.KeyStatement, statement.ToByteArray(), next, registry.CurrentRegistryKey));

        var e = Assert.Throws<TrustListException>(() => RegistryKeyChain.Verify(registry.Pin, registry.Chain));

        Assert.Contains("is not the SHA-256 of its spki", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyStatementPurpose.Register, "XR")]
    [InlineData(KeyStatementPurpose.RegistryKey, "BW")]
    public void Verify_WrongPurposeOrParticipant_IsRefused(KeyStatementPurpose purpose, string participant)
    {
        using var registry = new TestRegistry(1);
        SigningKey next = registry.NewKey();
        var statement = Statement(2, next, registry.Pin);
        statement.Purpose = purpose;
        statement.ParticipantCode = participant;
        registry.Chain.Add(EnvelopeSigner.Sign(PayloadTypes.KeyStatement, statement.ToByteArray(), next, registry.CurrentRegistryKey));

        Assert.Throws<TrustListException>(() => RegistryKeyChain.Verify(registry.Pin, registry.Chain));
    }

    [Fact]
    public void Verify_EmptyChain_IsRefused()
    {
        Assert.Throws<TrustListException>(() => RegistryKeyChain.Verify(new string('a', 64), []));
    }

    private static KeyStatement Statement(ulong sequence, SigningKey key, string previousKeyId) => new()
    {
        Purpose = KeyStatementPurpose.RegistryKey,
        ParticipantCode = "XR",
        KeyId = key.KeyId,
        Spki = ByteString.CopyFrom(key.Spki),
        PreviousKeyId = previousKeyId,
        IssuedAt = Instants.Format(Now),
        Sequence = sequence,
    };

    private static SignedEnvelope Link(ulong sequence, SigningKey key, string previousKeyId, params SigningKey[] signers) =>
        EnvelopeSigner.Sign(PayloadTypes.KeyStatement, Statement(sequence, key, previousKeyId).ToByteArray(), signers);
}
