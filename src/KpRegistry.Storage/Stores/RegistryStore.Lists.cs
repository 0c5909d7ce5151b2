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
        IReadOnlyList<RevocationRecord> revocations = await ListRevocationsSinceAsync(afterVersion, max, cancellationToken).ConfigureAwait(false);
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<RevocationListEntry>(revocations.Count);
        foreach (RevocationRecord revocation in revocations)
        {
            if (revocation.Kind == RevocationSubject.Key)
            {
                entries.Add(new RevocationListEntry(revocation, null, null));
                continue;
            }
            var certificate = await context.Certificates.AsNoTracking()
                .Where(c => c.IssuingParticipant == revocation.IssuingParticipant && c.CertificateNumber == revocation.CertificateNumber)
                .Select(c => new { c.PayloadSha256, c.RecordedAt })
                .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            entries.Add(new RevocationListEntry(revocation, certificate?.PayloadSha256, certificate?.RecordedAt));
        }
        return entries;
    }

    /// <summary>The newest revocation version, 0 when there is none.</summary>
    public async Task<long> GetRevocationVersionAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.Revocations.MaxAsync(r => (long?)r.Version, cancellationToken).ConfigureAwait(false) ?? 0;
    }

    /// <summary>
    /// A number that grows with every change to participants, authorities, zones or keys (the id of
    /// the newest audit event that is not about a certificate); 0 for a database never changed.
    /// </summary>
    public async Task<long> GetRegistryVersionAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.AuditEvents.Where(a => !a.Action.StartsWith("certificate."))
            .MaxAsync(a => (long?)a.Id, cancellationToken).ConfigureAwait(false) ?? 0;
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
            Audit(context, audit, now);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
