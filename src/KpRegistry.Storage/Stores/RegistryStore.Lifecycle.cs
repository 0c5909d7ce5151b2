using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Transparency;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

/// <summary>A certificate's life after it was recorded: import confirmation, replacement, listing.</summary>
public sealed partial class RegistryStore
{
    /// <summary>
    /// Records a signed import confirmation and the event it causes (Received or Detained, with
    /// the differences as its reason) in ONE transaction. Throws <see cref="StoreNotFoundException"/>
    /// when the certificate is not recorded, and <see cref="StoreConflictException"/> when it is
    /// not ISSUED (already confirmed, detained, or final) or another confirmation raced this one:
    /// the unique index on the certificate keeps it confirmed at most once.
    /// </summary>
    public Task<CertificateRecord> ConfirmImportAsync(string issuingParticipant, string certificateNumber, NewImportConfirmation confirmation,
        NewCertificateEvent outcome, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Kind is not (CertificateEventKind.Received or CertificateEventKind.Detained))
        {
            throw new ArgumentException("A confirmation makes a certificate Received or Detained.", nameof(outcome));
        }
        return InTransactionAsync(async context =>
        {
            long id = await CertificateIdAsync(context, issuingParticipant, certificateNumber, cancellationToken).ConfigureAwait(false);
            int events = await context.CertificateEvents.CountAsync(e => e.CertificateId == id, cancellationToken).ConfigureAwait(false);
            if (events > 0 || await context.ImportConfirmations.AnyAsync(c => c.CertificateId == id, cancellationToken).ConfigureAwait(false))
            {
                throw new StoreConflictException($"Certificate {certificateNumber} of {issuingParticipant} is no longer ISSUED; it is confirmed at most once.");
            }
            DateTimeOffset now = UtcNow();
            context.ImportConfirmations.Add(new ImportConfirmationRow
            {
                CertificateId = id,
                Envelope = confirmation.Envelope.ToArray(),
                KeyId = confirmation.KeyId,
                ImportingParticipant = confirmation.ImportingParticipant,
                ImportingAuthority = confirmation.ImportingAuthority,
                RecordedAt = now,
                Actor = audit.Actor,
                CaratsReceivedHundredths = confirmation.CaratsReceivedHundredths,
            });
            context.CertificateEvents.Add(new CertificateEventRow
            {
                CertificateId = id,
                Sequence = 1,
                Kind = outcome.Kind,
                At = now,
                Reason = outcome.Reason,
                Actor = audit.Actor,
            });
            Audit(context, audit, now);
            // The log carries the signed confirmation itself, so a monitor sees who confirmed what.
            await AppendLogAsync(context, LogEntries.CertificateEvent(outcome.Kind, now, audit.Actor, issuingParticipant,
                certificateNumber, outcome.Reason, statement: confirmation.Envelope.ToArray()), now, cancellationToken).ConfigureAwait(false);
            try
            {
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && !DbErrors.IsLogIndexConflict(e))
            {
                throw new StoreConflictException($"Another confirmation of certificate {certificateNumber} of {issuingParticipant} was recorded at the same time; nothing was written.", e);
            }
            return (await LoadCertificateAsync(context, issuingParticipant, certificateNumber, cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <summary>The signed import confirmation of a certificate, or null when it was not confirmed (or is not recorded).</summary>
    public async Task<ImportConfirmationRecord?> GetImportConfirmationAsync(string issuingParticipant, string certificateNumber, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await (
            from c in context.Certificates.AsNoTracking()
            where c.IssuingParticipant == issuingParticipant && c.CertificateNumber == certificateNumber
            join i in context.ImportConfirmations.AsNoTracking() on c.Id equals i.CertificateId
            select new ImportConfirmationRecord(i.Envelope, i.KeyId, i.ImportingParticipant, i.ImportingAuthority, i.RecordedAt, i.Actor))
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces a certificate in ONE transaction: records <paramref name="replacement"/> (whose
    /// <see cref="NewCertificate.ReplacesCertificateNumber"/> names the old one), appends Replaced
    /// to the old one and a revocation-list entry for it. Throws
    /// <see cref="StoreNotFoundException"/> when the old one is not recorded,
    /// <see cref="StoreConflictException"/> when it is not ISSUED or DETAINED, and
    /// <see cref="DuplicateCertificateException"/> when the new number is already recorded; in
    /// every case nothing is written.
    /// </summary>
    public Task<CertificateRecord> ReplaceCertificateAsync(NewCertificate replacement, string reason, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        string issuer = replacement.IssuingParticipant;
        string old = replacement.ReplacesCertificateNumber
            ?? throw new ArgumentException("A replacement names the certificate it replaces.", nameof(replacement));
        return InTransactionWithRevocationAsync(async context =>
        {
            long oldId = await CertificateIdAsync(context, issuer, old, cancellationToken).ConfigureAwait(false);
            var kinds = await context.CertificateEvents.Where(e => e.CertificateId == oldId).OrderBy(e => e.Sequence)
                .Select(e => e.Kind).ToListAsync(cancellationToken).ConfigureAwait(false);
            CertificateState state = kinds.Count == 0 ? CertificateState.Issued : CertificateStates.ToState(kinds[^1]);
            if (state is not (CertificateState.Issued or CertificateState.Detained))
            {
                throw new StoreConflictException($"Certificate {old} of {issuer} is {state.ToString().ToUpperInvariant()}; only an ISSUED or DETAINED certificate is replaced.");
            }
            if (await context.Certificates.AnyAsync(c => c.IssuingParticipant == issuer && c.CertificateNumber == replacement.CertificateNumber, cancellationToken).ConfigureAwait(false))
            {
                throw new DuplicateCertificateException(issuer, replacement.CertificateNumber, null);
            }
            DateTimeOffset now = UtcNow();
            CertificateRow row = NewRow(replacement, now);
            context.Certificates.Add(row);
            context.CertificateEvents.Add(new CertificateEventRow
            {
                CertificateId = oldId,
                Sequence = kinds.Count + 1,
                Kind = CertificateEventKind.Replaced,
                At = now,
                Reason = reason,
                ReplacedBy = replacement.CertificateNumber,
                Actor = audit.Actor,
            });
            context.Revocations.Add(new RevocationRow
            {
                Version = await NextRevocationVersionAsync(context, cancellationToken).ConfigureAwait(false),
                Kind = RevocationSubject.CertificateReplaced,
                IssuingParticipant = issuer,
                CertificateNumber = old,
                Reason = reason,
                RecordedAt = now,
                ReplacedBy = replacement.CertificateNumber,
            });
            Audit(context, audit, now);
            // Both changes in the log, in the same transaction: the new certificate as presented, and the old one's replacement.
            long logIndex = await AppendLogAsync(context,
            [
                LogEntries.CertificateRecorded(now, audit.Actor, replacement.IssuingParticipant, replacement.CertificateNumber, replacement.KeyId, replacement.Envelope),
                LogEntries.CertificateEvent(CertificateEventKind.Replaced, now, audit.Actor, issuer, old, reason, replacement.CertificateNumber),
            ], now, cancellationToken).ConfigureAwait(false);
            try
            {
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && !DbErrors.IsLogIndexConflict(e) && e.Entries.Any(x => x.Entity is CertificateRow))
            {
                throw new DuplicateCertificateException(issuer, replacement.CertificateNumber, e);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && !DbErrors.IsLogIndexConflict(e) && e.Entries.All(x => x.Entity is not RevocationRow))
            {
                throw new StoreConflictException($"Another event was appended to certificate {old} of {issuer} at the same time; nothing was written.", e);
            }
            return ToRecord(row, []) with { LogIndex = logIndex };
        }, cancellationToken);
    }

    /// <summary>
    /// One page of the certificates matching <paramref name="filter"/>, in recording order after
    /// the certificate with id <paramref name="afterId"/>; at most <paramref name="pageSize"/>, and
    /// the id to continue after when there may be more (null on the last page).
    /// </summary>
    public async Task<(IReadOnlyList<CertificateRecord> Page, long? NextAfterId)> ListCertificatesAsync(
        CertificateFilter filter, long afterId, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        IQueryable<CertificateRow> query = context.Certificates.AsNoTracking().Where(c => c.Id > afterId);
        if (filter.VisibleTo is { } party)
        {
            query = query.Where(c => c.IssuingParticipant == party || c.DestinationParticipant == party);
        }
        if (filter.IssuingParticipant is { } issuer)
        {
            query = query.Where(c => c.IssuingParticipant == issuer);
        }
        if (filter.DestinationParticipant is { } destination)
        {
            query = query.Where(c => c.DestinationParticipant == destination);
        }
        if (filter.IssuedFrom is { } from)
        {
            query = query.Where(c => c.DateOfIssue >= from);
        }
        if (filter.IssuedTo is { } to)
        {
            query = query.Where(c => c.DateOfIssue <= to);
        }
        if (filter.State is { } state)
        {
            // The state is that of the last event (none: ISSUED); the kinds that lead to it.
            if (state == CertificateState.Issued)
            {
                query = query.Where(c => !context.CertificateEvents.Any(e => e.CertificateId == c.Id));
            }
            else
            {
                CertificateEventKind kind = state switch
                {
                    CertificateState.Received => CertificateEventKind.Received,
                    CertificateState.Detained => CertificateEventKind.Detained,
                    CertificateState.Cancelled => CertificateEventKind.Cancelled,
                    CertificateState.Replaced => CertificateEventKind.Replaced,
                    CertificateState.Refused => CertificateEventKind.Refused,
                    _ => throw new ArgumentOutOfRangeException(nameof(filter), state, null),
                };
                query = query.Where(c => context.CertificateEvents.Where(e => e.CertificateId == c.Id)
                    .OrderByDescending(e => e.Sequence).Select(e => (CertificateEventKind?)e.Kind).FirstOrDefault() == kind);
            }
        }
        List<CertificateRow> rows = await query.OrderBy(c => c.Id).Take(pageSize + 1).ToListAsync(cancellationToken).ConfigureAwait(false);
        bool more = rows.Count > pageSize;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        var ids = rows.Select(r => r.Id).ToList();
        var events = (await context.CertificateEvents.AsNoTracking().Where(e => ids.Contains(e.CertificateId)).OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken).ConfigureAwait(false)).ToLookup(e => e.CertificateId);
        var page = rows.Select(r => ToRecord(r, [.. events[r.Id]])).ToList();
        return (page, more ? rows[^1].Id : null);
    }

    private static async Task<long> CertificateIdAsync(RegistryDbContext context, string issuingParticipant, string certificateNumber, CancellationToken cancellationToken) =>
        await context.Certificates.Where(c => c.IssuingParticipant == issuingParticipant && c.CertificateNumber == certificateNumber)
            .Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false)
        ?? throw new StoreNotFoundException($"Certificate {certificateNumber} of {issuingParticipant} is not recorded.");
}
