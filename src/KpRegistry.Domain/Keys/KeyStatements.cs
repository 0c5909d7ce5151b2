using System.Globalization;
using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Domain.Envelopes;

namespace KpRegistry.Domain.Keys;

/// <summary>What a key statement must say to be accepted for one request.</summary>
/// <param name="PreviousKeyId">For a rotation: the key being replaced; null for a registration.</param>
public sealed record ExpectedKeyStatement(KeyStatementPurpose Purpose, string ParticipantCode, string? PreviousKeyId);

/// <summary>
/// Key statements (kp.registry.v1.KeyStatement in a SignedEnvelope): the proof that whoever
/// registers or rotates a key holds it, bound to a participant, an authority and a time, and, for a
/// rotation, the current key's consent. The rules are here, once, for the server and the clients.
/// </summary>
public static class KeyStatements
{
    /// <summary>How far a statement's issued_at may be from the registry's clock, either way.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The largest statement payload read: a statement with an ML-DSA-65 SPKI is about 2 KB.</summary>
    public const int MaxPayloadBytes = 16 * 1024;

    /// <summary>Parses the statement of <paramref name="envelope"/>; null with a reason when it is not one.</summary>
    public static KeyStatement? TryParse(SignedEnvelope? envelope, out string problem)
    {
        problem = "";
        if (envelope is null || envelope.Payload.IsEmpty)
        {
            problem = "the statement envelope is missing or empty";
            return null;
        }
        if (envelope.PayloadType != PayloadTypes.KeyStatement)
        {
            problem = $"the statement's payload_type must be {PayloadTypes.KeyStatement}";
            return null;
        }
        if (envelope.Payload.Length > MaxPayloadBytes)
        {
            problem = $"the statement is larger than {MaxPayloadBytes} bytes";
            return null;
        }
        try
        {
            return KeyStatement.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException)
        {
            problem = "the statement's payload is not a KeyStatement";
            return null;
        }
    }

    /// <summary>
    /// Every problem with <paramref name="statement"/> for <paramref name="expected"/> at
    /// <paramref name="now"/>: its fields, its key id against its SPKI, and the new key's own
    /// signature (proof of possession) by <paramref name="newKey"/>. Empty when it holds.
    /// </summary>
    public static IReadOnlyList<string> Check(SignedEnvelope envelope, KeyStatement statement, ISignatureVerifier newKey, ExpectedKeyStatement expected, DateTimeOffset now)
    {
        var problems = new List<string>();
        if (statement.Purpose != expected.Purpose)
        {
            problems.Add($"the statement is for {statement.Purpose}, not {expected.Purpose}");
        }
        if (statement.ParticipantCode != expected.ParticipantCode)
        {
            problems.Add($"the statement names participant \"{Short(statement.ParticipantCode)}\", not {expected.ParticipantCode}: a proof is bound to one participant");
        }
        if ((statement.PreviousKeyId.Length == 0 ? null : statement.PreviousKeyId) != expected.PreviousKeyId)
        {
            problems.Add(expected.PreviousKeyId is null
                ? "a registration names no previous key"
                : $"the statement must name the key it replaces, {expected.PreviousKeyId}");
        }
        if (!KeyIds.IsWellFormed(statement.KeyId) || statement.KeyId != KeyIds.FromSpki(statement.Spki.Span))
        {
            problems.Add("the statement's key_id is not the SHA-256 of its spki");
        }
        if (!DateTimeOffset.TryParse(statement.IssuedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset issuedAt))
        {
            problems.Add("the statement's issued_at is not an RFC 3339 instant");
        }
        else if ((issuedAt - now).Duration() > MaxClockSkew)
        {
            problems.Add($"the statement was made at {issuedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, more than {MaxClockSkew.TotalMinutes:0} minutes from the registry's clock ({now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}): make a fresh one");
        }
        if (!IsSignedBy(envelope, statement.KeyId, newKey))
        {
            problems.Add($"no valid signature by the new key {Short(statement.KeyId)} over the statement: the proof of possession fails");
        }
        return problems;
    }

    /// <summary>True when one of the envelope's signatures names <paramref name="keyId"/> and verifies with <paramref name="verifier"/> over PAE(type, payload).</summary>
    public static bool IsSignedBy(SignedEnvelope envelope, string keyId, ISignatureVerifier verifier)
    {
        byte[]? pae = null;
        try
        {
            foreach (Signature signature in envelope.Signatures)
            {
                if (signature.KeyId != keyId)
                {
                    continue;
                }
                pae ??= Pae.Encode(envelope.PayloadType, envelope.Payload.Span);
                if (verifier.Verify(pae, signature.Sig.Span))
                {
                    return true;
                }
            }
            return false;
        }
        finally
        {
            if (pae is not null)
            {
                Array.Clear(pae);
            }
        }
    }

    /// <summary>RFC 3339 UTC with the precision the value has: the wire's one form of an instant (statements, records, lists, results).</summary>
    public static string FormatInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string Short(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
