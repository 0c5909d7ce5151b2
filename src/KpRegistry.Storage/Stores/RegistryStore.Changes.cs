using KpRegistry.Domain.Registry;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

/// <summary>
/// The database's change markers, read together: each grows in the same transaction as the change
/// it marks, so an instance that saw a marker move knows a change committed, by whichever instance.
/// </summary>
/// <param name="RegistryVersion">Participants, their status, authorities, zones, keys, the registry key chain.</param>
/// <param name="RevocationVersion">The revocation list (key revocations, cancellations, replacements, refusals).</param>
/// <param name="LogSize">The transparency log's entries (every certificate and every certificate event writes one).</param>
public sealed record ChangeMarkers(long RegistryVersion, long RevocationVersion, long LogSize);

/// <summary>What several instances over one database read to follow each other's changes.</summary>
public sealed partial class RegistryStore
{
    /// <summary>The three change markers, with one connection and three indexed single-row reads.</summary>
    public async Task<ChangeMarkers> GetChangeMarkersAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        long registry = await context.RegistryVersion.AsNoTracking().Select(v => (long?)v.Version).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? 0;
        long revocations = await context.Revocations.MaxAsync(r => (long?)r.Version, cancellationToken).ConfigureAwait(false) ?? 0;
        long logSize = (await context.LogEntries.MaxAsync(e => (long?)e.LeafIndex, cancellationToken).ConfigureAwait(false) ?? -1) + 1;
        return new ChangeMarkers(registry, revocations, logSize);
    }

    /// <summary>
    /// The recorded certificates among <paramref name="names"/> as the verification decision reads
    /// them (state derived from their events); names never recorded are left out. One query for the
    /// rows and one for their events, whatever the number of names.
    /// </summary>
    public async Task<IReadOnlyList<CertificateRecordInfo>> ReadCertificateRecordsAsync(
        IReadOnlyCollection<(string IssuingParticipant, string CertificateNumber)> names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            return [];
        }
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var issuers = names.Select(n => n.IssuingParticipant).Distinct().ToList();
        var numbers = names.Select(n => n.CertificateNumber).Distinct().ToList();
        var wanted = names.ToHashSet();
        var rows = (await RecordedAmong(context, issuers, numbers).AsNoTracking()
            .Select(c => new { c.Id, c.IssuingParticipant, c.CertificateNumber, c.KeyId, c.PayloadSha256, c.RecordedAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false))
            .Where(c => wanted.Contains((c.IssuingParticipant, c.CertificateNumber)))
            .ToList();
        if (rows.Count == 0)
        {
            return [];
        }
        var ids = rows.Select(r => r.Id).ToList();
        var events = (await context.CertificateEvents.AsNoTracking()
            .Where(e => ids.Contains(e.CertificateId))
            .OrderBy(e => e.Sequence)
            .Select(e => new { e.CertificateId, e.Kind, e.Reason, e.ReplacedBy })
            .ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToLookup(e => e.CertificateId);
        return [.. rows.Select(c =>
        {
            var (state, reason, replacedBy) = CertificateStates.Derive(events[c.Id].Select(e => (e.Kind, e.Reason, e.ReplacedBy)));
            return new CertificateRecordInfo(c.IssuingParticipant, c.CertificateNumber, c.KeyId, c.PayloadSha256, c.RecordedAt, state, reason, replacedBy);
        })];
    }
}
