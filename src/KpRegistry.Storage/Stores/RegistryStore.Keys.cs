using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Transparency;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

public sealed partial class RegistryStore
{
    /// <summary>
    /// Registers a key as ACTIVE (events Created and Activated). Throws
    /// <see cref="StoreNotFoundException"/> for an unknown participant or authority, and
    /// <see cref="StoreConflictException"/> when the key id is registered or the slot (participant,
    /// authority, algorithm) already has an ACTIVE key: use <see cref="RotateKeyAsync"/> for that.
    /// </summary>
    public Task<KeyRecord> AddKeyAsync(NewKey key, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return InTransactionAsync(async context =>
        {
            await RequireParticipantAsync(context, key.ParticipantCode, cancellationToken).ConfigureAwait(false);
            await RequireAuthorityAsync(context, key, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = UtcNow();
            KeyRow row = AddActiveKey(context, key, now, audit.Actor, "registered");
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            await AppendLogAsync(context, KeyLogEntries(key, now, audit, null), now, cancellationToken).ConfigureAwait(false);
            await SaveUniqueAsync(context, $"Key {key.KeyId} is registered, or its slot already has an ACTIVE key.", cancellationToken).ConfigureAwait(false);
            return ToRecord(row);
        }, cancellationToken);
    }

    /// <summary>
    /// Rotates atomically: the old key becomes RETIRED (retired_at = now) and the new key ACTIVE,
    /// with their events. The new key must belong to the old key's participant and authority.
    /// Throws <see cref="StoreConflictException"/> when the old key is not ACTIVE when the
    /// transaction runs (e.g. another rotation won the race); the unique index is the final guard.
    /// </summary>
    public Task<KeyRecord> RotateKeyAsync(string oldKeyId, NewKey newKey, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        return InTransactionAsync(async context =>
        {
            KeyRow old = await context.Keys.SingleOrDefaultAsync(k => k.KeyId == oldKeyId, cancellationToken).ConfigureAwait(false)
                ?? throw new StoreNotFoundException($"Key {oldKeyId} is not registered.");
            if (old.State != KeyState.Active)
            {
                throw new StoreConflictException($"Key {oldKeyId} is {old.State}, not Active; it cannot be rotated.");
            }
            if (old.ParticipantCode != newKey.ParticipantCode || old.AuthorityCode != (newKey.AuthorityCode ?? KeyRows.ParticipantWide))
            {
                throw new StoreConflictException($"The new key must belong to the participant and authority of key {oldKeyId}.");
            }
            DateTimeOffset now = UtcNow();
            // Retire first, in its own statement: the one-active index holds after every statement.
            old.State = KeyState.Retired;
            old.RetiredAt = now;
            context.KeyEvents.Add(new KeyEventRow { KeyId = old.KeyId, Kind = KeyEventKind.Retired, At = now, Reason = $"rotated to {newKey.KeyId}", Actor = audit.Actor });
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

            KeyRow row = AddActiveKey(context, newKey, now, audit.Actor, $"rotated from {oldKeyId}");
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            await AppendLogAsync(context, KeyLogEntries(newKey, now, audit, oldKeyId), now, cancellationToken).ConfigureAwait(false);
            await SaveUniqueAsync(context, $"Key {newKey.KeyId} is registered, or its slot already has an ACTIVE key.", cancellationToken).ConfigureAwait(false);
            return ToRecord(row);
        }, cancellationToken);
    }

    /// <summary>
    /// Revokes a key: state REVOKED, compromised since <paramref name="compromisedSince"/>, a Revoked
    /// event and a revocation-list entry with the next version. Throws
    /// <see cref="StoreConflictException"/> when the key is already revoked.
    /// </summary>
    public Task<RevocationRecord> RevokeKeyAsync(string keyId, DateTimeOffset compromisedSince, string reason, AuditEntry audit, CancellationToken cancellationToken = default) =>
        InTransactionWithRevocationAsync(async context =>
        {
            KeyRow key = await context.Keys.SingleOrDefaultAsync(k => k.KeyId == keyId, cancellationToken).ConfigureAwait(false)
                ?? throw new StoreNotFoundException($"Key {keyId} is not registered.");
            if (key.State == KeyState.Revoked)
            {
                throw new StoreConflictException($"Key {keyId} is already revoked.");
            }
            DateTimeOffset now = UtcNow();
            DateTimeOffset since = compromisedSince.ToUniversalTime();
            key.State = KeyState.Revoked;
            key.CompromisedSince = since;
            key.RevocationReason = reason;
            context.KeyEvents.Add(new KeyEventRow { KeyId = keyId, Kind = KeyEventKind.Revoked, At = now, CompromisedSince = since, Reason = reason, Actor = audit.Actor });
            var revocation = new RevocationRow
            {
                Version = await NextRevocationVersionAsync(context, cancellationToken).ConfigureAwait(false),
                Kind = RevocationSubject.Key,
                KeyId = keyId,
                Reason = reason,
                CompromisedSince = since,
                RecordedAt = now,
            };
            context.Revocations.Add(revocation);
            await RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
            Audit(context, audit, now);
            await AppendLogAsync(context, LogEntries.KeyRevoked(now, audit.Actor, keyId, key.ParticipantCode,
                key.AuthorityCode.Length == 0 ? null : key.AuthorityCode, key.Algorithm, key.Custody, key.Spki, key.NotBefore, key.NotAfter,
                reason, since), now, cancellationToken).ConfigureAwait(false);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return ToRecord(revocation);
        }, cancellationToken);

    /// <summary>The key with this id, or null.</summary>
    public async Task<KeyRecord?> GetKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        KeyRow? row = await context.Keys.AsNoTracking().SingleOrDefaultAsync(k => k.KeyId == keyId, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToRecord(row);
    }

    /// <summary>The keys of a participant, oldest first.</summary>
    public async Task<IReadOnlyList<KeyRecord>> ListKeysByParticipantAsync(string participantCode, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await context.Keys.AsNoTracking().Where(k => k.ParticipantCode == participantCode)
            .OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(ToRecord).ToList();
    }

    /// <summary>Every registered key, by participant then creation.</summary>
    public async Task<IReadOnlyList<KeyRecord>> ListKeysAsync(CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await context.Keys.AsNoTracking()
            .OrderBy(k => k.ParticipantCode).ThenBy(k => k.CreatedAt).ThenBy(k => k.KeyId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(ToRecord).ToList();
    }

    /// <summary>A key's history, in append order.</summary>
    public async Task<IReadOnlyList<KeyEventRecord>> ListKeyEventsAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.KeyEvents.AsNoTracking().Where(e => e.KeyId == keyId).OrderBy(e => e.Id)
            .Select(e => new KeyEventRecord(e.Id, e.KeyId, e.Kind, e.At, e.CompromisedSince, e.Reason, e.Actor))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The opaque sealed private key of a managed key, for KpRegistry.Crypto to unseal; null for a
    /// held or unknown key. The only read that returns it.
    /// </summary>
    public async Task<byte[]?> GetSealedPrivateKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        (await GetSealedKeyAsync(keyId, cancellationToken).ConfigureAwait(false))?.SealedPrivateKey;

    /// <summary>
    /// A managed key's sealed private key with the participant it is sealed for (the sealing binds
    /// both); null for a held or unknown key.
    /// </summary>
    public async Task<SealedKeyRecord?> GetSealedKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var found = await context.Keys.AsNoTracking().Where(k => k.KeyId == keyId && k.SealedPrivateKey != null)
            .Select(k => new { k.ParticipantCode, k.SealedPrivateKey })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return found is null ? null : new SealedKeyRecord(keyId, found.ParticipantCode, found.SealedPrivateKey!);
    }

    private static async Task RequireAuthorityAsync(RegistryDbContext context, NewKey key, CancellationToken cancellationToken)
    {
        if (key.AuthorityCode is null)
        {
            return;
        }
        if (!await context.Authorities.AnyAsync(a => a.Code == key.AuthorityCode && a.ParticipantCode == key.ParticipantCode, cancellationToken).ConfigureAwait(false))
        {
            throw new StoreNotFoundException($"{key.AuthorityCode} is not an authority of {key.ParticipantCode}.");
        }
    }

    private static KeyRow AddActiveKey(RegistryDbContext context, NewKey key, DateTimeOffset now, string actor, string reason)
    {
        var row = new KeyRow
        {
            KeyId = key.KeyId,
            ParticipantCode = key.ParticipantCode,
            AuthorityCode = key.AuthorityCode ?? KeyRows.ParticipantWide,
            Algorithm = key.Algorithm,
            Custody = key.Custody,
            Spki = key.Spki,
            SealedPrivateKey = key.SealedPrivateKey,
            NotBefore = key.NotBefore.ToUniversalTime(),
            NotAfter = key.NotAfter?.ToUniversalTime(),
            CreatedAt = now,
            State = KeyState.Active,
        };
        context.Keys.Add(row);
        context.KeyEvents.Add(new KeyEventRow { KeyId = key.KeyId, Kind = KeyEventKind.Created, At = now, Reason = reason, Actor = actor });
        context.KeyEvents.Add(new KeyEventRow { KeyId = key.KeyId, Kind = KeyEventKind.Activated, At = now, Reason = reason, Actor = actor });
        if (key.RegistryChainLink is { } link)
        {
            context.RegistryKeyLinks.Add(new RegistryKeyLinkRow { Sequence = link.Sequence, KeyId = link.KeyId, Statement = link.Statement, CreatedAt = now });
        }
        return row;
    }

    /// <summary>The log entries of a key made active: the key event, then its registry chain link when it has one.</summary>
    /// <summary>A key's entry (registered, or rotated from <paramref name="previousKeyId"/>), then its registry chain link when it has one.</summary>
    private static List<byte[]> KeyLogEntries(NewKey key, DateTimeOffset now, AuditEntry audit, string? previousKeyId)
    {
        var entries = new List<byte[]>
        {
            previousKeyId is null
                ? LogEntries.KeyRegistered(now, audit.Actor, key.KeyId, key.ParticipantCode, key.AuthorityCode, key.Algorithm, key.Custody, key.Spki,
                    key.NotBefore.ToUniversalTime(), key.NotAfter?.ToUniversalTime(), audit.Details)
                : LogEntries.KeyRotated(now, audit.Actor, key.KeyId, key.ParticipantCode, key.AuthorityCode, key.Algorithm, key.Custody, key.Spki,
                    key.NotBefore.ToUniversalTime(), key.NotAfter?.ToUniversalTime(), audit.Details, previousKeyId),
        };
        if (key.RegistryChainLink is { } link)
        {
            entries.Add(LogEntries.RegistryKeyLink(now, audit.Actor, link.Sequence, link.KeyId, link.Statement));
        }
        return entries;
    }

    private static KeyRecord ToRecord(KeyRow row) =>
        new(row.KeyId, row.ParticipantCode, row.AuthorityCode.Length == 0 ? null : row.AuthorityCode, row.Algorithm, row.Custody,
            row.Spki, row.NotBefore, row.NotAfter, row.CreatedAt, row.State, row.RetiredAt, row.CompromisedSince, row.RevocationReason);

    private static RevocationRecord ToRecord(RevocationRow r) =>
        new(r.Version, r.Kind, r.KeyId, r.IssuingParticipant, r.CertificateNumber, r.Reason, r.CompromisedSince, r.RecordedAt);
}
