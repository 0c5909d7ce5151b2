using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;

namespace KpRegistry.Client;

/// <summary>
/// Makes signed key statements (a <see cref="KeyStatement"/> in a <see cref="SignedEnvelope"/>,
/// payload type <see cref="PayloadTypes.KeyStatement"/>): the proof of possession of a held key,
/// the current key's consent to a rotation, and the links of the registry's own key chain.
/// </summary>
/// <remarks>
/// What a caller can rely on: each statement is serialised ONCE and those exact bytes are signed
/// over PAE and carried as the payload; the new key always signs (proof of possession); the
/// statement's key_id is the SHA-256 of the new key's SPKI; issued_at is the given time in
/// RFC 3339 UTC (<see cref="KeyStatements.FormatInstant"/>), so the registry accepts it within
/// <see cref="KeyStatements.MaxClockSkew"/> of its clock. Nothing here checks the registry's state:
/// the registry does (<see cref="KeyStatements.Check"/>).
/// </remarks>
public static class KeyStatementFactory
{
    /// <summary>
    /// A first registration of a held key (purpose REGISTER): signed by <paramref name="newKey"/> only.
    /// </summary>
    /// <param name="authority">The authority the key signs for; null or empty for any authority of the participant.</param>
    public static SignedEnvelope Registration(SigningKey newKey, string participant, string? authority, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        ArgumentException.ThrowIfNullOrEmpty(participant);
        var statement = Statement(KeyStatementPurpose.Register, newKey, participant, authority, previousKeyId: "", sequence: 0, now);
        return SignOnce(statement, newKey);
    }

    /// <summary>
    /// A held key's rotation (purpose ROTATE, previous_key_id = <paramref name="previousKeyId"/>):
    /// signed by <paramref name="newKey"/> and, when given, by <paramref name="currentKey"/>.
    /// </summary>
    /// <param name="currentKey">The key being replaced. Null only for a rotation an administrator approves because the current key is lost or compromised; the registry refuses such a statement from anyone else.</param>
    /// <exception cref="ArgumentException"><paramref name="currentKey"/> is not the key <paramref name="previousKeyId"/> names, or the new key is the current one.</exception>
    public static SignedEnvelope Rotation(SigningKey newKey, SigningKey? currentKey, string participant, string? authority, string previousKeyId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        ArgumentException.ThrowIfNullOrEmpty(participant);
        ArgumentException.ThrowIfNullOrEmpty(previousKeyId);
        if (string.Equals(newKey.KeyId, previousKeyId, StringComparison.Ordinal))
        {
            throw new ArgumentException("A rotation needs a new key: the new key is the one it replaces.", nameof(newKey));
        }
        if (currentKey is not null && !string.Equals(currentKey.KeyId, previousKeyId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The current key is {currentKey.KeyId}, but the rotation replaces {previousKeyId}.", nameof(currentKey));
        }
        var statement = Statement(KeyStatementPurpose.Rotate, newKey, participant, authority, previousKeyId, sequence: 0, now);
        return currentKey is null ? SignOnce(statement, newKey) : SignOnce(statement, newKey, currentKey);
    }

    /// <summary>
    /// Link <paramref name="sequence"/> of the registry's key chain (purpose REGISTRY_KEY,
    /// participant <see cref="RegistryParticipant.Code"/>): link 1 is signed by its own key only;
    /// a later link by its own key and by <paramref name="previousKey"/>, the key of the link before.
    /// </summary>
    /// <remarks>
    /// The registry makes these links itself, and the server does not reference this project (it
    /// references Crypto); this is here so that tests and tools make links exactly as
    /// <see cref="RegistryKeyChain.Verify"/> reads them.
    /// </remarks>
    /// <exception cref="ArgumentException">Sequence 1 with a previous key, or a later sequence without one.</exception>
    public static SignedEnvelope RegistryKeyLink(SigningKey newKey, SigningKey? previousKey, ulong sequence, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        if (sequence == 0)
        {
            throw new ArgumentException("The chain's sequence starts at 1.", nameof(sequence));
        }
        if ((sequence == 1) != (previousKey is null))
        {
            throw new ArgumentException(sequence == 1
                ? "Link 1 is signed by its own key only: it has no previous key."
                : $"Link {sequence} must be signed by the key of link {sequence - 1}.", nameof(previousKey));
        }
        var statement = Statement(KeyStatementPurpose.RegistryKey, newKey, RegistryParticipant.Code, authority: null,
            previousKey?.KeyId ?? "", sequence, now);
        return previousKey is null ? SignOnce(statement, newKey) : SignOnce(statement, newKey, previousKey);
    }

    private static KeyStatement Statement(KeyStatementPurpose purpose, SigningKey newKey, string participant, string? authority, string previousKeyId, ulong sequence, DateTimeOffset now) =>
        KeyStatementContent.Create(purpose, newKey.KeyId, newKey.Spki, participant, authority, previousKeyId, sequence, now);

    private static SignedEnvelope SignOnce(KeyStatement statement, params SigningKey[] keys) =>
        EnvelopeSigner.Sign(PayloadTypes.KeyStatement, statement.ToByteArray(), keys);
}
