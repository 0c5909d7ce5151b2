using Google.Protobuf;
using KpRegistry.Client.Tests.TestData;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using Proto = KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Client.Tests;

public sealed class KeyMappingTests
{
    [Fact]
    public void ToDomain_RevokedKeyOfAnAuthority_KeepsDatesStateAndAVerifierOfItsSpki()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        Proto.Key wire = TestRegistry.WireKey(key, "BW", "BW-MMGE");
        wire.State = Proto.KeyState.Revoked;
        wire.Custody = Proto.KeyCustody.Managed;
        wire.NotAfter = "2030-01-01T00:00:00Z";
        wire.RetiredAt = "2026-01-01T00:00:00Z";
        wire.CompromisedSince = "2026-02-01T12:30:00.5Z";

        KeyInfo info = KeyMapping.ToDomain(wire);

        Assert.Equal(KeyState.Revoked, info.State);
        Assert.Equal(KeyCustody.Managed, info.Custody);
        Assert.Equal(KeyAlgorithm.EcdsaP256, info.Algorithm);
        Assert.Equal("BW-MMGE", info.AuthorityCode);
        Assert.Equal(new DateTimeOffset(2003, 1, 1, 0, 0, 0, TimeSpan.Zero), info.NotBefore);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), info.NotAfter);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), info.RetiredAt);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 12, 30, 0, 500, TimeSpan.Zero), info.CompromisedSince);
        byte[] message = "m"u8.ToArray();
        Assert.True(info.Verifier.Verify(message, key.Sign(message)));
    }

    [Fact]
    public void ToDomain_ParticipantWideKey_HasNoAuthority()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);

        Assert.Null(KeyMapping.ToDomain(TestRegistry.WireKey(key, "BW")).AuthorityCode);
    }

    [Fact]
    public void ToDomain_KeyWhoseSpkiIsOfAnotherAlgorithm_Throws()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        Proto.Key wire = TestRegistry.WireKey(key, "BW");
        wire.Algorithm = Proto.KeyAlgorithm.MlDsa65;

        Assert.Throws<FormatException>(() => KeyMapping.ToDomain(wire));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2026-03-10")]
    public void ToDomain_KeyWithoutAReadableNotBefore_Throws(string notBefore)
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        Proto.Key wire = TestRegistry.WireKey(key, "BW");
        wire.NotBefore = notBefore;

        Assert.Throws<FormatException>(() => KeyMapping.ToDomain(wire));
    }

    [Fact]
    public void ToDomain_KeyInStateUnspecified_Throws()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        Proto.Key wire = TestRegistry.WireKey(key, "BW");
        wire.State = Proto.KeyState.Unspecified;
        wire.Spki = ByteString.CopyFrom(key.Spki);

        Assert.Throws<FormatException>(() => KeyMapping.ToDomain(wire));
    }
}
