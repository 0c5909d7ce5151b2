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
