namespace KpRegistry.Domain.Registry;

/// <summary>One period of a participant's status: from <see cref="EffectiveFrom"/> (inclusive) to <see cref="EffectiveTo"/> (exclusive; null while it lasts).</summary>
public sealed record StatusPeriod(ParticipantStatus Status, DateOnly EffectiveFrom, DateOnly? EffectiveTo, string Reason = "");

/// <summary>An approved zone or operation of an ACTIVE_RESTRICTED participant, for a period (bounds as in <see cref="StatusPeriod"/>).</summary>
public sealed record ZoneApproval(string Zone, DateOnly EffectiveFrom, DateOnly? EffectiveTo);

/// <summary>An issuing or importing authority of a participant.</summary>
public sealed record AuthorityInfo(string Code, string ParticipantCode, string Name);

/// <summary>
/// A participant as the verification decision sees it: its status history in order, its
/// authorities, its approved zones, its embargo flag, and its maximum certificate validity.
/// </summary>
/// <param name="MaxValidityDays">The longest validity of its certificates in days (expiry minus issue); null: the registry's default.</param>
/// <param name="LicensesExporters">True when the participant licenses its exporters, so that its certificates must carry the exporter's licence number.</param>
public sealed record ParticipantInfo(
    string Code,
    string Name,
    IReadOnlyList<StatusPeriod> StatusHistory,
    IReadOnlyList<AuthorityInfo> Authorities,
    IReadOnlyList<ZoneApproval> ApprovedZones,
    bool Embargoed = false,
    int? MaxValidityDays = null,
    bool LicensesExporters = false)
{
    /// <summary>The status in force on <paramref name="date"/>, or null when the participant had none then (not yet admitted).</summary>
    public ParticipantStatus? StatusOn(DateOnly date)
    {
        for (int i = StatusHistory.Count - 1; i >= 0; i--)
        {
            StatusPeriod period = StatusHistory[i];
            if (period.EffectiveFrom <= date && (period.EffectiveTo is null || date < period.EffectiveTo))
            {
                return period.Status;
            }
        }
        return null;
    }

    /// <summary>True when <paramref name="zone"/> was approved on <paramref name="date"/>.</summary>
    public bool IsZoneApprovedOn(string zone, DateOnly date)
    {
        foreach (ZoneApproval approval in ApprovedZones)
        {
            if (string.Equals(approval.Zone, zone, StringComparison.Ordinal)
                && approval.EffectiveFrom <= date && (approval.EffectiveTo is null || date < approval.EffectiveTo))
            {
                return true;
            }
        }
        return false;
    }
}
