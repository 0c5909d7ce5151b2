using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Wire;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// The entries of the registry facts that verification depends on beyond keys and statuses:
/// authorities, approved zones, embargoes and licensing. Logged so that a participant's monitor
/// sees, say, an authority removed or an embargo declared in its name, and so that every change a
/// verifier's answer depends on has its entry (other instances follow the log as a change feed).
/// </summary>
public static partial class LogEntries
{
    /// <summary>An authority registered for its participant.</summary>
    public static byte[] AuthorityAdded(DateTimeOffset at, string actor, AuthorityInfo authority, string reason)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return Serialize(new LogEntry
        {
            Kind = LogEntryKind.AuthorityAdded,
            AuthorityEvent = new AuthorityEvent { Participant = authority.ParticipantCode, Authority = authority.Code, Name = authority.Name, Reason = reason },
        }, at, actor);
    }

    /// <summary>An authority ended from <paramref name="effectiveOn"/>.</summary>
    public static byte[] AuthorityRemoved(DateTimeOffset at, string actor, string participant, string authority, DateOnly effectiveOn, string reason) =>
        Serialize(new LogEntry
        {
            Kind = LogEntryKind.AuthorityRemoved,
            AuthorityEvent = new AuthorityEvent { Participant = participant, Authority = authority, EffectiveOn = Dates.Format(effectiveOn), Reason = reason },
        }, at, actor);

    /// <summary>From <paramref name="effectiveFrom"/> the participant's approved zones are exactly <paramref name="zones"/>.</summary>
    public static byte[] ZonesSet(DateTimeOffset at, string actor, string participant, IReadOnlyList<string> zones, DateOnly effectiveFrom, string reason)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var entry = new ZonesEvent { Participant = participant, EffectiveFrom = Dates.Format(effectiveFrom), Reason = reason };
        entry.Zones.AddRange(zones);
        return Serialize(new LogEntry { Kind = LogEntryKind.ZonesSet, ZonesEvent = entry }, at, actor);
    }

    /// <summary>One zone approved for a period.</summary>
    public static byte[] ZoneApproved(DateTimeOffset at, string actor, string participant, ZoneApproval approval, string reason)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var entry = new ZonesEvent
        {
            Participant = participant,
            EffectiveFrom = Dates.Format(approval.EffectiveFrom),
            EffectiveTo = approval.EffectiveTo is DateOnly to ? Dates.Format(to) : "",
            Reason = reason,
        };
        entry.Zones.Add(approval.Zone);
        return Serialize(new LogEntry { Kind = LogEntryKind.ZoneApproved, ZonesEvent = entry }, at, actor);
    }

    /// <summary>An embargo recorded, with the id the registry gave it.</summary>
    public static byte[] EmbargoAdded(DateTimeOffset at, string actor, Embargo embargo)
    {
        ArgumentNullException.ThrowIfNull(embargo);
        var entry = new EmbargoEvent
        {
            Participant = embargo.IssuingParticipant,
            EmbargoId = embargo.Id,
            EffectiveFrom = Dates.Format(embargo.EffectiveFrom),
            EffectiveTo = embargo.EffectiveTo is DateOnly to ? Dates.Format(to) : "",
            Reason = embargo.Reason,
            Supersedes = embargo.Supersedes ?? 0,
        };
        entry.Destinations.AddRange(embargo.Destinations);
        entry.Origins.AddRange(embargo.Origins);
        return Serialize(new LogEntry { Kind = LogEntryKind.EmbargoAdded, EmbargoEvent = entry }, at, actor);
    }

    /// <summary>Whether the participant licenses its exporters, from now on.</summary>
    public static byte[] LicensingSet(DateTimeOffset at, string actor, string participant, bool licensesExporters, string reason) =>
        Serialize(new LogEntry
        {
            Kind = LogEntryKind.LicensingSet,
            LicensingEvent = new LicensingEvent { Participant = participant, LicensesExporters = licensesExporters, Reason = reason },
        }, at, actor);
}
