using KpRegistry.Domain.Registry;

namespace KpRegistry.Storage.Rows;

/// <summary>
/// One append-only entry of the revocation list (table <c>revocations</c>). <see cref="Version"/>
/// is the primary key, allocated as the previous maximum plus one inside the writing transaction,
/// so versions strictly increase in commit order and have no gaps.
/// </summary>
public sealed class RevocationRow
{
    public long Version { get; set; }
    public RevocationSubject Kind { get; set; }
    public string? KeyId { get; set; }
    public string? IssuingParticipant { get; set; }
    public string? CertificateNumber { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset? CompromisedSince { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>For <see cref="RevocationSubject.CertificateReplaced"/>: the replacing certificate's number.</summary>
    public string? ReplacedBy { get; set; }
}

/// <summary>One link of the registry's key chain (table <c>registry_key_links</c>), append-only.</summary>
public sealed class RegistryKeyLinkRow
{
    /// <summary>The position in the chain, from 1; the primary key, so two rotations cannot take the same place.</summary>
    public long Sequence { get; set; }
    public string KeyId { get; set; } = "";

    /// <summary>The serialised SignedEnvelope of the key's KeyStatement, signed by the previous registry key.</summary>
    public byte[] Statement { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One append-only audit event (table <c>audit_events</c>).</summary>
public sealed class AuditEventRow
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Who: e.g. the subject of the caller's client certificate.</summary>
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Details { get; set; } = "";

    // The call record written for every state-changing RPC, allowed or refused (null on the
    // change records the stores write in the change's own transaction).
    public string? CallerParticipant { get; set; }
    public string? CallerAuthority { get; set; }
    public string? CallerRole { get; set; }

    /// <summary>SHA-256 of the caller's client certificate (hex, upper case).</summary>
    public string? CertificateSha256 { get; set; }

    /// <summary>The gRPC status name the call ended with, e.g. "OK" or "PERMISSION_DENIED".</summary>
    public string? Result { get; set; }
    public string? RequestId { get; set; }
}
