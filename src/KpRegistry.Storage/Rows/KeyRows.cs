using KpRegistry.Domain.Keys;

namespace KpRegistry.Storage.Rows;

/// <summary>
/// A registered key (table <c>keys</c>): the immutable registration plus the projection of its
/// current state. The history is in <see cref="KeyEventRow"/>s, appended in the same transaction
/// as every change of the projection.
/// </summary>
public sealed class KeyRow
{
    /// <summary>Lowercase hex SHA-256 of <see cref="Spki"/>.</summary>
    public string KeyId { get; set; } = "";
    public string ParticipantCode { get; set; } = "";

    /// <summary>
    /// The authority, or <see cref="KeyRows.ParticipantWide"/> (empty string) for a participant-wide key:
    /// never NULL, so that the unique index over (participant, authority, algorithm) treats two
    /// participant-wide keys as the same slot on every provider.
    /// </summary>
    public string AuthorityCode { get; set; } = "";
    public KeyAlgorithm Algorithm { get; set; }
    public KeyCustody Custody { get; set; }
    public byte[] Spki { get; set; } = [];

    /// <summary>Opaque blob made by KpRegistry.Crypto; null for held keys. Storage never interprets it.</summary>
    public byte[]? SealedPrivateKey { get; set; }
    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset? NotAfter { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Current state; a concurrency token, so a change made on a stale read fails.</summary>
    public KeyState State { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }
    public DateTimeOffset? CompromisedSince { get; set; }
    public string RevocationReason { get; set; } = "";
}

/// <summary>What happened to a key.</summary>
public enum KeyEventKind
{
    Created = 1,
    Activated = 2,
    Retired = 3,
    Revoked = 4,
}

/// <summary>One append-only key event (table <c>key_events</c>).</summary>
public sealed class KeyEventRow
{
    public long Id { get; set; }
    public string KeyId { get; set; } = "";
    public KeyEventKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public DateTimeOffset? CompromisedSince { get; set; }
    public string Reason { get; set; } = "";
    public string Actor { get; set; } = "";
}

/// <summary>Constants of the key rows.</summary>
public static class KeyRows
{
    /// <summary>The authority code of a participant-wide key.</summary>
    public const string ParticipantWide = "";
}
