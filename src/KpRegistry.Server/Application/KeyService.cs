using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Server.Security;
using KpRegistry.Storage;
using KeyAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;
using KeyState = KpRegistry.Domain.Keys.KeyState;
using KeyCustody = KpRegistry.Domain.Keys.KeyCustody;
using ParticipantStatus = KpRegistry.Domain.Registry.ParticipantStatus;

namespace KpRegistry.Server.Application;

/// <summary>
/// Keys: managed key creation, rotation, registration of held keys, revocation, and reads from the
/// in-memory view. Managed keys are made, opened and wiped by the <see cref="ManagedSigner"/>; no
/// private key passes through this class.
/// </summary>
public sealed class KeyService(RegistryStore store, RegistryViewCache cache, ManagedSigner signer, RevocationFeed revocations, TimeProvider time)
{

    public IEnumerable<KeyInfo> List(string? participantCode) =>
        cache.Current.Keys
            .Where(k => participantCode is null || k.ParticipantCode == participantCode)
            .OrderByDescending(k => k.NotBefore)
            .ThenBy(k => k.KeyId, StringComparer.Ordinal);

    public KeyInfo Get(string keyId) =>
        cache.Current.FindKey(keyId) ?? throw RegistryException.NotFound($"No key has the id {keyId}.");

    public async Task<KeyInfo> CreateManagedAsync(Caller caller, string participantCode, string? authorityCode, KeyAlgorithm algorithm, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        RequireMayHoldKeys(participantCode, authorityCode, now);
        RequireFreeSlot(participantCode, authorityCode, algorithm);

        CreatedKey key = signer.Create(algorithm, participantCode);
        try
        {
            await store.AddKeyAsync(
                new NewKey(key.KeyId, participantCode, authorityCode, algorithm, KeyCustody.Managed, key.Spki, key.SealedKey, now, null),
                new AuditEntry(caller.AuditName, "key.create", key.KeyId, $"managed {algorithm} key for {participantCode}{(authorityCode is null ? "" : "/" + authorityCode)}"),
                cancellationToken);
        }
        catch (Exception e)
        {
            // Not stored, so never to be used: wipe the opened key.
            signer.Wipe(key.KeyId);
            if (e is StoreConflictException)
            {
                // Two creations raced; the database's one-active-key rule kept the first.
                throw RegistryException.Precondition(e.Message);
            }
            throw;
        }
        await cache.ReloadRegistryAsync(CancellationToken.None); // after a commit: the view must follow, even if the caller left
        return Get(key.KeyId);
    }

    /// <summary>
    /// Rotates a participant's ACTIVE key in one transaction (the registry's own key goes through
    /// <see cref="RegistryKeyService"/>). Managed: the registry makes the new key. Held: the
    /// statement proves possession of the new key and carries the current key's consent, which an
    /// administrator may waive for a lost or compromised key.
    /// </summary>
    public async Task<(KeyInfo NewKey, KeyInfo Retired)> RotateAsync(Caller caller, KeyInfo current, SignedEnvelope? statement, KeyAlgorithm? algorithm, CancellationToken cancellationToken)
    {
        RequireActive(current, "rotated");
        DateTimeOffset now = time.GetUtcNow();
        NewKey replacement;
        string details;
        if (current.Custody == KeyCustody.Managed)
        {
            if (statement is not null)
            {
                throw RegistryException.Invalid("statement", "a managed key is rotated by the registry: send no statement.");
            }
            CreatedKey next = signer.Create(algorithm ?? current.Algorithm, current.ParticipantCode);
            replacement = new NewKey(next.KeyId, current.ParticipantCode, current.AuthorityCode, next.Algorithm, KeyCustody.Managed, next.Spki,
                next.SealedKey, now, null);
            details = $"managed key rotated to {next.KeyId}";
        }
        else
        {
            KeyStatement proven = CheckStatement(statement, algorithm, new ExpectedKeyStatement(KeyStatementPurpose.Rotate, current.ParticipantCode, current.KeyId), now,
                out ISignatureVerifier _);
            if ((proven.AuthorityCode.Length == 0 ? null : proven.AuthorityCode) != current.AuthorityCode)
            {
                throw RegistryException.Invalid("statement", $"the new key must sign for the same authority as key {current.KeyId} ({current.AuthorityCode ?? "any"}).");
            }
            bool consented = KeyStatements.IsSignedBy(statement!, current.KeyId, current.Verifier);
            if (!consented && !caller.IsAdmin)
            {
                throw RegistryException.Invalid("statement",
                    $"the rotation is not signed by the current key {current.KeyId}; if that key is lost or compromised, an administrator must approve the rotation.");
            }
            replacement = new NewKey(proven.KeyId, current.ParticipantCode, current.AuthorityCode, algorithm!.Value, KeyCustody.Held, proven.Spki.ToByteArray(), null, now, null);
            details = consented ? $"held key rotated to {proven.KeyId}, signed by the current key" : $"held key rotated to {proven.KeyId}, approved by an administrator without the current key";
        }
        try
        {
            RequireUnregistered(replacement.KeyId);
            await store.RotateKeyAsync(current.KeyId, replacement, new AuditEntry(caller.AuditName, "key.rotate", current.KeyId, details), cancellationToken);
        }
        catch (Exception e)
        {
            if (current.Custody == KeyCustody.Managed)
            {
                signer.Wipe(replacement.KeyId); // made for a rotation that did not happen
            }
            if (e is StoreConflictException)
            {
                // A concurrent rotation won; the database kept exactly one ACTIVE key.
                throw RegistryException.Precondition(e.Message);
            }
            throw;
        }
        if (current.Custody == KeyCustody.Managed)
        {
            signer.Wipe(current.KeyId); // RETIRED: it signs nothing more
        }
        await cache.ReloadRegistryAsync(CancellationToken.None); // after a commit: the view must follow, even if the caller left
        return (Get(replacement.KeyId), Get(current.KeyId));
    }

    /// <summary>Registers a key its authority holds, on a proof of possession bound to the participant and a time.</summary>
    public async Task<KeyInfo> RegisterHeldAsync(Caller caller, SignedEnvelope? statement, KeyAlgorithm? algorithm, CancellationToken cancellationToken)
    {
        KeyStatement parsed = KeyStatements.TryParse(statement, out string problem) ?? throw RegistryException.Invalid("statement", problem + ".");
        string participantCode = parsed.ParticipantCode;
        if (!caller.IsAdmin && caller.ParticipantCode != participantCode)
        {
            throw RegistryException.Denied($"RegisterKey: an authority of {caller.ParticipantCode} may register keys only for {caller.ParticipantCode}, not for \"{RegistryException.Echo(participantCode)}\".");
        }
        DateTimeOffset now = time.GetUtcNow();
        KeyStatement proven = CheckStatement(statement, algorithm, new ExpectedKeyStatement(KeyStatementPurpose.Register, participantCode, null), now, out _);
        string? authority = proven.AuthorityCode.Length == 0 ? null : proven.AuthorityCode;
        RequireMayHoldKeys(participantCode, authority, now);
        RequireUnregistered(proven.KeyId);
        RequireFreeSlot(participantCode, authority, algorithm!.Value);
        try
        {
            await store.AddKeyAsync(new NewKey(proven.KeyId, participantCode, authority, algorithm.Value, KeyCustody.Held, proven.Spki.ToByteArray(), null, now, null),
                new AuditEntry(caller.AuditName, "key.register", proven.KeyId, $"held {algorithm} key for {participantCode}{(authority is null ? "" : "/" + authority)}"),
                cancellationToken);
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Precondition(e.Message);
        }
        await cache.ReloadRegistryAsync(CancellationToken.None); // after a commit: the view must follow, even if the caller left
        return Get(proven.KeyId);
    }

    /// <summary>Revokes a key as compromised since a time; returns the key and the certificates it signed that were recorded since.</summary>
    public async Task<(KeyInfo Key, IReadOnlyList<string> Affected)> RevokeAsync(Caller caller, KeyInfo key, string reason, DateTimeOffset? compromisedSince, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset since = compromisedSince ?? now;
        if (since > now)
        {
            throw RegistryException.Invalid("compromised_since", "is in the future: a key is revoked for what has happened.");
        }
        if (key.State == KeyState.Revoked)
        {
            throw RegistryException.Precondition($"Key {key.KeyId} is already revoked (compromised since {key.CompromisedSince:O}).");
        }
        if (key.ParticipantCode == RegistryParticipant.Code && key.State == KeyState.Active)
        {
            throw RegistryException.Precondition("The registry's ACTIVE key signs the trust list: rotate it first, then revoke the retired key.");
        }
        try
        {
            await store.RevokeKeyAsync(key.KeyId, since, reason,
                new AuditEntry(caller.AuditName, "key.revoke", key.KeyId, $"compromised since {since.UtcDateTime:O}: {reason}"), cancellationToken);
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Precondition(e.Message);
        }
        if (key.Custody == KeyCustody.Managed)
        {
            signer.Wipe(key.KeyId);
        }
        await cache.ReloadRegistryAsync(CancellationToken.None); // after a commit: the view must follow, even if the caller left
        revocations.Publish();
        var affected = await store.ListCertificatesSignedSinceAsync(key.KeyId, since, cancellationToken);
        return (Get(key.KeyId), [.. affected.Select(a => $"{a.IssuingParticipant}/{a.CertificateNumber}")]);
    }

    private static void RequireActive(KeyInfo key, string action)
    {
        if (key.State != KeyState.Active)
        {
            throw RegistryException.Precondition($"Key {key.KeyId} is {key.State.ToString().ToUpperInvariant()}, not ACTIVE; it cannot be {action}.");
        }
    }

    private void RequireUnregistered(string keyId)
    {
        if (cache.Current.FindKey(keyId) is not null)
        {
            throw RegistryException.Exists($"Key {keyId} is already registered; a key is registered once.");
        }
    }

    private void RequireFreeSlot(string participantCode, string? authorityCode, KeyAlgorithm algorithm)
    {
        KeyInfo? active = cache.Current.Keys.FirstOrDefault(k => k.ParticipantCode == participantCode && k.AuthorityCode == authorityCode
            && k.Algorithm == algorithm && k.State == KeyState.Active);
        if (active is not null)
        {
            throw RegistryException.Precondition($"{participantCode} already has an ACTIVE {algorithm} key ({active.KeyId}); rotate it instead of adding another.");
        }
    }

    private void RequireMayHoldKeys(string participantCode, string? authorityCode, DateTimeOffset now)
    {
        ParticipantInfo participant = cache.Current.FindParticipant(participantCode) is { } p && participantCode != RegistryParticipant.Code
            ? p
            : throw RegistryException.NotFound($"{participantCode} is not a Kimberley Process participant.");
        ParticipantStatus? status = participant.StatusOn(DateOnly.FromDateTime(now.UtcDateTime));
        if (status is not (ParticipantStatus.Active or ParticipantStatus.ActiveRestricted))
        {
            throw RegistryException.Precondition($"{participantCode} may not issue certificates today (status {status?.ToString() ?? "none"}), so it gets no signing key.");
        }
        // Also when the participant has no authority at all: a key bound to an authority needs that
        // authority's record (the store refused it, and the refusal became INTERNAL; issue 13).
        if (authorityCode is not null && !participant.Authorities.Any(a => a.Code == authorityCode))
        {
            throw RegistryException.Invalid("authority_code", $"{RegistryException.Echo(authorityCode)} is not a registered authority of {participantCode}.");
        }
    }

    /// <summary>Parses and checks a held key's statement; the verifier of the new key is made from its SPKI and the REQUESTED algorithm.</summary>
    private static KeyStatement CheckStatement(SignedEnvelope? statement, KeyAlgorithm? algorithm, ExpectedKeyStatement expected, DateTimeOffset now, out ISignatureVerifier verifier)
    {
        if (algorithm is null)
        {
            throw RegistryException.Invalid("algorithm", "name the held key's algorithm (ED25519, ECDSA_P256 or ML_DSA_65).");
        }
        KeyStatement parsed = KeyStatements.TryParse(statement, out string problem) ?? throw RegistryException.Invalid("statement", problem + ".");
        try
        {
            verifier = SignatureVerifiers.Create(algorithm.Value, parsed.Spki.Span);
        }
        catch (CryptoFormatException e)
        {
            throw RegistryException.Invalid("statement.spki", e.Message);
        }
        IReadOnlyList<string> problems = KeyStatements.Check(statement!, parsed, verifier, expected, now);
        if (problems.Count > 0)
        {
            throw RegistryException.Invalid("The key statement is refused: " + string.Join("; ", problems) + ".",
                [.. problems.Select(p => new FieldViolation("statement", p))]);
        }
        return parsed;
    }
}
