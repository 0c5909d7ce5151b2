using KpRegistry.Domain.Keys;

namespace KpRegistry.Domain.Registry;

/// <summary>
/// A registered public key as the verification decision sees it. <see cref="Verifier"/> is made
/// once from the SPKI and the registered algorithm and reused for every check.
/// </summary>
/// <param name="KeyId">Hex SHA-256 of <see cref="Spki"/>.</param>
/// <param name="ParticipantCode">The participant the key signs for.</param>
/// <param name="AuthorityCode">The authority within the participant; null for a participant-wide key.</param>
/// <param name="NotBefore">The first instant the key may sign.</param>
/// <param name="NotAfter">The last instant the key may sign; null for no end.</param>
/// <param name="RetiredAt">When the key stopped signing new certificates (state Retired).</param>
/// <param name="CompromisedSince">From when the key's signatures are invalid (state Revoked).</param>
public sealed record KeyInfo(
    string KeyId,
    string ParticipantCode,
    string? AuthorityCode,
    KeyAlgorithm Algorithm,
    KeyCustody Custody,
    KeyState State,
    byte[] Spki,
    DateTimeOffset NotBefore,
    DateTimeOffset? NotAfter,
    DateTimeOffset? RetiredAt,
    DateTimeOffset? CompromisedSince,
    string RevocationReason,
    ISignatureVerifier Verifier);
