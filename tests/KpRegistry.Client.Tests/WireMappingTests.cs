using Google.Protobuf;
using KpRegistry.Client.Tests.TestData;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using Proto = KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Client.Tests;

public sealed class WireMappingTests
{
    [Fact]
    public void ToDomain_ParticipantWithHistoryZonesAndEmbargo_KeepsEveryFact()
    {
        var wire = new Proto.Participant
        {
            Code = "CF",
            Name = "Central African Republic",
            Status = Proto.ParticipantStatus.ActiveRestricted,
            Embargoed = true,
            MaxValidityDays = 45,
            StatusHistory =
            {
                new Proto.StatusPeriod { Status = Proto.ParticipantStatus.Active, EffectiveFrom = "2003-01-01", EffectiveTo = "2013-05-23" },
                new Proto.StatusPeriod { Status = Proto.ParticipantStatus.Suspended, EffectiveFrom = "2013-05-23", EffectiveTo = "2016-07-01", Reason = "Seleka coup" },
                new Proto.StatusPeriod { Status = Proto.ParticipantStatus.ActiveRestricted, EffectiveFrom = "2016-07-01" },
            },
            Authorities = { new Proto.Authority { Code = "CF-KPPS", ParticipantCode = "CF", Name = "KP Permanent Secretariat" } },
            ApprovedZones = { new Proto.ZoneApproval { Zone = "Berberati", EffectiveFrom = "2016-07-01" } },
        };

        ParticipantInfo p = WireMapping.ToDomain(wire);

        Assert.Equal(ParticipantStatus.Suspended, p.StatusOn(new DateOnly(2014, 1, 1)));
        Assert.Equal(ParticipantStatus.ActiveRestricted, p.StatusOn(new DateOnly(2026, 1, 1)));
        Assert.Null(p.StatusOn(new DateOnly(2002, 12, 31)));
        Assert.Equal("Seleka coup", p.StatusHistory[1].Reason);
        Assert.Equal(new AuthorityInfo("CF-KPPS", "CF", "KP Permanent Secretariat"), Assert.Single(p.Authorities));
        Assert.True(p.IsZoneApprovedOn("Berberati", new DateOnly(2020, 1, 1)));
        Assert.True(p.Embargoed);
        Assert.Equal(45, p.MaxValidityDays);
    }

    [Fact]
    public void ToDomain_StatusPeriodWithAnUnknownStatus_Throws()
    {
        var wire = new Proto.Participant { Code = "BW", StatusHistory = { new Proto.StatusPeriod { EffectiveFrom = "2003-01-01" } } };

        Assert.Throws<FormatException>(() => WireMapping.ToDomain(wire));
    }

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

        KeyInfo info = WireMapping.ToDomain(wire);

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

        Assert.Null(WireMapping.ToDomain(TestRegistry.WireKey(key, "BW")).AuthorityCode);
    }

    [Fact]
    public void ToDomain_KeyWhoseSpkiIsOfAnotherAlgorithm_Throws()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        Proto.Key wire = TestRegistry.WireKey(key, "BW");
        wire.Algorithm = Proto.KeyAlgorithm.MlDsa65;

        Assert.Throws<FormatException>(() => WireMapping.ToDomain(wire));
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

        Assert.Throws<FormatException>(() => WireMapping.ToDomain(wire));
    }

    [Fact]
    public void ToDomain_KeyInStateUnspecified_Throws()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        Proto.Key wire = TestRegistry.WireKey(key, "BW");
        wire.State = Proto.KeyState.Unspecified;
        wire.Spki = ByteString.CopyFrom(key.Spki);

        Assert.Throws<FormatException>(() => WireMapping.ToDomain(wire));
    }

    [Theory]
    [InlineData(Proto.KeyAlgorithm.Unspecified, KeyAlgorithm.Ed25519)]
    [InlineData(Proto.KeyAlgorithm.Ed25519, KeyAlgorithm.Ed25519)]
    [InlineData(Proto.KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP256)]
    [InlineData(Proto.KeyAlgorithm.MlDsa65, KeyAlgorithm.MlDsa65)]
    public void FromWire_Algorithm_MirrorsTheServer(Proto.KeyAlgorithm wire, KeyAlgorithm expected)
    {
        Assert.Equal(expected, WireMapping.FromWire(wire));
    }
}
