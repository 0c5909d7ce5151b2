using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Wire;

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

    /// <summary>
    /// The most signatures a statement carries: the new key's, the current key's consent to a
    /// rotation, and room for co-signers, as a certificate (<see cref="Verification.CertificateVerifier.MaxSignatures"/>).
    /// Refused before any is checked: 7,000 signatures once cost the registry 650 ms of CPU (issue 13).
    /// </summary>
    public const int MaxSignatures = 8;

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
        if (SignatureProblem(envelope) is { } signatures)
        {
            problem = signatures;
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
        if (!Instants.TryParse(statement.IssuedAt, out DateTimeOffset issuedAt))
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

    /// <summary>
    /// A key statement, unsigned, as both sides make it: issued_at in the wire's instant form, so the
    /// registry accepts it within <see cref="MaxClockSkew"/>. The signing is Crypto's (the registry's
    /// own keys) or the authority's (KpRegistry.Client, held keys).
    /// </summary>
    public static KeyStatement Create(KeyStatementPurpose purpose, string keyId, byte[] spki, string participant, string? authority, string previousKeyId, ulong sequence, DateTimeOffset now) => new()
    {
        Purpose = purpose,
        ParticipantCode = participant,
        AuthorityCode = authority ?? "",
        KeyId = keyId,
        Spki = UnsafeByteOperations.UnsafeWrap(spki),
        PreviousKeyId = previousKeyId,
        IssuedAt = Instants.Format(now),
        Sequence = sequence,
    };

    /// <summary>
    /// The statement of link <paramref name="sequence"/> of the registry's key chain (purpose
    /// REGISTRY_KEY, participant <see cref="Registry.RegistryParticipant.Code"/>), unsigned: link 1 is
    /// to be signed by its own key only, a later link also by <paramref name="previousKeyId"/>'s key.
    /// </summary>
    /// <exception cref="ArgumentException">Sequence 0, sequence 1 with a previous key, or a later sequence without one.</exception>
    public static KeyStatement RegistryKeyLink(string keyId, byte[] spki, string? previousKeyId, ulong sequence, DateTimeOffset now)
    {
        if (sequence == 0)
        {
            throw new ArgumentException("The chain's sequence starts at 1.", nameof(sequence));
        }
        if ((sequence == 1) != (previousKeyId is null))
        {
            throw new ArgumentException(sequence == 1
                ? "Link 1 is signed by its own key only: it has no previous key."
                : $"Link {sequence} must be signed by the key of link {sequence - 1}.", nameof(previousKeyId));
        }
        return Create(KeyStatementPurpose.RegistryKey, keyId, spki, Registry.RegistryParticipant.Code, authority: null, previousKeyId ?? "", sequence, now);
    }

    /// <summary>More than <see cref="MaxSignatures"/> signatures, or two naming one key id: each key signs a statement once.</summary>
    private static string? SignatureProblem(SignedEnvelope envelope)
    {
        int count = envelope.Signatures.Count;
        if (count > MaxSignatures)
        {
            return $"the statement carries {count} signatures; at most {MaxSignatures}";
        }
        for (int i = 1; i < count; i++)
        {
            string keyId = envelope.Signatures[i].KeyId;
            for (int j = 0; j < i; j++)
            {
                if (string.Equals(envelope.Signatures[j].KeyId, keyId, StringComparison.Ordinal))
                {
                    return $"the statement carries two signatures by key id \"{Short(keyId)}\"; each key signs once";
                }
            }
        }
        return null;
    }

    private static string Short(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
