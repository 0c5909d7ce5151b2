using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Transparency;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

/// <summary>
/// The registry facts that verification depends on, beyond statuses: authority removals, zone
/// sets, embargoes and licensing. Each is appended (never edited) with the registry version
/// raised, an audit event and a transparency-log entry, in one transaction.
/// </summary>
public sealed partial class RegistryStore
{
    /// <summary>
    /// Ends an authority of <paramref name="participantCode"/> from <paramref name="effectiveOn"/>.
    /// Throws <see cref="StoreNotFoundException"/> when it is not an authority of that participant,
    /// <see cref="StoreConflictException"/> when it was already removed.
    /// </summary>
    public Task<ParticipantRecord> RemoveAuthorityAsync(string participantCode, string authorityCode, DateOnly effectiveOn, string reason, AuditEntry audit, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async context =>
        {
            if (!await context.Authorities.AnyAsync(a => a.Code == authorityCode && a.ParticipantCode == participantCode, cancellationToken).ConfigureAwait(false))
            {
                throw new StoreNotFoundException($"{authorityCode} is not an authority of {participantCode}.");
            }
            if (await context.AuthorityRemovals.AnyAsync(r => r.AuthorityCode == authorityCode, cancellationToken).ConfigureAwait(false))
            {
                throw new StoreConflictException($"Authority {authorityCode} was already removed.");
            }
            DateTimeOffset now = UtcNow();
            context.AuthorityRemovals.Add(new AuthorityRemovalRow { AuthorityCode = authorityCode, EffectiveOn = effectiveOn, RecordedAt = now, Reason = reason, Actor = audit.Actor });
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            await AppendLogAsync(context, LogEntries.AuthorityRemoved(now, audit.Actor, participantCode, authorityCode, effectiveOn, reason), now, cancellationToken).ConfigureAwait(false);
            await SaveUniqueAsync(context, $"Authority {authorityCode} was already removed.", cancellationToken).ConfigureAwait(false);
            return (await LoadParticipantAsync(context, participantCode, cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);

    /// <summary>From <paramref name="effectiveFrom"/> the approved zones of the participant are exactly <paramref name="zones"/>.</summary>
    public Task<ParticipantRecord> SetZonesAsync(string participantCode, IReadOnlyList<string> zones, DateOnly effectiveFrom, string reason, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zones);
        return InTransactionAsync(async context =>
        {
            await RequireParticipantAsync(context, participantCode, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = UtcNow();
            var set = new ZoneSetRow { ParticipantCode = participantCode, EffectiveFrom = effectiveFrom, RecordedAt = now, Reason = reason, Actor = audit.Actor };
            context.ZoneSets.Add(set);
            // The set's id is needed for its zones.
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            foreach (string zone in zones)
            {
                context.ZoneApprovals.Add(new ZoneApprovalRow { ParticipantCode = participantCode, Zone = zone, EffectiveFrom = effectiveFrom, ZoneSetId = set.Id, RecordedAt = now });
            }
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            await AppendLogAsync(context, LogEntries.ZonesSet(now, audit.Actor, participantCode, zones, effectiveFrom, reason), now, cancellationToken).ConfigureAwait(false);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return (await LoadParticipantAsync(context, participantCode, cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <summary>
    /// Records an embargo. Throws <see cref="StoreNotFoundException"/> when the participant is
    /// unknown or the superseded embargo is not one of its embargoes, <see cref="StoreConflictException"/>
    /// when that embargo is already superseded.
    /// </summary>
    public Task<(ParticipantRecord Participant, Embargo Embargo)> AddEmbargoAsync(NewEmbargo embargo, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embargo);
        return InTransactionAsync(async context =>
        {
            await RequireParticipantAsync(context, embargo.IssuingParticipant, cancellationToken).ConfigureAwait(false);
            if (embargo.Supersedes is long supersedes)
            {
                if (!await context.Embargoes.AnyAsync(e => e.Id == supersedes && e.ParticipantCode == embargo.IssuingParticipant, cancellationToken).ConfigureAwait(false))
                {
                    throw new StoreNotFoundException($"{embargo.IssuingParticipant} has no embargo {supersedes}.");
                }
                if (await context.Embargoes.AnyAsync(e => e.SupersedesId == supersedes, cancellationToken).ConfigureAwait(false))
                {
                    throw new StoreConflictException($"Embargo {supersedes} is already superseded.");
                }
            }
            DateTimeOffset now = UtcNow();
            var row = new EmbargoRow
            {
                ParticipantCode = embargo.IssuingParticipant,
                EffectiveFrom = embargo.EffectiveFrom,
                EffectiveTo = embargo.EffectiveTo,
                Destinations = Embargoes.Join(embargo.Destinations),
                Origins = Embargoes.Join(embargo.Origins),
                Reason = embargo.Reason,
                SupersedesId = embargo.Supersedes,
                RecordedAt = now,
                Actor = audit.Actor,
            };
            context.Embargoes.Add(row);
            // The entry names the embargo by its id, which the insert assigns.
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            Embargo recorded = Embargoes.ToDomain(row);
            await AppendLogAsync(context, LogEntries.EmbargoAdded(now, audit.Actor, recorded), now, cancellationToken).ConfigureAwait(false);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return ((await LoadParticipantAsync(context, embargo.IssuingParticipant, cancellationToken).ConfigureAwait(false))!, recorded);
        }, cancellationToken);
    }

    /// <summary>Records whether the participant licenses its exporters, from now on.</summary>
    public Task<ParticipantRecord> SetLicensingAsync(string participantCode, bool licensesExporters, string reason, AuditEntry audit, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async context =>
        {
            await RequireParticipantAsync(context, participantCode, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = UtcNow();
            context.LicensingEvents.Add(new LicensingEventRow { ParticipantCode = participantCode, LicensesExporters = licensesExporters, RecordedAt = now, Reason = reason, Actor = audit.Actor });
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            await AppendLogAsync(context, LogEntries.LicensingSet(now, audit.Actor, participantCode, licensesExporters, reason), now, cancellationToken).ConfigureAwait(false);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return (await LoadParticipantAsync(context, participantCode, cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
}
