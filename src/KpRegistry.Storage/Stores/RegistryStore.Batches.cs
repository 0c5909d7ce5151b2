using KpRegistry.Domain.Transparency;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

/// <summary>A certificate to record in a batch, with the audit entry of its own call.</summary>
public sealed record CertificateToRecord(NewCertificate Certificate, AuditEntry Audit);

/// <summary>
/// What became of one certificate of a batch: exactly one of <see cref="Record"/> (recorded and
/// committed) and <see cref="Error"/> (nothing of it written: <see cref="DuplicateCertificateException"/>
/// or <see cref="StoreNotFoundException"/>) is set.
/// </summary>
public sealed record CertificateBatchOutcome(CertificateRecord? Record, StoreException? Error);

public sealed partial class RegistryStore
{
    /// <summary>
    /// Records many certificates in ONE transaction (group commit): each as
    /// <see cref="AddCertificateAsync"/> would, with its own audit row, and the same
    /// recorded_at for the whole batch. One certificate that cannot be recorded (its number is
    /// already recorded or appears earlier in the batch, or its issuer or key is unknown) fails
    /// alone, with the exception <see cref="AddCertificateAsync"/> would throw, and the rest are
    /// still recorded. Outcomes come back in the order of <paramref name="batch"/>. When the
    /// commit returns, every recorded certificate is durable. Throws only for what fails the whole
    /// transaction (the database is unreachable, the call is cancelled): then nothing was written.
    /// </summary>
    public async Task<IReadOnlyList<CertificateBatchOutcome>> AddCertificatesAsync(IReadOnlyList<CertificateToRecord> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcomes = new CertificateBatchOutcome?[batch.Count];
        if (batch.Count == 0)
        {
            return [];
        }

        // Within the batch: the first of a number wins, later ones are duplicates of it.
        var seen = new HashSet<(string, string)>();
        for (int i = 0; i < batch.Count; i++)
        {
            NewCertificate c = batch[i].Certificate;
            if (!seen.Add((c.IssuingParticipant, c.CertificateNumber)))
            {
                outcomes[i] = new(null, new DuplicateCertificateException(c.IssuingParticipant, c.CertificateNumber));
            }
        }

        try
        {
            await InTransactionAsync(async context =>
            {
                var issuers = batch.Select(b => b.Certificate.IssuingParticipant).Distinct().ToList();
                var keyIds = batch.Select(b => b.Certificate.KeyId).Distinct().ToList();
                var numbers = batch.Select(b => b.Certificate.CertificateNumber).Distinct().ToList();
                var knownIssuers = (await context.Participants.Where(p => issuers.Contains(p.Code)).Select(p => p.Code)
                    .ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
                var knownKeys = (await context.Keys.Where(k => keyIds.Contains(k.KeyId)).Select(k => k.KeyId)
                    .ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
                var recorded = (await RecordedAmong(context, issuers, numbers)
                    .Select(c => new { c.IssuingParticipant, c.CertificateNumber }).ToListAsync(cancellationToken).ConfigureAwait(false))
                    .Select(c => (c.IssuingParticipant, c.CertificateNumber)).ToHashSet();

                DateTimeOffset now = UtcNow();
                var rows = new CertificateRow?[batch.Count];
                var logEntries = new List<byte[]>(batch.Count);
                for (int i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i] is not null)
                    {
                        continue;
                    }
                    NewCertificate c = batch[i].Certificate;
                    if (!knownIssuers.Contains(c.IssuingParticipant))
                    {
                        outcomes[i] = new(null, new StoreNotFoundException($"{c.IssuingParticipant} is not a participant."));
                    }
                    else if (!knownKeys.Contains(c.KeyId))
                    {
                        outcomes[i] = new(null, new StoreNotFoundException($"Key {c.KeyId} is not registered."));
                    }
                    else if (recorded.Contains((c.IssuingParticipant, c.CertificateNumber)))
                    {
                        outcomes[i] = new(null, new DuplicateCertificateException(c.IssuingParticipant, c.CertificateNumber));
                    }
                    else
                    {
                        rows[i] = NewRow(c, now);
                        context.Certificates.Add(rows[i]!);
                        Audit(context, batch[i].Audit, now);
                        logEntries.Add(LogEntries.CertificateRecorded(now, batch[i].Audit.Actor, c.IssuingParticipant, c.CertificateNumber, c.KeyId, c.Envelope));
                    }
                }
                // The batch's entries in batch order, with one index query for the whole batch.
                long logIndex = logEntries.Count == 0 ? 0 : await AppendLogAsync(context, logEntries, now, cancellationToken).ConfigureAwait(false);
                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < batch.Count; i++)
                {
                    if (rows[i] is { } row)
                    {
                        outcomes[i] = new(ToRecord(row, []) with { LogIndex = logIndex++ }, null);
                    }
                }
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && DbErrors.IsUniqueViolation(e) && !DbErrors.IsLogIndexConflict(e))
        {
            // Another writer recorded one of these numbers after the check above: the batch
            // transaction rolled back whole, so each certificate gets its own transaction instead.
            for (int i = 0; i < batch.Count; i++)
            {
                if (outcomes[i] is { Error: not null })
                {
                    continue;
                }
                try
                {
                    outcomes[i] = new(await AddCertificateAsync(batch[i].Certificate, batch[i].Audit, cancellationToken).ConfigureAwait(false), null);
                }
                catch (StoreException error) when (error is DuplicateCertificateException or StoreNotFoundException)
                {
                    outcomes[i] = new(null, error);
                }
            }
        }
        return outcomes.Select(o => o!).ToList();
    }

    /// <summary>
    /// The rows recorded under any of <paramref name="issuers"/> with any of <paramref name="numbers"/>
    /// (a superset of the batch's pairs; the caller matches pairs). Both columns are filtered so the
    /// (issuing_participant, certificate_number) index is searched: on the number alone SQLite
    /// scanned the whole index once per batch, and issuing slowed as the registry grew (1,012/s with
    /// 150,000 recorded against 2,288/s with 20,000).
    /// </summary>
    internal static IQueryable<CertificateRow> RecordedAmong(RegistryDbContext context, List<string> issuers, List<string> numbers) =>
        context.Certificates.Where(c => issuers.Contains(c.IssuingParticipant) && numbers.Contains(c.CertificateNumber));

    private static CertificateRow NewRow(NewCertificate certificate, DateTimeOffset now)
    {
        CertificateRow row = NewCertificateRow(certificate, now);
        if (certificate.Trade is { } trade)
        {
            AddTradeDetail(row, trade);
        }
        return row;
    }

    private static CertificateRow NewCertificateRow(NewCertificate certificate, DateTimeOffset now) => new()
    {
        IssuingParticipant = certificate.IssuingParticipant,
        CertificateNumber = certificate.CertificateNumber,
        IssuingAuthority = certificate.IssuingAuthority,
        KeyId = certificate.KeyId,
        Envelope = certificate.Envelope.ToArray(),
        PayloadSha256 = certificate.PayloadSha256.ToArray(),
        DateOfIssue = certificate.DateOfIssue,
        DateOfExpiry = certificate.DateOfExpiry,
        DestinationParticipant = certificate.DestinationParticipant,
        TotalCaratsHundredths = certificate.TotalCaratsHundredths,
        TotalValueUsdCents = certificate.TotalValueUsdCents,
        RecordedAt = now,
        ReplacesCertificateNumber = certificate.ReplacesCertificateNumber,
    };
}
