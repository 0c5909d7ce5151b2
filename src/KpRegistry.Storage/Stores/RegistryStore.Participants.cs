using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Transparency;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

public sealed partial class RegistryStore
{
    /// <summary>Every participant with its history, authorities, zones, embargoes and licensing, ordered by code.</summary>
    public async Task<IReadOnlyList<ParticipantRecord>> ListParticipantsAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await LoadParticipantsAsync(context, null, cancellationToken).ConfigureAwait(false);
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
                MaxValidityMonths = participant.MaxValidityMonths,
                Embargoed = participant.Embargoed,
                Kind = participant.Kind,
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
            await AppendLogAsync(context, LogEntries.ParticipantAdmitted(now, audit.Actor, participant.Code, participant.Name,
                participant.AdmittedOn, "admitted"), now, cancellationToken).ConfigureAwait(false);
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
            await AppendLogAsync(context, LogEntries.ParticipantStatusChanged(now, audit.Actor, code, name,
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
            DateTimeOffset now = UtcNow();
            Audit(context, audit, now);
            await AppendLogAsync(context, LogEntries.AuthorityAdded(now, audit.Actor, authority, audit.Details), now, cancellationToken).ConfigureAwait(false);
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
            await AppendLogAsync(context, LogEntries.ZoneApproved(now, audit.Actor, participantCode, approval, audit.Details), now, cancellationToken).ConfigureAwait(false);
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

    private static async Task<ParticipantRecord?> LoadParticipantAsync(RegistryDbContext context, string code, CancellationToken cancellationToken) =>
        (await LoadParticipantsAsync(context, code, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Every participant, or the one with <paramref name="code"/>, with everything the verification view reads.</summary>
    private static async Task<IReadOnlyList<ParticipantRecord>> LoadParticipantsAsync(RegistryDbContext context, string? code, CancellationToken cancellationToken)
    {
        var participantRows = context.Participants.AsNoTracking().Where(p => code == null || p.Code == code);
        var participants = await participantRows.OrderBy(p => p.Code).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (participants.Count == 0)
        {
            return [];
        }
        var statuses = (await context.ParticipantStatusEvents.AsNoTracking().Where(s => code == null || s.ParticipantCode == code)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(s => s.ParticipantCode);
        var authorities = (await context.Authorities.AsNoTracking().Where(a => code == null || a.ParticipantCode == code).OrderBy(a => a.Code)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(a => a.ParticipantCode);
        var removals = (await context.AuthorityRemovals.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.AuthorityCode, r => r.EffectiveOn, StringComparer.Ordinal);
        var zones = (await context.ZoneApprovals.AsNoTracking().Where(z => code == null || z.ParticipantCode == code).OrderBy(z => z.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(z => z.ParticipantCode);
        var zoneSets = (await context.ZoneSets.AsNoTracking().Where(z => code == null || z.ParticipantCode == code)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(z => z.ParticipantCode);
        var embargoes = (await context.Embargoes.AsNoTracking().Where(e => code == null || e.ParticipantCode == code).OrderBy(e => e.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(e => e.ParticipantCode);
        var licensing = (await context.LicensingEvents.AsNoTracking().Where(l => code == null || l.ParticipantCode == code).OrderBy(l => l.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(l => l.ParticipantCode);
        return participants.Select(p => new ParticipantRecord(
            p.Code, p.Name, p.AdmittedOn, p.Embargoed, p.MaxValidityDays,
            StatusHistories.FromEvents(statuses[p.Code]),
            authorities[p.Code].Select(a => new AuthorityInfo(a.Code, a.ParticipantCode, a.Name, removals.TryGetValue(a.Code, out DateOnly on) ? on : null)).ToList(),
            ZoneHistories.FromRows(zones[p.Code], zoneSets[p.Code]),
            LicensesExporters: licensing[p.Code].LastOrDefault()?.LicensesExporters ?? false,
            MaxValidityMonths: p.MaxValidityMonths,
            Kind: p.Kind,
            Embargoes: Embargoes.InForce(embargoes[p.Code]))).ToList();
    }
}
