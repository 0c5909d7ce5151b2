using System.Runtime.CompilerServices;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Transparency;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

public sealed partial class RegistryStore
{
    /// <summary>
    /// Records a certificate (recorded_at = now). The envelope bytes are stored as given and never
    /// changed. Throws <see cref="DuplicateCertificateException"/> when (issuer, number) is already
    /// recorded, detected from the database's unique index: the first record stays intact and
    /// nothing of this call is written, audit included. Throws <see cref="StoreNotFoundException"/>
    /// for an unknown issuer or key. Whether the certificate is valid is not Storage's question.
    /// </summary>
    public Task<CertificateRecord> AddCertificateAsync(NewCertificate certificate, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return InTransactionAsync(async context =>
        {
            await RequireParticipantAsync(context, certificate.IssuingParticipant, cancellationToken).ConfigureAwait(false);
            if (!await context.Keys.AnyAsync(k => k.KeyId == certificate.KeyId, cancellationToken).ConfigureAwait(false))
            {
                throw new StoreNotFoundException($"Key {certificate.KeyId} is not registered.");
            }
            DateTimeOffset now = UtcNow();
            CertificateRow row = NewRow(certificate, now);
            context.Certificates.Add(row);
            Audit(context, audit, now);
            long logIndex = await AppendLogAsync(context, LogEntries.CertificateRecorded(now, audit.Actor, certificate.IssuingParticipant,
                certificate.CertificateNumber, certificate.KeyId, certificate.Envelope), now, cancellationToken).ConfigureAwait(false);
            try
            {
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && DbErrors.IsUniqueViolation(e) && !DbErrors.IsLogIndexConflict(e))
            {
                // The only unique rule a new certificate row can break is (issuer, number).
                throw new DuplicateCertificateException(certificate.IssuingParticipant, certificate.CertificateNumber, e);
            }
            return ToRecord(row, []) with { LogIndex = logIndex };
        }, cancellationToken);
    }

    /// <summary>The certificate with its events and derived state, or null when none was recorded.</summary>
    public async Task<CertificateRecord?> GetCertificateAsync(string issuingParticipant, string certificateNumber, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await LoadCertificateAsync(context, issuingParticipant, certificateNumber, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends an event to a recorded certificate; Cancelled and Refused also append a
    /// revocation-list entry. Throws <see cref="StoreNotFoundException"/> when not recorded, and
    /// <see cref="StoreConflictException"/> after Cancelled, Replaced or Refused (final), for a
    /// second Received (a certificate is confirmed at most once), when the certificate is not in
    /// <paramref name="requiredState"/> (when given), or when another append raced this one.
    /// </summary>
    public Task<CertificateRecord> AppendCertificateEventAsync(string issuingParticipant, string certificateNumber, NewCertificateEvent certificateEvent, AuditEntry audit, CancellationToken cancellationToken = default, CertificateState? requiredState = null)
    {
        ArgumentNullException.ThrowIfNull(certificateEvent);
        return InTransactionWithRevocationAsync(async context =>
        {
            long id = await context.Certificates.Where(c => c.IssuingParticipant == issuingParticipant && c.CertificateNumber == certificateNumber)
                .Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new StoreNotFoundException($"Certificate {certificateNumber} of {issuingParticipant} is not recorded.");
            var kinds = await context.CertificateEvents.Where(e => e.CertificateId == id).OrderBy(e => e.Sequence)
                .Select(e => e.Kind).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (kinds.Count > 0 && CertificateStates.IsFinal(kinds[^1]))
            {
                throw new StoreConflictException($"Certificate {certificateNumber} of {issuingParticipant} is {kinds[^1]}; nothing can follow.");
            }
            if (certificateEvent.Kind == CertificateEventKind.Received && kinds.Contains(CertificateEventKind.Received))
            {
                throw new StoreConflictException($"Certificate {certificateNumber} of {issuingParticipant} is already confirmed as received.");
            }
            CertificateState current = kinds.Count == 0 ? CertificateState.Issued : CertificateStates.ToState(kinds[^1]);
            if (requiredState is { } required && current != required)
            {
                throw new StoreConflictException($"Certificate {certificateNumber} of {issuingParticipant} is {current.ToString().ToUpperInvariant()}, not {required.ToString().ToUpperInvariant()}.");
            }
            DateTimeOffset now = UtcNow();
            context.CertificateEvents.Add(new CertificateEventRow
            {
                CertificateId = id,
                Sequence = kinds.Count + 1,
                Kind = certificateEvent.Kind,
                At = now,
                Reason = certificateEvent.Reason,
                ReplacedBy = certificateEvent.Kind == CertificateEventKind.Replaced ? certificateEvent.ReplacedBy : null,
                Actor = audit.Actor,
            });
            if (certificateEvent.Kind is CertificateEventKind.Cancelled or CertificateEventKind.Refused)
            {
                context.Revocations.Add(new RevocationRow
                {
                    Version = await NextRevocationVersionAsync(context, cancellationToken).ConfigureAwait(false),
                    Kind = certificateEvent.Kind == CertificateEventKind.Cancelled ? RevocationSubject.Certificate : RevocationSubject.CertificateRefused,
                    IssuingParticipant = issuingParticipant,
                    CertificateNumber = certificateNumber,
                    Reason = certificateEvent.Reason,
                    RecordedAt = now,
                });
            }
            Audit(context, audit, now);
            await AppendLogAsync(context, LogEntries.CertificateEvent(certificateEvent.Kind, now, audit.Actor, issuingParticipant,
                certificateNumber, certificateEvent.Reason, certificateEvent.ReplacedBy), now, cancellationToken).ConfigureAwait(false);
            try
            {
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && !DbErrors.IsLogIndexConflict(e) && e.Entries.All(x => x.Entity is not RevocationRow))
            {
                throw new StoreConflictException($"Another event was appended to certificate {certificateNumber} of {issuingParticipant} at the same time; nothing was written.", e);
            }
            return (await LoadCertificateAsync(context, issuingParticipant, certificateNumber, cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <summary>
    /// Every recorded certificate as the verification decision reads it, in recording order, read
    /// in batches of <paramref name="batchSize"/> (each batch its own short query), for filling an
    /// in-memory cache at start.
    /// </summary>
    public async IAsyncEnumerable<CertificateRecordInfo> ReadAllCertificateRecordsAsync(int batchSize = 5000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        long afterId = 0;
        while (true)
        {
            List<CertificateRecordInfo> batch;
            await using (RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                var rows = await context.Certificates.AsNoTracking()
                    .Where(c => c.Id > afterId)
                    .OrderBy(c => c.Id)
                    .Take(batchSize)
                    .Select(c => new { c.Id, c.IssuingParticipant, c.CertificateNumber, c.KeyId, c.PayloadSha256, c.RecordedAt })
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
                if (rows.Count == 0)
                {
                    yield break;
                }
                long first = rows[0].Id;
                long last = rows[^1].Id;
                var events = (await context.CertificateEvents.AsNoTracking()
                    .Where(e => e.CertificateId >= first && e.CertificateId <= last)
                    .OrderBy(e => e.Sequence)
                    .Select(e => new { e.CertificateId, e.Kind, e.Reason, e.ReplacedBy })
                    .ToListAsync(cancellationToken).ConfigureAwait(false))
                    .ToLookup(e => e.CertificateId);
                batch = rows.Select(c =>
                {
                    var (state, reason, replacedBy) = CertificateStates.Derive(events[c.Id].Select(e => (e.Kind, e.Reason, e.ReplacedBy)));
                    return new CertificateRecordInfo(c.IssuingParticipant, c.CertificateNumber, c.KeyId, c.PayloadSha256, c.RecordedAt, state, reason, replacedBy);
                }).ToList();
                afterId = last;
            }
            foreach (CertificateRecordInfo record in batch)
            {
                yield return record;
            }
        }
    }

    private static async Task<CertificateRecord?> LoadCertificateAsync(RegistryDbContext context, string issuingParticipant, string certificateNumber, CancellationToken cancellationToken)
    {
        CertificateRow? row = await context.Certificates.AsNoTracking()
            .SingleOrDefaultAsync(c => c.IssuingParticipant == issuingParticipant && c.CertificateNumber == certificateNumber, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }
        var events = await context.CertificateEvents.AsNoTracking().Where(e => e.CertificateId == row.Id).OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return ToRecord(row, events);
    }

    private static CertificateRecord ToRecord(CertificateRow row, IReadOnlyList<CertificateEventRow> events)
    {
        var eventRecords = events.Select(e => new CertificateEventRecord(e.Sequence, e.Kind, e.At, e.Reason, e.ReplacedBy, e.Actor)).ToList();
        CertificateState state = CertificateStates.Derive(eventRecords.Select(e => (e.Kind, e.Reason, e.ReplacedBy))).State;
        return new(row.Id, row.IssuingParticipant, row.CertificateNumber, row.IssuingAuthority, row.KeyId, row.Envelope, row.PayloadSha256,
            row.DateOfIssue, row.DateOfExpiry, row.DestinationParticipant, row.TotalCaratsHundredths, row.TotalValueUsdCents, row.RecordedAt,
            state, eventRecords, row.ReplacesCertificateNumber);
    }
}
