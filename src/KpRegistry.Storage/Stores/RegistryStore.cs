using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

/// <summary>
/// The narrow door to the registry's database. Every changing call is ONE transaction that also
/// appends its <see cref="AuditEntry"/>; when a call throws, nothing of it was written. Times of
/// recording come from the injected <see cref="TimeProvider"/>, in UTC. Thread-safe: each call
/// uses its own context from the factory.
/// </summary>
public sealed partial class RegistryStore(IDbContextFactory<RegistryDbContext> contextFactory, TimeProvider timeProvider)
{
    private const int RevocationVersionAttempts = 5;

    private DateTimeOffset UtcNow() => timeProvider.GetUtcNow().ToUniversalTime();

    /// <summary>
    /// Runs <paramref name="body"/> in one transaction with its own context; commits when it
    /// returns. Run again from the start when another transaction took the same log index.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Func<RegistryDbContext, Task<T>> body, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await InOneTransactionAsync(body, cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (attempt < RevocationVersionAttempts && DbErrors.IsLogIndexConflict(e))
            {
                // Another transaction committed this log index first: try again with the next one.
            }
        }
    }

    private async Task<T> InOneTransactionAsync<T>(Func<RegistryDbContext, Task<T>> body, CancellationToken cancellationToken)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            T result = await body(context).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw new StoreConflictException("The record changed while the call ran; nothing was written.", e);
        }
    }

    /// <summary>
    /// As <see cref="InTransactionAsync{T}"/>, retried from the start when two transactions took
    /// the same revocation version (possible on SQL Server under snapshot reads; SQLite serialises
    /// writers). Each attempt reads the state afresh.
    /// </summary>
    private async Task<T> InTransactionWithRevocationAsync<T>(Func<RegistryDbContext, Task<T>> body, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await InTransactionAsync(body, cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException e) when (attempt < RevocationVersionAttempts
                && DbErrors.IsUniqueViolation(e) && e.Entries.Any(x => x.Entity is RevocationRow))
            {
                // Another transaction committed this version first: try again with the next one.
            }
        }
    }

    private void Audit(RegistryDbContext context, AuditEntry entry, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(entry);
        context.AuditEvents.Add(new AuditEventRow
        {
            At = at,
            Actor = entry.Actor,
            Action = entry.Action,
            Subject = entry.Subject,
            Details = entry.Details,
        });
    }

    /// <summary>
    /// Raises the registry version by one inside the caller's transaction; every change to
    /// participants, their status, authorities, zones or keys calls it. The row is made by the
    /// migration; one missing (a database made without migrations) is made here.
    /// </summary>
    internal static async Task RaiseRegistryVersionAsync(RegistryDbContext context, CancellationToken cancellationToken)
    {
        int updated = await context.RegistryVersion.Where(v => v.Id == RegistryVersionRow.SingletonId)
            .ExecuteUpdateAsync(u => u.SetProperty(v => v.Version, v => v.Version + 1), cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            context.RegistryVersion.Add(new RegistryVersionRow { Id = RegistryVersionRow.SingletonId, Version = 1 });
        }
    }

    private static async Task<long> NextRevocationVersionAsync(RegistryDbContext context, CancellationToken cancellationToken)
    {
        long? max = await context.Revocations.MaxAsync(r => (long?)r.Version, cancellationToken).ConfigureAwait(false);
        return (max ?? 0) + 1;
    }

    /// <summary>The audit trail after <paramref name="afterId"/>, oldest first, at most <paramref name="max"/> rows.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAuditAsync(long afterId = 0, int max = 1000, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.AuditEvents.AsNoTracking()
            .Where(a => a.Id > afterId)
            .OrderBy(a => a.Id)
            .Take(max)
            .Select(a => new AuditRecord(a.Id, a.At, a.Actor, a.Action, a.Subject, a.Details))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revocation entries with a version above <paramref name="afterVersion"/>, in version order (0 for the full list).</summary>
    public async Task<IReadOnlyList<RevocationRecord>> ListRevocationsSinceAsync(long afterVersion, int max = 10_000, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.Revocations.AsNoTracking()
            .Where(r => r.Version > afterVersion)
            .OrderBy(r => r.Version)
            .Take(max)
            .Select(r => new RevocationRecord(r.Version, r.Kind, r.KeyId, r.IssuingParticipant, r.CertificateNumber, r.Reason, r.CompromisedSince, r.RecordedAt, r.ReplacedBy))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
