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
    public bool Embargoed { get; set; }
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

/// <summary>An approved zone or operation for a period (table <c>zone_approvals</c>).</summary>
public sealed class ZoneApprovalRow
{
    public long Id { get; set; }
    public string ParticipantCode { get; set; } = "";
    public string Zone { get; set; } = "";
    public DateOnly EffectiveFrom { get; set; }
    public DateOnly? EffectiveTo { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
