namespace KpRegistry.Storage.Rows;

/// <summary>
/// One entry of the transparency log (table <c>log_entries</c>), append-only. <see cref="LeafIndex"/>
/// is the leaf index, the primary key, allocated as the previous maximum plus one inside the
/// transaction of the change the entry records, so indices are dense and follow commit order.
/// </summary>
public sealed class LogEntryRow
{
    public long LeafIndex { get; set; }

    /// <summary>The serialised kp.transparency.v1.LogEntry: the leaf's bytes, never re-serialised.</summary>
    public byte[] Entry { get; set; } = [];
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>
/// A checkpoint the registry published (table <c>log_checkpoints</c>): the signed note with the
/// cosignatures collected so far, keyed by tree size. At start the server recomputes the root of
/// the stored entries at the newest size and refuses to go on if it differs (a rewritten log).
/// </summary>
public sealed class LogCheckpointRow
{
    public long TreeSize { get; set; }
    public byte[] RootHash { get; set; } = [];

    /// <summary>The signed note text (UTF-8), log signature first, then the witnesses' cosignatures.</summary>
    public string Note { get; set; } = "";
    public DateTimeOffset PublishedAt { get; set; }
}

/// <summary>
/// The log's checkpoint signing key (table <c>log_keys</c>): an Ed25519 key of the registry's key
/// holder XR, sealed by KpRegistry.Crypto like every managed key. Kept apart from <c>keys</c>: it
/// signs checkpoints only, never certificates or lists, and is not in a participant's key slots.
/// </summary>
public sealed class LogKeyRow
{
    public string KeyId { get; set; } = "";

    /// <summary>The key name of the signed-note key: the log's origin.</summary>
    public string Origin { get; set; } = "";
    public byte[] Spki { get; set; } = [];
    public byte[] SealedPrivateKey { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}
