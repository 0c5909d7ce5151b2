using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Transparency;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

public sealed partial class RegistryStore
{
    /// <summary>Every participant with its history, authorities and zones, ordered by code.</summary>
    public async Task<IReadOnlyList<ParticipantRecord>> ListParticipantsAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var participants = await context.Participants.AsNoTracking().OrderBy(p => p.Code).ToListAsync(cancellationToken).ConfigureAwait(false);
        var statuses = (await context.ParticipantStatusEvents.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(s => s.ParticipantCode);
        var authorities = (await context.Authorities.AsNoTracking().OrderBy(a => a.Code).ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(a => a.ParticipantCode);
        var zones = (await context.ZoneApprovals.AsNoTracking().OrderBy(z => z.Id).ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(z => z.ParticipantCode);
        return participants.Select(p => ToRecord(p, statuses[p.Code], authorities[p.Code], zones[p.Code])).ToList();
    }

    /// <summary>The participant with this code, or null.</summary>
    public async Task<ParticipantRecord?> GetParticipantAsync(string code, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await LoadParticipantAsync(context, code, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Admits a participant: its row and an ACTIVE status event from its admission date.
    /// Throws <see cref="StoreConflictException"/> when the code is already a participant.
    /// </summary>
    public Task<ParticipantRecord> AdmitParticipantAsync(NewParticipant participant, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(participant);
        return InTransactionAsync(async context =>
        {
            if (await context.Participants.AnyAsync(p => p.Code == participant.Code, cancellationToken).ConfigureAwait(false))
            {
                throw new StoreConflictException($"{participant.Code} is already a participant.");
            }
            DateTimeOffset now = UtcNow();
            context.Participants.Add(new ParticipantRow
            {
                Code = participant.Code,
                Name = participant.Name,
                AdmittedOn = participant.AdmittedOn,
                MaxValidityDays = participant.MaxValidityDays,
                Embargoed = participant.Embargoed,
            });
            context.ParticipantStatusEvents.Add(new ParticipantStatusEventRow
            {
                ParticipantCode = participant.Code,
                Status = ParticipantStatus.Active,
                EffectiveFrom = participant.AdmittedOn,
                RecordedAt = now,
                Reason = "admitted",
                Actor = audit.Actor,
            });
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            await AppendLogAsync(context, LogEntries.ParticipantEvent(LogEntryKind.ParticipantAdmitted, now, audit.Actor, participant.Code, participant.Name,
                ParticipantStatus.Active, participant.AdmittedOn, "admitted"), now, cancellationToken).ConfigureAwait(false);
            await SaveUniqueAsync(context, $"{participant.Code} is already a participant.", cancellationToken).ConfigureAwait(false);
            return (await LoadParticipantAsync(context, participant.Code, cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <summary>Appends a status change effective from <paramref name="effectiveFrom"/>. A later-recorded event with the same date supersedes an earlier one.</summary>
    public Task<ParticipantRecord> AppendStatusAsync(string code, ParticipantStatus status, DateOnly effectiveFrom, string reason, AuditEntry audit, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async context =>
        {
            await RequireParticipantAsync(context, code, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = UtcNow();
            context.ParticipantStatusEvents.Add(new ParticipantStatusEventRow
            {
                ParticipantCode = code,
                Status = status,
                EffectiveFrom = effectiveFrom,
                RecordedAt = now,
                Reason = reason,
                Actor = audit.Actor,
            });
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            string name = await context.Participants.Where(p => p.Code == code).Select(p => p.Name).SingleAsync(cancellationToken).ConfigureAwait(false);
            await AppendLogAsync(context, LogEntries.ParticipantEvent(LogEntryKind.ParticipantStatusChanged, now, audit.Actor, code, name,
                status, effectiveFrom, reason), now, cancellationToken).ConfigureAwait(false);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return (await LoadParticipantAsync(context, code, cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);

    /// <summary>Registers an authority of a participant. Throws <see cref="StoreConflictException"/> when the authority code is taken.</summary>
    public Task<AuthorityInfo> AddAuthorityAsync(AuthorityInfo authority, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return InTransactionAsync(async context =>
        {
            await RequireParticipantAsync(context, authority.ParticipantCode, cancellationToken).ConfigureAwait(false);
            if (await context.Authorities.AnyAsync(a => a.Code == authority.Code, cancellationToken).ConfigureAwait(false))
            {
                throw new StoreConflictException($"Authority {authority.Code} already exists.");
            }
            context.Authorities.Add(new AuthorityRow { Code = authority.Code, ParticipantCode = authority.ParticipantCode, Name = authority.Name });
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, UtcNow());
            await SaveUniqueAsync(context, $"Authority {authority.Code} already exists.", cancellationToken).ConfigureAwait(false);
            return authority;
        }, cancellationToken);
    }

    /// <summary>Approves a zone or operation of a participant for a period.</summary>
    public Task<ZoneApproval> ApproveZoneAsync(string participantCode, ZoneApproval approval, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return InTransactionAsync(async context =>
        {
            await RequireParticipantAsync(context, participantCode, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = UtcNow();
            context.ZoneApprovals.Add(new ZoneApprovalRow
            {
                ParticipantCode = participantCode,
                Zone = approval.Zone,
                EffectiveFrom = approval.EffectiveFrom,
                EffectiveTo = approval.EffectiveTo,
                RecordedAt = now,
            });
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return approval;
        }, cancellationToken);
    }

    private static async Task RequireParticipantAsync(RegistryDbContext context, string code, CancellationToken cancellationToken)
    {
        if (!await context.Participants.AnyAsync(p => p.Code == code, cancellationToken).ConfigureAwait(false))
        {
            throw new StoreNotFoundException($"{code} is not a participant.");
        }
    }

    /// <summary>Saves; a unique-index or primary-key refusal becomes a <see cref="StoreConflictException"/>.</summary>
    private static async Task SaveUniqueAsync(RegistryDbContext context, string conflictMessage, CancellationToken cancellationToken)
    {
        try
        {
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && DbErrors.IsUniqueViolation(e) && !DbErrors.IsLogIndexConflict(e))
        {
            throw new StoreConflictException(conflictMessage, e);
        }
    }

    private static async Task<ParticipantRecord?> LoadParticipantAsync(RegistryDbContext context, string code, CancellationToken cancellationToken)
    {
        ParticipantRow? row = await context.Participants.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }
        var statuses = await context.ParticipantStatusEvents.AsNoTracking().Where(s => s.ParticipantCode == code).ToListAsync(cancellationToken).ConfigureAwait(false);
        var authorities = await context.Authorities.AsNoTracking().Where(a => a.ParticipantCode == code).OrderBy(a => a.Code).ToListAsync(cancellationToken).ConfigureAwait(false);
        var zones = await context.ZoneApprovals.AsNoTracking().Where(z => z.ParticipantCode == code).OrderBy(z => z.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return ToRecord(row, statuses, authorities, zones);
    }

    private static ParticipantRecord ToRecord(ParticipantRow row, IEnumerable<ParticipantStatusEventRow> statuses, IEnumerable<AuthorityRow> authorities, IEnumerable<ZoneApprovalRow> zones) =>
        new(row.Code, row.Name, row.AdmittedOn, row.Embargoed, row.MaxValidityDays,
            StatusHistories.FromEvents(statuses),
            authorities.Select(a => new AuthorityInfo(a.Code, a.ParticipantCode, a.Name)).ToList(),
            zones.Select(z => new ZoneApproval(z.Zone, z.EffectiveFrom, z.EffectiveTo)).ToList());
}
