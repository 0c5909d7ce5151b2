using KpRegistry.Domain.Registry;

namespace KpRegistry.Storage.Rows;

/// <summary>A participant (table <c>participants</c>). Its status lives in <see cref="ParticipantStatusEventRow"/>s.</summary>
public sealed class ParticipantRow
{
    /// <summary>ISO 3166-1 alpha-2, or "EU".</summary>
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public DateOnly AdmittedOn { get; set; }
    public int? MaxValidityDays { get; set; }
    /// <summary>The longest validity in calendar months (the EU: 2); null for none.</summary>
    public int? MaxValidityMonths { get; set; }
    public bool Embargoed { get; set; }
    /// <summary>A participant, or a trading entity (Chinese Taipei).</summary>
    public ParticipantKind Kind { get; set; } = ParticipantKind.Participant;
}

/// <summary>One append-only status change (table <c>participant_status_events</c>).</summary>
public sealed class ParticipantStatusEventRow
{
    public long Id { get; set; }
    public string ParticipantCode { get; set; } = "";
    public ParticipantStatus Status { get; set; }
    public DateOnly EffectiveFrom { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string Reason { get; set; } = "";
    public string Actor { get; set; } = "";
}

/// <summary>An issuing or importing authority of a participant (table <c>authorities</c>).</summary>
public sealed class AuthorityRow
{
    /// <summary>E.g. "BW-MMEWR", "EU-BE".</summary>
    public string Code { get; set; } = "";
    public string ParticipantCode { get; set; } = "";
    public string Name { get; set; } = "";
}

/// <summary>The end of an authority (table <c>authority_removals</c>): appended, at most one per authority.</summary>
public sealed class AuthorityRemovalRow
{
    public long Id { get; set; }
    public string AuthorityCode { get; set; } = "";
    /// <summary>The first day it is no longer an authority.</summary>
    public DateOnly EffectiveOn { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string Reason { get; set; } = "";
    public string Actor { get; set; } = "";
}

/// <summary>
/// One SetZones (table <c>zone_sets</c>): from <see cref="EffectiveFrom"/> the approved zones are
/// exactly its <see cref="ZoneApprovalRow"/>s, until a later set. Appended, never edited.
/// </summary>
public sealed class ZoneSetRow
{
    public long Id { get; set; }
    public string ParticipantCode { get; set; } = "";
    public DateOnly EffectiveFrom { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string Reason { get; set; } = "";
    public string Actor { get; set; } = "";
}

/// <summary>A dated embargo (table <c>embargoes</c>): appended, never edited; a later row may supersede it.</summary>
public sealed class EmbargoRow
{
    public long Id { get; set; }
    public string ParticipantCode { get; set; } = "";
    public DateOnly EffectiveFrom { get; set; }
    public DateOnly? EffectiveTo { get; set; }
    /// <summary>Participant codes separated by spaces; empty for every destination.</summary>
    public string Destinations { get; set; } = "";
    /// <summary>Country codes separated by spaces; empty for every origin.</summary>
    public string Origins { get; set; } = "";
    public string Reason { get; set; } = "";
    public long? SupersedesId { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string Actor { get; set; } = "";
}

/// <summary>Whether a participant licenses its exporters, from <see cref="RecordedAt"/> on (table <c>licensing_events</c>); the latest applies.</summary>
public sealed class LicensingEventRow
{
    public long Id { get; set; }
    public string ParticipantCode { get; set; } = "";
    public bool LicensesExporters { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string Reason { get; set; } = "";
    public string Actor { get; set; } = "";
}

/// <summary>An approved zone or operation for a period (table <c>zone_approvals</c>).</summary>
public sealed class ZoneApprovalRow
{
    public long Id { get; set; }
    /// <summary>The SetZones it belongs to; null for a single approval with its own dates.</summary>
    public long? ZoneSetId { get; set; }
    public string ParticipantCode { get; set; } = "";
    public string Zone { get; set; } = "";
    public DateOnly EffectiveFrom { get; set; }
    public DateOnly? EffectiveTo { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
