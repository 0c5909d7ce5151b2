using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

/// <summary>A stored log entry: its leaf index and its bytes (a serialised kp.transparency.v1.LogEntry).</summary>
public sealed record StoredLogEntry(long Index, byte[] Entry);

/// <summary>A published checkpoint as stored: tree size, root hash, and the signed note with its cosignatures.</summary>
public sealed record StoredCheckpoint(long TreeSize, byte[] RootHash, string Note, DateTimeOffset PublishedAt);

/// <summary>The log's checkpoint key as stored: id, origin (its key name), public key, sealed private key.</summary>
public sealed record StoredLogKey(string KeyId, string Origin, byte[] Spki, byte[] SealedPrivateKey);

/// <summary>The transparency log: entries sequenced inside the change's own transaction, checkpoints, the log key.</summary>
public sealed partial class RegistryStore
{
    /// <summary>
    /// Appends <paramref name="entries"/> to the log inside the caller's transaction and returns
    /// the index of the first. The index is the previous maximum plus one: SQLite serialises
    /// writers (Microsoft.Data.Sqlite begins transactions IMMEDIATE), and on SQL Server a
    /// transaction that took the same index fails on the primary key and is run again
    /// (<see cref="InTransactionAsync{T}"/>), so indices are dense and never reused. One query per
    /// transaction, however many entries: the group-commit batch logs all its certificates at once.
    /// </summary>
    internal static async Task<long> AppendLogAsync(RegistryDbContext context, IReadOnlyList<byte[]> entries, DateTimeOffset at, CancellationToken cancellationToken)
    {
        long next = (await context.LogEntries.MaxAsync(e => (long?)e.LeafIndex, cancellationToken).ConfigureAwait(false) ?? -1) + 1;
        long first = next;
        foreach (byte[] entry in entries)
        {
            context.LogEntries.Add(new LogEntryRow { LeafIndex = next++, Entry = entry, RecordedAt = at });
        }
        return first;
    }

    /// <summary>As <see cref="AppendLogAsync(RegistryDbContext, IReadOnlyList{byte[]}, DateTimeOffset, CancellationToken)"/> for one entry.</summary>
    internal static Task<long> AppendLogAsync(RegistryDbContext context, byte[] entry, DateTimeOffset at, CancellationToken cancellationToken) =>
        AppendLogAsync(context, [entry], at, cancellationToken);

    /// <summary>The entries from index <paramref name="from"/> on, in order, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<StoredLogEntry>> ReadLogEntriesAsync(long from, int max, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.LogEntries.AsNoTracking()
            .Where(e => e.LeafIndex >= from)
            .OrderBy(e => e.LeafIndex)
            .Take(max)
            .Select(e => new StoredLogEntry(e.LeafIndex, e.Entry))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The published checkpoint of the largest tree, or null before the first.</summary>
    public async Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.LogCheckpoints.AsNoTracking()
            .OrderByDescending(c => c.TreeSize)
            .Select(c => new StoredCheckpoint(c.TreeSize, c.RootHash, c.Note, c.PublishedAt))
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores a checkpoint, or replaces the note of the one of the same size when its root is the
    /// same (cosignatures added). Throws <see cref="StoreConflictException"/> when a checkpoint of
    /// that size with another root is stored: the log never signs two trees of one size.
    /// </summary>
    public Task SaveCheckpointAsync(long treeSize, byte[] rootHash, string note, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async context =>
        {
            LogCheckpointRow? row = await context.LogCheckpoints.SingleOrDefaultAsync(c => c.TreeSize == treeSize, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                context.LogCheckpoints.Add(new LogCheckpointRow { TreeSize = treeSize, RootHash = rootHash, Note = note, PublishedAt = UtcNow() });
            }
            else if (!row.RootHash.AsSpan().SequenceEqual(rootHash))
            {
                throw new StoreConflictException($"A checkpoint of size {treeSize} with another root is already published.");
            }
            else
            {
                row.Note = note;
            }
            await SaveUniqueAsync(context, $"A checkpoint of size {treeSize} was published at the same time.", cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>The log key, or null before the first start made it.</summary>
    public async Task<StoredLogKey?> GetLogKeyAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.LogKeys.AsNoTracking().OrderBy(k => k.CreatedAt)
            .Select(k => new StoredLogKey(k.KeyId, k.Origin, k.Spki, k.SealedPrivateKey))
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The sealed form of the log key with this id, or null.</summary>
    public async Task<StoredLogKey?> GetLogKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.LogKeys.AsNoTracking().Where(k => k.KeyId == keyId)
            .Select(k => new StoredLogKey(k.KeyId, k.Origin, k.Spki, k.SealedPrivateKey))
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores the log key unless one is stored; returns the stored one (the caller's when it won).
    /// Two instances starting at once over one database agree on one key.
    /// </summary>
    public Task<StoredLogKey> EnsureLogKeyAsync(StoredLogKey key, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return InTransactionAsync(async context =>
        {
            LogKeyRow? existing = await context.LogKeys.AsNoTracking().OrderBy(k => k.CreatedAt).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                return new StoredLogKey(existing.KeyId, existing.Origin, existing.Spki, existing.SealedPrivateKey);
            }
            DateTimeOffset now = UtcNow();
            context.LogKeys.Add(new LogKeyRow { KeyId = key.KeyId, Origin = key.Origin, Spki = key.Spki, SealedPrivateKey = key.SealedPrivateKey, CreatedAt = now });
            Audit(context, audit, now);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return key;
        }, cancellationToken);
    }
}
