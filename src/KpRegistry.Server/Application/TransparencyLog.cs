using System.Collections.Concurrent;
using System.Text;
using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Transparency;
using KpRegistry.Server.Hosting;
using KpRegistry.Storage;

namespace KpRegistry.Server.Application;

/// <summary>A published checkpoint: the signed note (with the cosignatures collected) and what it commits to.</summary>
public sealed record PublishedCheckpoint(long TreeSize, byte[] RootHash, string Note);

/// <summary>A certificate's place in the log, proved to the latest checkpoint (no proof yet when that checkpoint predates it).</summary>
public sealed record CertificateInclusion(long LogIndex, IReadOnlyList<byte[]> Proof, PublishedCheckpoint? Checkpoint);

/// <summary>
/// The registry's transparency log in memory: the Merkle tree integrated from the entries the
/// database sequenced (each written in the transaction of its change), the index of each
/// certificate's entry, and the latest signed checkpoint. Verification reads proofs from here and
/// never from the database. Every instance follows the table (<see cref="IntegrateAsync"/>), so
/// several instances over one database serve the same tree.
/// </summary>
public sealed partial class TransparencyLog(RegistryStore store, ManagedSigner signer, RegistryOptions options, ILogger<TransparencyLog> log)
{
    /// <summary>Entries read per query while integrating.</summary>
    private const int ReadBatch = 5000;

    private readonly MemoryTree _tree = new();
    private readonly ConcurrentDictionary<(string Issuer, string Number), long> _certificates = new();
    private readonly SemaphoreSlim _integrating = new(1, 1);
    private readonly SemaphoreSlim _publishing = new(1, 1);
    private volatile PublishedCheckpoint? _latest;
    private StoredLogKey? _key;
    private NoteVerifierKey? _verifierKey;

    /// <summary>The log's origin: the checkpoints' first line and the checkpoint key's name.</summary>
    public string Origin => _key?.Origin ?? throw NotStarted();

    /// <summary>The checkpoint verifier key, <c>name+hash+base64</c> (signed-note, type 0x01).</summary>
    public NoteVerifierKey VerifierKey => _verifierKey ?? throw NotStarted();

    /// <summary>The entries integrated into the in-memory tree.</summary>
    public long IntegratedSize => _tree.Size;

    /// <summary>The latest published checkpoint; null only before <see cref="StartAsync"/>.</summary>
    public PublishedCheckpoint? Latest => _latest;

    /// <summary>The in-memory tree, for proofs and tiles (sizes up to <see cref="IntegratedSize"/>).</summary>
    internal IHashSource Tree => _tree;

    /// <summary>
    /// At start: makes the log key on the first start (and says so in the server log), integrates
    /// every stored entry, and checks the stored entries against the newest published checkpoint.
    /// Entries that no longer hash to what was published (a row changed behind the server's back)
    /// stop the start: the registry does not sign a rewritten history.
    /// </summary>
    /// <exception cref="LogTamperedException">The stored entries do not match the published checkpoint.</exception>
    public async Task StartAsync(string defaultOrigin, CancellationToken cancellationToken)
    {
        _key = await EnsureKeyAsync(defaultOrigin, cancellationToken);
        _verifierKey = NoteSigner.VerifierKeyOf(_key.Origin, _key.Spki);
        LogKey(log, _key.Origin, _verifierKey.ToString());
        if (options.Log.Origin is { Length: > 0 } configured && configured != _key.Origin)
        {
            LogOriginFixed(log, configured, _key.Origin);
        }
        await IntegrateAsync(cancellationToken);
        StoredCheckpoint? stored = await store.GetLatestCheckpointAsync(cancellationToken);
        if (stored is not null)
        {
            if (stored.TreeSize > _tree.Size)
            {
                throw new LogTamperedException($"The log published a checkpoint of {stored.TreeSize} entries but the database holds {_tree.Size}: entries were removed.");
            }
            byte[] root = _tree.Root(stored.TreeSize);
            if (!MerkleHash.AreEqual(root, stored.RootHash))
            {
                throw new LogTamperedException(
                    $"The log's stored entries no longer hash to the published checkpoint of {stored.TreeSize} entries " +
                    $"(published root {Convert.ToBase64String(stored.RootHash)}, recomputed {Convert.ToBase64String(root)}): the log was changed behind the registry's back.");
            }
            _latest = new PublishedCheckpoint(stored.TreeSize, stored.RootHash, stored.Note);
        }
        await PublishAsync(force: stored is null, cancellationToken);
    }

    /// <summary>
    /// Reads the entries sequenced since the last call and appends their leaf hashes; indexes each
    /// certificate's entry. Stops at a gap (an index not yet visible), to go on at the next call.
    /// </summary>
    public async Task IntegrateAsync(CancellationToken cancellationToken)
    {
        await _integrating.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                IReadOnlyList<StoredLogEntry> entries = await store.ReadLogEntriesAsync(_tree.Size, ReadBatch, cancellationToken);
                foreach (StoredLogEntry entry in entries)
                {
                    if (entry.Index != _tree.Size)
                    {
                        return;
                    }
                    long index = _tree.Append(MerkleHash.Leaf(entry.Entry));
                    IndexEntry(index, entry.Entry);
                }
                if (entries.Count < ReadBatch)
                {
                    return;
                }
            }
        }
        finally
        {
            _integrating.Release();
        }
    }

    /// <summary>
    /// Signs and stores a checkpoint of the integrated tree when it has grown past the latest one
    /// (or always, with <paramref name="force"/>). Returns true when it published one.
    /// </summary>
    public async Task<bool> PublishAsync(bool force, CancellationToken cancellationToken)
    {
        await _publishing.WaitAsync(cancellationToken);
        try
        {
            long size = _tree.Size;
            if (!force && _latest is { } latest && size <= latest.TreeSize)
            {
                return false;
            }
            StoredLogKey key = _key ?? throw NotStarted();
            byte[] root = _tree.Root(size);
            string text = new Checkpoint(key.Origin, size, root).Format();
            byte[] signature = await signer.SignRawAsync(key.KeyId, Encoding.UTF8.GetBytes(text), cancellationToken);
            string note = new SignedNote(text, [new NoteSignature(VerifierKey.Name, VerifierKey.KeyId, signature)]).Format();
            await store.SaveCheckpointAsync(size, root, note, cancellationToken);
            _latest = new PublishedCheckpoint(size, root, note);
            return true;
        }
        finally
        {
            _publishing.Release();
        }
    }

    /// <summary>Replaces the latest checkpoint's note with one carrying more cosignatures (same tree).</summary>
    internal async Task AddCosignaturesAsync(PublishedCheckpoint checkpoint, string noteWithCosignatures, CancellationToken cancellationToken)
    {
        await _publishing.WaitAsync(cancellationToken);
        try
        {
            await store.SaveCheckpointAsync(checkpoint.TreeSize, checkpoint.RootHash, noteWithCosignatures, cancellationToken);
            if (_latest is { } latest && latest.TreeSize == checkpoint.TreeSize)
            {
                _latest = latest with { Note = noteWithCosignatures };
            }
        }
        finally
        {
            _publishing.Release();
        }
    }

    /// <summary>
    /// The certificate's log index and its inclusion proof to the latest checkpoint; null when the
    /// certificate has no entry integrated here. Reads memory only.
    /// </summary>
    public CertificateInclusion? FindCertificate(string issuingParticipant, string certificateNumber)
    {
        if (!_certificates.TryGetValue((issuingParticipant, certificateNumber), out long index))
        {
            return null;
        }
        PublishedCheckpoint? checkpoint = _latest;
        if (checkpoint is null || index >= checkpoint.TreeSize)
        {
            return new CertificateInclusion(index, [], null);
        }
        return new CertificateInclusion(index, MerkleTree.InclusionProof(_tree, index, checkpoint.TreeSize), checkpoint);
    }

    private void IndexEntry(long index, byte[] bytes)
    {
        LogEntry entry;
        try
        {
            entry = LogEntries.Parse(bytes);
        }
        catch (TransparencyFormatException)
        {
            return; // the leaf is in the tree all the same; it just names no certificate
        }
        if (entry.SubjectCase == LogEntry.SubjectOneofCase.Certificate)
        {
            _certificates.TryAdd((entry.Certificate.IssuingParticipant, entry.Certificate.CertificateNumber), index);
        }
    }

    private async Task<StoredLogKey> EnsureKeyAsync(string defaultOrigin, CancellationToken cancellationToken)
    {
        if (await store.GetLogKeyAsync(cancellationToken) is { } existing)
        {
            return existing;
        }
        string origin = options.Log.Origin is { Length: > 0 } configured ? configured : defaultOrigin;
        CreatedKey created = signer.Create(KeyAlgorithm.Ed25519, RegistryParticipant.Code);
        StoredLogKey stored;
        try
        {
            stored = await store.EnsureLogKeyAsync(new StoredLogKey(created.KeyId, origin, created.Spki, created.SealedKey),
                new AuditEntry("kpregistry", "log.key.create", created.KeyId, $"the transparency log's checkpoint key ({origin})"), cancellationToken);
        }
        catch
        {
            signer.Wipe(created.KeyId);
            throw;
        }
        if (stored.KeyId != created.KeyId)
        {
            signer.Wipe(created.KeyId); // another instance made the key first
        }
        return stored;
    }

    private static InvalidOperationException NotStarted() => new("The transparency log is not started.");

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Transparency log {Origin}: checkpoint verifier key {VerifierKey}")]
    private static partial void LogKey(ILogger logger, string origin, string verifierKey);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "KpRegistry:Log:Origin is {Configured}, but this log was made as {Origin}; a log's origin never changes, so {Origin} stays.")]
    private static partial void LogOriginFixed(ILogger logger, string configured, string origin);
}

/// <summary>The stored log no longer matches what the registry published: it must not start.</summary>
public sealed class LogTamperedException(string message) : Exception(message);
