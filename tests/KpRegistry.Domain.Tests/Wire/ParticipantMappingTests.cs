using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Wire;
using Proto = KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Domain.Tests.Wire;

public sealed class ParticipantMappingTests
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

        ParticipantInfo p = ParticipantMapping.ToDomain(wire);

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

        Assert.Throws<FormatException>(() => ParticipantMapping.ToDomain(wire));
    }

    [Fact]
    public void ToDomain_AdministeredFacts_SurviveTheTrustList()
    {
        var participant = new ParticipantInfo("EU", "European Union", [new StatusPeriod(ParticipantStatus.Active, new DateOnly(2003, 1, 1), null)],
            [new AuthorityInfo("EU-BE", "EU", "FPS Economy"), new AuthorityInfo("EU-DE", "EU", "Hauptzollamt Koblenz", new DateOnly(2026, 1, 1))], [],
            LicensesExporters: true, MaxValidityMonths: 2, Kind: ParticipantKind.TradingEntity,
            Embargoes: [new Embargo(3, "EU", new DateOnly(2020, 1, 1), new DateOnly(2021, 1, 1), ["AE"], ["CD", "CF"], "measure", 2)]);

        ParticipantInfo back = ParticipantMapping.ToDomain(ParticipantMapping.ToWire(participant, new DateOnly(2026, 6, 1)));

        Assert.Equal(participant.Authorities, back.Authorities);
        Assert.Equal((true, 2, ParticipantKind.TradingEntity), (back.LicensesExporters, back.MaxValidityMonths, back.Kind));
        Embargo embargo = Assert.Single(back.EmbargoList);
        Assert.Equal((3L, new DateOnly(2020, 1, 1), (DateOnly?)new DateOnly(2021, 1, 1), "measure", (long?)2), (embargo.Id, embargo.EffectiveFrom, embargo.EffectiveTo, embargo.Reason, embargo.Supersedes));
        Assert.Equal(["AE"], embargo.Destinations);
        Assert.Equal(["CD", "CF"], embargo.Origins);
    }

    [Fact]
    public void ToDomain_WhatToWireWrites_KeepsEveryFact()
    {
        var participant = new ParticipantInfo("CF", "Central African Republic",
            [
                new StatusPeriod(ParticipantStatus.Active, new DateOnly(2003, 1, 1), new DateOnly(2013, 5, 23)),
                new StatusPeriod(ParticipantStatus.Suspended, new DateOnly(2013, 5, 23), new DateOnly(2016, 7, 1), "Seleka coup"),
                new StatusPeriod(ParticipantStatus.ActiveRestricted, new DateOnly(2016, 7, 1), null),
            ],
            [new AuthorityInfo("CF-KPPS", "CF", "KP Permanent Secretariat")],
            [new ZoneApproval("Berberati", new DateOnly(2016, 7, 1), null)],
            Embargoed: true, MaxValidityDays: 45);

        Proto.Participant wire = ParticipantMapping.ToWire(participant, new DateOnly(2014, 1, 1));
        ParticipantInfo back = ParticipantMapping.ToDomain(wire);

        Assert.Equal(Proto.ParticipantStatus.Suspended, wire.Status);
        Assert.Equal("2013-05-23", wire.StatusHistory[1].EffectiveFrom);
        Assert.Equal("", wire.StatusHistory[2].EffectiveTo);
        Assert.Equal(participant.StatusHistory, back.StatusHistory);
        Assert.Equal(participant.Authorities, back.Authorities);
        Assert.Equal(participant.ApprovedZones, back.ApprovedZones);
        Assert.True(back.Embargoed);
        Assert.Equal(45, back.MaxValidityDays);
    }

    [Fact]
    public void ToWire_BeforeAdmission_StatusUnspecified()
    {
        var participant = new ParticipantInfo("GH", "Ghana", [new StatusPeriod(ParticipantStatus.Active, new DateOnly(2003, 1, 1), null)], [], []);

        Assert.Equal(Proto.ParticipantStatus.Unspecified, ParticipantMapping.ToWire(participant, new DateOnly(2002, 1, 1)).Status);
    }
}
