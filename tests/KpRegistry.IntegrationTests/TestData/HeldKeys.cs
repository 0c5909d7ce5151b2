using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Wire;

namespace KpRegistry.IntegrationTests.TestData;

/// <summary>What an authority that keeps its own key does on its side: statements of possession, signed as the protocol says.</summary>
public static class HeldKeys
{
    public static SignedEnvelope Statement(KeyStatementPurpose purpose, SigningKey newKey, string participant, string? previousKeyId,
        DateTimeOffset at, params SigningKey[] alsoSignedBy)
    {
        var statement = new KeyStatement
        {
            Purpose = purpose,
            ParticipantCode = participant,
            KeyId = newKey.KeyId,
            Spki = ByteString.CopyFrom(newKey.Spki),
            PreviousKeyId = previousKeyId ?? "",
            IssuedAt = Instants.Format(at),
        };
        return EnvelopeSigner.Sign(PayloadTypes.KeyStatement, statement.ToByteArray(), [newKey, .. alsoSignedBy]);
    }

    public static SignedEnvelope Registration(SigningKey key, string participant) =>
        Statement(KeyStatementPurpose.Register, key, participant, null, DateTimeOffset.UtcNow);

    public static SignedEnvelope Rotation(SigningKey newKey, string participant, string previousKeyId, params SigningKey[] alsoSignedBy) =>
        Statement(KeyStatementPurpose.Rotate, newKey, participant, previousKeyId, DateTimeOffset.UtcNow, alsoSignedBy);
}
