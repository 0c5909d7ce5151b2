using Google.Protobuf;
using KpRegistry.Client.Tests.TestData;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Envelopes;

namespace KpRegistry.Client.Tests;

public sealed class TrustListVerifierTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Verify_SignedByTheChainsLastKey_ReturnsTheList(int links)
    {
        using var registry = new TestRegistry(links);

        VerifiedTrustList verified = TrustListVerifier.Verify(registry.Pin, registry.SignedTrustList());

        Assert.Equal(7ul, verified.List.Version);
        Assert.Equal(registry.CurrentRegistryKey.KeyId, verified.Chain.Current.KeyId);
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 6, 0, 0, TimeSpan.Zero), verified.NextUpdate);
    }

    [Fact]
    public void Verify_SignedByAKeyNotInTheChain_IsRefused()
    {
        using var registry = new TestRegistry(2);
        var outsider = registry.NewKey();

        var e = Assert.Throws<TrustListException>(() => TrustListVerifier.Verify(registry.Pin, registry.SignedTrustList(outsider)));

        Assert.Contains("not signed by the registry's current key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignedByAnOlderKeyOfTheChain_IsRefused()
    {
        using var registry = new TestRegistry(2);

        Assert.Throws<TrustListException>(() => TrustListVerifier.Verify(registry.Pin, registry.SignedTrustList(registry.RegistryKeys[0])));
    }

    [Fact]
    public void Verify_FlippedBitInThePayload_IsRefused()
    {
        using var registry = new TestRegistry(1);
        SignedEnvelope envelope = registry.SignedTrustList();
        byte[] payload = envelope.Payload.ToByteArray();
        // The version field's value (field 1, the first byte pair): still a TrustList, no longer the signed one.
        payload[1] ^= 0x01;
        envelope.Payload = ByteString.CopyFrom(payload);

        Assert.Throws<TrustListException>(() => TrustListVerifier.Verify(registry.Pin, envelope));
    }

    [Fact]
    public void Verify_FlippedBitInTheSignature_IsRefused()
    {
        using var registry = new TestRegistry(1);
        SignedEnvelope envelope = registry.SignedTrustList();
        byte[] sig = envelope.Signatures[0].Sig.ToByteArray();
        sig[10] ^= 0x80;
        envelope.Signatures[0].Sig = ByteString.CopyFrom(sig);

        Assert.Throws<TrustListException>(() => TrustListVerifier.Verify(registry.Pin, envelope));
    }

    [Fact]
    public void Verify_AnotherPayloadType_IsRefused()
    {
        using var registry = new TestRegistry(1);
        SignedEnvelope envelope = Crypto.EnvelopeSigner.Sign(PayloadTypes.Revocations, registry.List.ToByteArray(), registry.CurrentRegistryKey);

        var e = Assert.Throws<TrustListException>(() => TrustListVerifier.Verify(registry.Pin, envelope));

        Assert.Contains(PayloadTypes.TrustList, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AnotherPin_IsRefused()
    {
        using var registry = new TestRegistry(1);
        using var other = new TestRegistry(1);

        Assert.Throws<TrustListException>(() => TrustListVerifier.Verify(other.Pin, registry.SignedTrustList()));
    }

    [Fact]
    public void VerifyRevocationList_SignedByAnOlderUnrevokedChainKey_IsAccepted()
    {
        using var registry = new TestRegistry(2);
        VerifiedChain chain = RegistryKeyChain.Verify(registry.Pin, registry.Chain);

        var list = TrustListVerifier.VerifyRevocationList(registry.SignedRevocations(0, 0, registry.RegistryKeys[0]), chain, _ => false);

        Assert.Equal(0ul, list.Version);
    }

    [Fact]
    public void VerifyRevocationList_SignedOnlyByARevokedChainKey_IsRefused()
    {
        using var registry = new TestRegistry(2);
        VerifiedChain chain = RegistryKeyChain.Verify(registry.Pin, registry.Chain);
        string revoked = registry.RegistryKeys[0].KeyId;

        var e = Assert.Throws<TrustListException>(() =>
            TrustListVerifier.VerifyRevocationList(registry.SignedRevocations(0, 0, registry.RegistryKeys[0]), chain, id => id == revoked));

        Assert.Contains("which is revoked", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRevocationList_SignedByAnOutsider_IsRefused()
    {
        using var registry = new TestRegistry(1);
        VerifiedChain chain = RegistryKeyChain.Verify(registry.Pin, registry.Chain);

        Assert.Throws<TrustListException>(() => TrustListVerifier.VerifyRevocationList(registry.SignedRevocations(0, 0, registry.NewKey()), chain, _ => false));
    }
}
