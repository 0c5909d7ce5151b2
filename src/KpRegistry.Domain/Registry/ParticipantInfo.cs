namespace KpRegistry.Domain.Registry;

/// <summary>One period of a participant's status: from <see cref="EffectiveFrom"/> (inclusive) to <see cref="EffectiveTo"/> (exclusive; null while it lasts).</summary>
public sealed record StatusPeriod(ParticipantStatus Status, DateOnly EffectiveFrom, DateOnly? EffectiveTo, string Reason = "");

/// <summary>An approved zone or operation of an ACTIVE_RESTRICTED participant, for a period (bounds as in <see cref="StatusPeriod"/>).</summary>
public sealed record ZoneApproval(string Zone, DateOnly EffectiveFrom, DateOnly? EffectiveTo);

/// <summary>An issuing or importing authority of a participant.</summary>
/// <param name="RemovedOn">
/// The first date on which it is no longer an authority of its participant; null while it is one.
/// A certificate it issued before that date stays valid: the authority is judged on the date of issue.
/// </param>
public sealed record AuthorityInfo(string Code, string ParticipantCode, string Name, DateOnly? RemovedOn = null)
{
    /// <summary>True when it was an authority of its participant on <paramref name="date"/>.</summary>
    public bool IsRegisteredOn(DateOnly date) => RemovedOn is null || date < RemovedOn;
}

/// <summary>
/// A trade embargo outside the KP (a UN or G7 measure) on an issuer's rough diamonds, dated from
/// <see cref="EffectiveFrom"/> (inclusive) to <see cref="EffectiveTo"/> (exclusive; null while it lasts).
/// Empty <see cref="Destinations"/> or <see cref="Origins"/> mean every destination or every origin.
/// Records are never edited: a later record that <see cref="Supersedes"/> an earlier one takes its place
/// (e.g. to lift it early), so the registry never carries a superseded one to a verifier.
/// </summary>
/// <param name="Id">The registry's number of this record; verification names it.</param>
public sealed record Embargo(
    long Id,
    string IssuingParticipant,
    DateOnly EffectiveFrom,
    DateOnly? EffectiveTo,
    IReadOnlyList<string> Destinations,
    IReadOnlyList<string> Origins,
    string Reason = "",
    long? Supersedes = null)
{
    /// <summary>True when it is in force on <paramref name="date"/>.</summary>
    public bool InForceOn(DateOnly date) => EffectiveFrom <= date && (EffectiveTo is null || date < EffectiveTo);

    /// <summary>
    /// True when its scope covers a shipment to <paramref name="destination"/> of diamonds from
    /// <paramref name="originCountries"/>. A mixed parcel that lists no origin cannot show that it
    /// holds nothing of an embargoed origin, so an origin-scoped embargo covers it.
    /// </summary>
    public bool Covers(string destination, IReadOnlyList<string> originCountries)
    {
        if (Destinations.Count > 0 && !Destinations.Contains(destination, StringComparer.Ordinal))
        {
            return false;
        }
        if (Origins.Count == 0 || originCountries.Count == 0)
        {
            return true;
        }
        foreach (string origin in originCountries)
        {
            if (Origins.Contains(origin, StringComparer.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>What kind of member of the KPCS a participant record is.</summary>
public enum ParticipantKind
{
    /// <summary>A state or a regional economic integration organisation (the EU): issues, receives and takes part in decisions.</summary>
    Participant = 1,

    /// <summary>
    /// A rough-diamond trading entity (Chinese Taipei): trades under the KPCS without being a
    /// participant. Certificates to and from it are valid; it takes no part in decisions.
    /// </summary>
    TradingEntity = 2,
}

/// <summary>
/// A participant as the verification decision sees it: its status history in order, its
/// authorities, its approved zones, its embargo flag, and its maximum certificate validity.
/// </summary>
/// <param name="MaxValidityDays">The longest validity of its certificates in days (expiry minus issue); null: the registry's default.</param>
/// <param name="LicensesExporters">True when the participant licenses its exporters, so that its certificates must carry the exporter's licence number.</param>
/// <param name="MaxValidityMonths">
/// The longest validity of its certificates in calendar months: the date of expiry may be at most
/// the date of issue plus this many months (the end of the month when that day does not exist:
/// 31 December plus 2 months is 28 or 29 February). The EU's "two months". Null: none.
/// </param>
/// <param name="Kind">A participant, or a trading entity that trades under the KPCS without being one.</param>
/// <param name="Embargoes">The dated embargoes on its rough diamonds (as the issuer), superseded records left out.</param>
public sealed record ParticipantInfo(
    string Code,
    string Name,
    IReadOnlyList<StatusPeriod> StatusHistory,
    IReadOnlyList<AuthorityInfo> Authorities,
    IReadOnlyList<ZoneApproval> ApprovedZones,
    bool Embargoed = false,
    int? MaxValidityDays = null,
    bool LicensesExporters = false,
    int? MaxValidityMonths = null,
    ParticipantKind Kind = ParticipantKind.Participant,
    IReadOnlyList<Embargo>? Embargoes = null)
{
    /// <summary>The embargoes, never null.</summary>
    public IReadOnlyList<Embargo> EmbargoList => Embargoes ?? [];

    /// <summary>True while it is registered as an authority of this participant on <paramref name="date"/>.</summary>
    public bool HasAuthorityOn(string authorityCode, DateOnly date)
    {
        foreach (AuthorityInfo authority in Authorities)
        {
            if (string.Equals(authority.Code, authorityCode, StringComparison.Ordinal) && authority.IsRegisteredOn(date))
            {
                return true;
            }
        }
        return false;
    }

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
