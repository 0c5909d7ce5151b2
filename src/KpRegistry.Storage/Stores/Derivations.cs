using KpRegistry.Domain.Registry;
using KpRegistry.Storage.Rows;

namespace KpRegistry.Storage;

/// <summary>A certificate's state from its events.</summary>
public static class CertificateStates
{
    /// <summary>
    /// The state is that of the last event in append order (Issued when there is none): a Detained
    /// certificate later Received is Received. Cancelled, Replaced and Refused are final (the store refuses
    /// events after them).
    /// </summary>
    public static (CertificateState State, string Reason, string? ReplacedBy) Derive(IEnumerable<(CertificateEventKind Kind, string Reason, string? ReplacedBy)> eventsInOrder)
    {
        var result = (CertificateState.Issued, "", (string?)null);
        foreach (var e in eventsInOrder)
        {
            result = (ToState(e.Kind), e.Reason, e.Kind == CertificateEventKind.Replaced ? e.ReplacedBy : null);
        }
        return result;
    }

    public static CertificateState ToState(CertificateEventKind kind) => kind switch
    {
        CertificateEventKind.Cancelled => CertificateState.Cancelled,
        CertificateEventKind.Replaced => CertificateState.Replaced,
        CertificateEventKind.Received => CertificateState.Received,
        CertificateEventKind.Detained => CertificateState.Detained,
        CertificateEventKind.Refused => CertificateState.Refused,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    internal static bool IsFinal(CertificateEventKind kind) => kind is CertificateEventKind.Cancelled or CertificateEventKind.Replaced or CertificateEventKind.Refused;
}

/// <summary>A participant's status periods from its status events.</summary>
public static class StatusHistories
{
    /// <summary>
    /// Orders the events by effective date; of several with the same date the last recorded wins
    /// (a correction). Each period ends where the next begins; the last is open.
    /// </summary>
    public static IReadOnlyList<StatusPeriod> FromEvents(IEnumerable<ParticipantStatusEventRow> events)
    {
        var latestPerDate = events
            .OrderBy(e => e.EffectiveFrom)
            .ThenBy(e => e.Id)
            .GroupBy(e => e.EffectiveFrom)
            .Select(g => g.Last())
            .ToList();
        var periods = new List<StatusPeriod>(latestPerDate.Count);
        for (int i = 0; i < latestPerDate.Count; i++)
        {
            var e = latestPerDate[i];
            DateOnly? to = i + 1 < latestPerDate.Count ? latestPerDate[i + 1].EffectiveFrom : null;
            periods.Add(new StatusPeriod(e.Status, e.EffectiveFrom, to, e.Reason));
        }
        return periods;
    }
}

/// <summary>A participant's approved zones from its zone rows and zone sets.</summary>
public static class ZoneHistories
{
    /// <summary>
    /// Single approvals keep their own dates. The zone sets are ordered by effective date (of two
    /// with the same date the later recorded wins); each set's zones are approved from its date to
    /// the next set's date, so a set with no zones ends every earlier approval of the sets.
    /// </summary>
    public static IReadOnlyList<ZoneApproval> FromRows(IEnumerable<ZoneApprovalRow> zones, IEnumerable<ZoneSetRow> sets)
    {
        var rows = zones.ToList();
        var result = rows.Where(z => z.ZoneSetId is null).Select(z => new ZoneApproval(z.Zone, z.EffectiveFrom, z.EffectiveTo)).ToList();
        var ordered = sets.OrderBy(s => s.EffectiveFrom).ThenBy(s => s.Id).GroupBy(s => s.EffectiveFrom).Select(g => g.Last()).ToList();
        var bySet = rows.Where(z => z.ZoneSetId is not null).ToLookup(z => z.ZoneSetId!.Value);
        for (int i = 0; i < ordered.Count; i++)
        {
            DateOnly? to = i + 1 < ordered.Count ? ordered[i + 1].EffectiveFrom : null;
            result.AddRange(bySet[ordered[i].Id].Select(z => new ZoneApproval(z.Zone, ordered[i].EffectiveFrom, to)));
        }
        return result;
    }
}

/// <summary>The embargoes that apply: every recorded one that no later one supersedes.</summary>
public static class Embargoes
{
    public static IReadOnlyList<Embargo> InForce(IEnumerable<EmbargoRow> rows)
    {
        var all = rows.ToList();
        var superseded = all.Where(e => e.SupersedesId is not null).Select(e => e.SupersedesId!.Value).ToHashSet();
        return all.Where(e => !superseded.Contains(e.Id)).Select(ToDomain).ToList();
    }

    public static Embargo ToDomain(EmbargoRow e) => new(e.Id, e.ParticipantCode, e.EffectiveFrom, e.EffectiveTo,
        Split(e.Destinations), Split(e.Origins), e.Reason, e.SupersedesId);

    internal static string Join(IReadOnlyList<string> codes) => string.Join(' ', codes);

    private static string[] Split(string codes) => codes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
