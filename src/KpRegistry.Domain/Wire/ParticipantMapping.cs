using KpRegistry.Domain.Registry;
using Proto = KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Domain.Wire;

/// <summary>A participant, domain to wire (the server's answers and trust list) and back (the client library reading the trust list).</summary>
public static class ParticipantMapping
{
    /// <summary>The participant with its status on <paramref name="today"/>; maximum validity 0 for none.</summary>
    public static Proto.Participant ToWire(ParticipantInfo participant, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var wire = new Proto.Participant
        {
            Code = participant.Code,
            Name = participant.Name,
            Status = WireEnums.ToWire(participant.StatusOn(today)),
            Embargoed = participant.Embargoed,
            MaxValidityDays = (uint)(participant.MaxValidityDays ?? 0),
            LicensesExporters = participant.LicensesExporters,
            Kind = WireEnums.ToWire(participant.Kind),
            MaxValidityMonths = (uint)(participant.MaxValidityMonths ?? 0),
        };
        foreach (StatusPeriod period in participant.StatusHistory)
        {
            wire.StatusHistory.Add(new Proto.StatusPeriod
            {
                Status = WireEnums.ToWire(period.Status),
                EffectiveFrom = Dates.Format(period.EffectiveFrom),
                EffectiveTo = Dates.Format(period.EffectiveTo),
                Reason = period.Reason,
            });
        }
        foreach (AuthorityInfo authority in participant.Authorities)
        {
            wire.Authorities.Add(new Proto.Authority
            {
                Code = authority.Code, ParticipantCode = authority.ParticipantCode, Name = authority.Name, RemovedOn = Dates.Format(authority.RemovedOn),
            });
        }
        foreach (ZoneApproval zone in participant.ApprovedZones)
        {
            wire.ApprovedZones.Add(new Proto.ZoneApproval { Zone = zone.Zone, EffectiveFrom = Dates.Format(zone.EffectiveFrom), EffectiveTo = Dates.Format(zone.EffectiveTo) });
        }
        foreach (Embargo embargo in participant.EmbargoList)
        {
            var e = new Proto.Embargo
            {
                Id = (ulong)embargo.Id,
                IssuingParticipant = embargo.IssuingParticipant,
                EffectiveFrom = Dates.Format(embargo.EffectiveFrom),
                EffectiveTo = Dates.Format(embargo.EffectiveTo),
                Reason = embargo.Reason,
                SupersedesId = (ulong)(embargo.Supersedes ?? 0),
            };
            e.Destinations.AddRange(embargo.Destinations);
            e.Origins.AddRange(embargo.Origins);
            wire.Embargoes.Add(e);
        }
        return wire;
    }

    /// <summary>A participant with its status history, authorities, approved zones, embargoes, licensing, kind and maximum validity (0 on the wire: none).</summary>
    /// <exception cref="FormatException">A status period with no known status, or a date that is not YYYY-MM-DD; none returns a half-read object.</exception>
    public static ParticipantInfo ToDomain(Proto.Participant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var history = new List<StatusPeriod>(participant.StatusHistory.Count);
        foreach (Proto.StatusPeriod period in participant.StatusHistory)
        {
            ParticipantStatus status = WireEnums.FromWire(period.Status)
                ?? throw new FormatException($"participant {participant.Code}: a status period has status {period.Status}");
            history.Add(new StatusPeriod(status,
                Dates.Parse(period.EffectiveFrom, $"participant {participant.Code}: effective_from"),
                Dates.ParseOptional(period.EffectiveTo, $"participant {participant.Code}: effective_to"),
                period.Reason));
        }
        var authorities = participant.Authorities.Select(a => new AuthorityInfo(a.Code, a.ParticipantCode, a.Name,
            Dates.ParseOptional(a.RemovedOn, $"participant {participant.Code}: authority {a.Code} removed_on"))).ToList();
        var embargoes = participant.Embargoes.Select(e => new Embargo(checked((long)e.Id), e.IssuingParticipant,
            Dates.Parse(e.EffectiveFrom, $"participant {participant.Code}: embargo {e.Id} effective_from"),
            Dates.ParseOptional(e.EffectiveTo, $"participant {participant.Code}: embargo {e.Id} effective_to"),
            [.. e.Destinations], [.. e.Origins], e.Reason, e.SupersedesId == 0 ? null : checked((long)e.SupersedesId))).ToList();
        ParticipantKind kind = WireEnums.FromWire(participant.Kind)
            ?? throw new FormatException($"participant {participant.Code}: kind {participant.Kind} is unknown");
        var zones = participant.ApprovedZones.Select(z => new ZoneApproval(z.Zone,
            Dates.Parse(z.EffectiveFrom, $"participant {participant.Code}: zone {z.Zone} effective_from"),
            Dates.ParseOptional(z.EffectiveTo, $"participant {participant.Code}: zone {z.Zone} effective_to"))).ToList();
        return new ParticipantInfo(participant.Code, participant.Name, history, authorities, zones,
            Embargoed: participant.Embargoed,
            MaxValidityDays: participant.MaxValidityDays == 0 ? null : checked((int)participant.MaxValidityDays),
            LicensesExporters: participant.LicensesExporters,
            MaxValidityMonths: participant.MaxValidityMonths == 0 ? null : checked((int)participant.MaxValidityMonths),
            Kind: kind,
            Embargoes: embargoes);
    }
}
