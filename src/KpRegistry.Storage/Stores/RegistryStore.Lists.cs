using KpRegistry.Domain.Registry;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

/// <summary>Reads for the signed lists: the registry key chain, the revocation entries, the registry version.</summary>
public sealed partial class RegistryStore
{
    /// <summary>The registry key chain, oldest first.</summary>
    public async Task<IReadOnlyList<RegistryKeyLink>> ListRegistryKeyLinksAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.RegistryKeyLinks.AsNoTracking().OrderBy(l => l.Sequence)
            .Select(l => new RegistryKeyLink(l.Sequence, l.KeyId, l.Statement))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The revocation entries after <paramref name="afterVersion"/>, in version order, each
    /// certificate entry with the recorded payload's SHA-256 and recording time.
    /// </summary>
    public async Task<IReadOnlyList<RevocationListEntry>> ListRevocationEntriesSinceAsync(long afterVersion, int max = 10_000, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // One query: each entry with its certificate (for a certificate entry), by a left join.
        var rows = await (
            from r in context.Revocations.AsNoTracking()
            where r.Version > afterVersion
            join c in context.Certificates.AsNoTracking()
                on new { Issuer = r.IssuingParticipant, Number = r.CertificateNumber }
                equals new { Issuer = (string?)c.IssuingParticipant, Number = (string?)c.CertificateNumber } into certificates
            from c in certificates.DefaultIfEmpty()
            orderby r.Version
            select new
            {
                r.Version, r.Kind, r.KeyId, r.IssuingParticipant, r.CertificateNumber, r.Reason, r.CompromisedSince, r.RecordedAt, r.ReplacedBy,
                PayloadSha256 = c == null ? null : c.PayloadSha256,
                CertificateRecordedAt = c == null ? (DateTimeOffset?)null : c.RecordedAt,
            })
            .Take(max)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(x => new RevocationListEntry(
            new RevocationRecord(x.Version, x.Kind, x.KeyId, x.IssuingParticipant, x.CertificateNumber, x.Reason, x.CompromisedSince, x.RecordedAt, x.ReplacedBy),
            x.Kind == RevocationSubject.Key ? null : x.PayloadSha256,
            x.Kind == RevocationSubject.Key ? null : x.CertificateRecordedAt))];
    }

    /// <summary>The newest revocation version, 0 when there is none.</summary>
    public async Task<long> GetRevocationVersionAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.Revocations.MaxAsync(r => (long?)r.Version, cancellationToken).ConfigureAwait(false) ?? 0;
    }

    /// <summary>
    /// The registry version: a counter raised in the same transaction as every change to
    /// participants, their status, authorities, zones or keys; 0 for a database never changed.
    /// </summary>
    public async Task<long> GetRegistryVersionAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.RegistryVersion.Where(v => v.Id == RegistryVersionRow.SingletonId)
            .Select(v => (long?)v.Version).SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? 0;
    }

    /// <summary>The certificates signed by <paramref name="keyId"/> that the registry recorded at or after <paramref name="since"/>, oldest first.</summary>
    public async Task<IReadOnlyList<(string IssuingParticipant, string CertificateNumber)>> ListCertificatesSignedSinceAsync(
        string keyId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset from = since.ToUniversalTime();
        var rows = await context.Certificates.AsNoTracking()
            .Where(c => c.KeyId == keyId && c.RecordedAt >= from)
            .OrderBy(c => c.Id)
            .Select(c => new { c.IssuingParticipant, c.CertificateNumber })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(r => (r.IssuingParticipant, r.CertificateNumber)).ToList();
    }
}

/// <summary>The registry's own participant row, the holder of the registry keys.</summary>
public sealed partial class RegistryStore
{
    /// <summary>
    /// Makes the row of the registry's own key holder when it is missing: a participant row with
    /// NO status event, so it can never issue or receive. Returns true when it made it.
    /// </summary>
    public Task<bool> EnsureKeyHolderAsync(string code, string name, AuditEntry audit, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async context =>
        {
            if (await context.Participants.AnyAsync(p => p.Code == code, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            DateTimeOffset now = UtcNow();
            context.Participants.Add(new ParticipantRow { Code = code, Name = name, AdmittedOn = DateOnly.FromDateTime(now.UtcDateTime) });
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
