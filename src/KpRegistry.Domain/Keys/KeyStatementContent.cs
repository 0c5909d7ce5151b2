using Google.Protobuf;
using KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Domain.Keys;

/// <summary>
/// The content of a key statement, made alike by whoever signs one (an authority for its held key,
/// the registry for its own key chain), so that <see cref="KeyStatements.Check"/> reads them alike.
/// </summary>
public static class KeyStatementContent
{
    /// <summary>
    /// A statement about key <paramref name="keyId"/> (SHA-256 of <paramref name="spki"/>), issued
    /// at <paramref name="now"/> in RFC 3339 UTC.
    /// </summary>
    /// <param name="authority">The authority the key signs for; null or empty for any authority of the participant.</param>
    public static KeyStatement Create(KeyStatementPurpose purpose, string keyId, byte[] spki, string participant, string? authority,
        string previousKeyId, ulong sequence, DateTimeOffset now) => new()
        {
            Purpose = purpose,
            ParticipantCode = participant,
            AuthorityCode = authority ?? "",
            KeyId = keyId,
            Spki = UnsafeByteOperations.UnsafeWrap(spki),
            PreviousKeyId = previousKeyId,
            IssuedAt = KeyStatements.FormatInstant(now),
            Sequence = sequence,
        };
}
