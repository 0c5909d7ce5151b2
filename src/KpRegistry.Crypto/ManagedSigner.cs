using System.Collections.Concurrent;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto;

/// <summary>A managed key as storage keeps it: its id, the participant it is sealed for, and the sealed blob.</summary>
public sealed record SealedKey(string KeyId, string ParticipantCode, byte[] Blob);

/// <summary>
/// Fetches the sealed form of managed key <c>keyId</c> from wherever the registry stores it; null
/// when there is none (an unknown key, or a key its authority holds).
/// </summary>
public delegate Task<SealedKey?> SealedKeySource(string keyId, CancellationToken cancellationToken);

/// <summary>
/// A new managed key, as the registry stores it: id, algorithm, public key (SPKI DER) and the
/// sealed private key. Never the private key itself.
/// </summary>
public sealed record CreatedKey(string KeyId, KeyAlgorithm Algorithm, byte[] Spki, byte[] SealedKey);

/// <summary>
/// The registry's signing port, and the one holder of opened managed keys: it makes managed keys
/// (sealed under the KEK), opens a sealed key on its first use and keeps it for the next, signs
/// with it, wipes it when the key is revoked or retired (<see cref="Wipe"/>), and wipes every key
/// at <see cref="Dispose"/>. Callers name keys by id; no <see cref="SigningKey"/> leaves this class.
/// </summary>
/// <remarks>
/// A wiped key id is refused from then on in this process (a <see cref="KeyCustodyException"/>):
/// a revoked or retired key never signs again, and a key's state never goes back to ACTIVE. A key
/// being used by a signature in flight is disposed when that signature is done. Thread-safe.
/// </remarks>
public sealed class ManagedSigner : IDisposable
{
    private readonly ManagedKeyVault _vault;
    private readonly SealedKeySource _source;
    private readonly ConcurrentDictionary<string, Lazy<Task<OpenedKey>>> _opened = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _wiped = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    /// <param name="kek">The key-encryption key; the caller (the container) owns and disposes it.</param>
    /// <param name="source">Where the sealed keys are read from.</param>
    public ManagedSigner(KeyEncryptionKey kek, SealedKeySource source)
    {
        ArgumentNullException.ThrowIfNull(kek);
        ArgumentNullException.ThrowIfNull(source);
        _vault = new ManagedKeyVault(kek);
        _source = source;
    }

    /// <summary>
    /// Makes a new managed key for <paramref name="participantCode"/> and seals it. The key stays
    /// open here, so it can sign at once (the registry key chain's link is signed by its own new
    /// key before it is stored); if it is never stored, <see cref="Wipe"/> it.
    /// </summary>
    public CreatedKey Create(KeyAlgorithm algorithm, string participantCode)
    {
        ArgumentException.ThrowIfNullOrEmpty(participantCode);
        ObjectDisposedException.ThrowIf(_disposed, this);
        SigningKey key = SigningKey.Generate(algorithm);
        try
        {
            var created = new CreatedKey(key.KeyId, key.Algorithm, key.Spki, _vault.Seal(key, participantCode));
            var opened = new OpenedKey(key);
            if (!_opened.TryAdd(key.KeyId, new Lazy<Task<OpenedKey>>(Task.FromResult(opened))))
            {
                throw new InvalidOperationException($"Key {key.KeyId} is already open."); // 256 bits of randomness: never
            }
            if (_disposed)
            {
                opened.Wipe();
                throw new ObjectDisposedException(nameof(ManagedSigner));
            }
            return created;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Signs <c>PAE(payloadType, payload)</c> with each key named, in order, into one envelope
    /// (see <see cref="EnvelopeSigner.Sign"/>).
    /// </summary>
    /// <exception cref="KeyCustodyException">A key has no sealed form, was wiped, or does not open under the KEK.</exception>
    public Task<SignedEnvelope> SignEnvelopeAsync(string payloadType, byte[] payload, IReadOnlyList<string> keyIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(payloadType);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(keyIds);
        if (keyIds.Count == 0)
        {
            throw new ArgumentException("At least one key id is needed.", nameof(keyIds));
        }
        return WithKeysAsync(keyIds, keys => EnvelopeSigner.Sign(payloadType, payload, keys), cancellationToken);
    }

    /// <summary>Signs one envelope with one key.</summary>
    public Task<SignedEnvelope> SignEnvelopeAsync(string keyId, string payloadType, byte[] payload, CancellationToken cancellationToken) =>
        SignEnvelopeAsync(payloadType, payload, [keyId], cancellationToken);

    /// <summary>
    /// Signs <paramref name="message"/> itself, not PAE: for formats that define their own signed
    /// bytes (a transparency log checkpoint is a signed note, an Ed25519 signature over the note text).
    /// </summary>
    public Task<byte[]> SignRawAsync(string keyId, byte[] message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(message);
        return WithKeysAsync([keyId], keys => keys[0].Sign(message), cancellationToken);
    }

    /// <summary>
    /// Wipes the opened key <paramref name="keyId"/> (when it was opened) and refuses it from now
    /// on: call it once a key is revoked or retired, or when a created key was not stored.
    /// </summary>
    public void Wipe(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        _wiped.TryAdd(keyId, 0);
        if (_opened.TryRemove(keyId, out Lazy<Task<OpenedKey>>? entry))
        {
            WipeWhenOpened(entry);
        }
    }

    /// <summary>How many keys are open (or being opened): for tests of the wiping.</summary>
    internal int OpenedCount => _opened.Count;

    /// <summary>Wipes every opened key; the signer refuses every call afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (string keyId in _opened.Keys)
        {
            if (_opened.TryRemove(keyId, out Lazy<Task<OpenedKey>>? entry))
            {
                WipeWhenOpened(entry);
            }
        }
    }

    private static void WipeWhenOpened(Lazy<Task<OpenedKey>> entry)
    {
        if (!entry.IsValueCreated)
        {
            return; // never started: a racing caller that starts it sees the key refused and wipes it
        }
        _ = entry.Value.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                t.Result.Wipe();
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task<T> WithKeysAsync<T>(IReadOnlyList<string> keyIds, Func<SigningKey[], T> use, CancellationToken cancellationToken)
    {
        var entered = new List<OpenedKey>(keyIds.Count);
        try
        {
            foreach (string keyId in keyIds)
            {
                ArgumentException.ThrowIfNullOrEmpty(keyId, nameof(keyIds));
                entered.Add(await EnterAsync(keyId, cancellationToken).ConfigureAwait(false));
            }
            return use([.. entered.Select(o => o.Key)]);
        }
        finally
        {
            foreach (OpenedKey opened in entered)
            {
                opened.Exit();
            }
        }
    }

    /// <summary>The opened key, entered (so it is not disposed under the caller); the caller exits it.</summary>
    private async Task<OpenedKey> EnterAsync(string keyId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RefuseWiped(keyId);
        Lazy<Task<OpenedKey>> entry = _opened.GetOrAdd(keyId, id => new Lazy<Task<OpenedKey>>(() => OpenAsync(id)));
        OpenedKey opened;
        try
        {
            opened = await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Do not keep a failure (a wrong KEK, say): the next call tries again.
            _opened.TryRemove(KeyValuePair.Create(keyId, entry));
            throw;
        }
        if (!opened.TryEnter())
        {
            RefuseWiped(keyId);
            ObjectDisposedException.ThrowIf(_disposed, this);
            throw new KeyCustodyException($"Key {keyId} was wiped while it was being opened.");
        }
        if (_disposed || _wiped.ContainsKey(keyId))
        {
            // Wiped or disposed while it was being opened: the entry may have escaped the wipe.
            opened.Exit();
            opened.Wipe();
            ObjectDisposedException.ThrowIf(_disposed, this);
            RefuseWiped(keyId);
        }
        return opened;
    }

    private void RefuseWiped(string keyId)
    {
        if (_wiped.ContainsKey(keyId))
        {
            throw new KeyCustodyException($"Key {keyId} was revoked or retired and its opened form wiped; it signs nothing more.");
        }
    }

    private async Task<OpenedKey> OpenAsync(string keyId)
    {
        // Not cancellable: the opened key is shared by every caller waiting for it.
        SealedKey sealedKey = await _source(keyId, CancellationToken.None).ConfigureAwait(false)
            ?? throw new KeyCustodyException($"Key {keyId} has no sealed private key: it is not a managed key of this registry.");
        return new OpenedKey(_vault.Open(sealedKey.Blob, keyId, sealedKey.ParticipantCode));
    }

    /// <summary>An opened key and how many signatures use it, so a wipe never disposes it under one.</summary>
    private sealed class OpenedKey(SigningKey key)
    {
        private readonly Lock _lock = new();
        private int _users;
        private bool _wiped;

        public SigningKey Key { get; } = key;

        public bool TryEnter()
        {
            lock (_lock)
            {
                if (_wiped)
                {
                    return false;
                }
                _users++;
                return true;
            }
        }

        public void Exit()
        {
            lock (_lock)
            {
                _users--;
                if (_wiped && _users == 0)
                {
                    Key.Dispose();
                }
            }
        }

        public void Wipe()
        {
            lock (_lock)
            {
                if (_wiped)
                {
                    return;
                }
                _wiped = true;
                if (_users == 0)
                {
                    Key.Dispose();
                }
            }
        }
    }
}
