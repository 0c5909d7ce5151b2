using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

/// <summary>A client certificate to revoke: by its SHA-256 thumbprint, or by serial number and issuer.</summary>
public sealed record ClientCertificateRevocation(string? CertificateSha256, string? SerialNumber, string? Issuer, string Reason);

/// <summary>A revoked client certificate, as stored.</summary>
public sealed record RevokedClientCertificateRecord(long Id, string? CertificateSha256, string? SerialNumber, string? Issuer, string Reason, DateTimeOffset RevokedAt, string RevokedBy);

/// <summary>The record of one state-changing call, allowed or refused.</summary>
public sealed record CallAuditEntry(
    string Actor, string Action, string Target, string Result,
    string? CallerParticipant, string? CallerAuthority, string? CallerRole, string? CertificateSha256, string? RequestId, string Details = "");

/// <summary>One row of the audit trail with the caller's fields (null on change records, which carry the actor only).</summary>
public sealed record AuditEventRecord(
    long Id, DateTimeOffset At, string Actor, string Action, string Subject, string Details,
    string? CallerParticipant, string? CallerAuthority, string? CallerRole, string? CertificateSha256, string? Result, string? RequestId);

/// <summary>Which audit events to list; every part optional. <paramref name="To"/> is exclusive.</summary>
public sealed record AuditFilter(string? CallerParticipant = null, string? Action = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>Client-certificate revocations and the audit trail's call records and queries.</summary>
public sealed partial class RegistryStore
{
    /// <summary>
    /// Records a revoked client certificate and raises the registry version, so every instance's
    /// view reloads and refuses it. <see cref="StoreConflictException"/> when it is already revoked.
    /// </summary>
    public Task<RevokedClientCertificateRecord> RevokeClientCertificateAsync(ClientCertificateRevocation revocation, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        ArgumentNullException.ThrowIfNull(audit);
        return InTransactionAsync(async context =>
        {
            bool already = revocation.CertificateSha256 is { } sha
                ? await context.ClientCertificateRevocations.AnyAsync(r => r.CertificateSha256 == sha, cancellationToken).ConfigureAwait(false)
                : await context.ClientCertificateRevocations.AnyAsync(r => r.SerialNumber == revocation.SerialNumber && r.Issuer == revocation.Issuer, cancellationToken).ConfigureAwait(false);
            if (already)
            {
                throw new StoreConflictException("That client certificate is already revoked.");
            }
            DateTimeOffset now = UtcNow();
            var row = new ClientCertificateRevocationRow
            {
                CertificateSha256 = revocation.CertificateSha256,
                SerialNumber = revocation.SerialNumber,
                Issuer = revocation.Issuer,
                Reason = revocation.Reason,
                RevokedAt = now,
                RevokedBy = audit.Actor,
            };
            context.ClientCertificateRevocations.Add(row);
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return ToRecord(row);
        }, cancellationToken);
    }

    /// <summary>Every revoked client certificate, oldest first.</summary>
    public async Task<IReadOnlyList<RevokedClientCertificateRecord>> ListRevokedClientCertificatesAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await context.ClientCertificateRevocations.AsNoTracking().OrderBy(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(ToRecord).ToList();
    }

    private static RevokedClientCertificateRecord ToRecord(ClientCertificateRevocationRow r) =>
        new(r.Id, r.CertificateSha256, r.SerialNumber, r.Issuer, r.Reason, r.RevokedAt, r.RevokedBy);

    /// <summary>Appends the records of calls in one transaction of their own (a refused call changed nothing else to join).</summary>
    public async Task AppendCallAuditsAsync(IReadOnlyList<CallAuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = UtcNow();
        foreach (CallAuditEntry entry in entries)
        {
            context.AuditEvents.Add(new AuditEventRow
            {
                At = now,
                Actor = Clip(entry.Actor, RegistryDbContext.ActorLength),
                Action = Clip(entry.Action, 100),
                Subject = Clip(entry.Target, RegistryDbContext.ActorLength),
                Details = entry.Details,
                CallerParticipant = entry.CallerParticipant,
                CallerAuthority = entry.CallerAuthority,
                CallerRole = entry.CallerRole,
                CertificateSha256 = entry.CertificateSha256,
                Result = entry.Result,
                RequestId = entry.RequestId is null ? null : Clip(entry.RequestId, 100),
            });
        }
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends the record of one call.</summary>
    public Task AppendCallAuditAsync(CallAuditEntry entry, CancellationToken cancellationToken = default) =>
        AppendCallAuditsAsync([entry ?? throw new ArgumentNullException(nameof(entry))], cancellationToken);

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>A page of the audit trail matching <paramref name="filter"/>, oldest first, after id <paramref name="afterId"/>; the next page's id, or null at the end.</summary>
    public async Task<(IReadOnlyList<AuditEventRecord> Page, long? NextAfterId)> ListAuditEventsAsync(AuditFilter filter, long afterId, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        IQueryable<AuditEventRow> query = context.AuditEvents.AsNoTracking().Where(a => a.Id > afterId);
        if (filter.CallerParticipant is { } participant)
        {
            query = query.Where(a => a.CallerParticipant == participant);
        }
        if (filter.Action is { } action)
        {
            query = query.Where(a => a.Action == action);
        }
        if (filter.From is { } from)
        {
            query = query.Where(a => a.At >= from);
        }
        if (filter.To is { } to)
        {
            query = query.Where(a => a.At < to);
        }
        // One more than the page tells whether another page follows.
        List<AuditEventRecord> rows = await query.OrderBy(a => a.Id).Take(pageSize + 1)
            .Select(a => new AuditEventRecord(a.Id, a.At, a.Actor, a.Action, a.Subject, a.Details, a.CallerParticipant, a.CallerAuthority, a.CallerRole, a.CertificateSha256, a.Result, a.RequestId))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (rows.Count <= pageSize)
        {
            return (rows, null);
        }
        rows.RemoveAt(pageSize);
        return (rows, rows[^1].Id);
    }
}
