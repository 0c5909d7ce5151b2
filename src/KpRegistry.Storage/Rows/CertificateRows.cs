using KpRegistry.Domain.Registry;

namespace KpRegistry.Storage.Rows;

/// <summary>
/// A recorded certificate (table <c>certificates</c>). Written once, never updated; its state is
/// derived from its <see cref="CertificateEventRow"/>s. (issuing_participant, certificate_number)
/// is unique in the database.
/// </summary>
public sealed class CertificateRow
{
    public long Id { get; set; }
    public string IssuingParticipant { get; set; } = "";
    public string CertificateNumber { get; set; } = "";
    public string IssuingAuthority { get; set; } = "";
    public string KeyId { get; set; } = "";

    /// <summary>The SignedEnvelope bytes exactly as received or produced.</summary>
    public byte[] Envelope { get; set; } = [];
    public byte[] PayloadSha256 { get; set; } = [];
    public DateOnly DateOfIssue { get; set; }
    public DateOnly DateOfExpiry { get; set; }
    public string DestinationParticipant { get; set; } = "";
    public long TotalCaratsHundredths { get; set; }
    public long TotalValueUsdCents { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The number of the certificate of the same issuer that this one replaces; null for an original.</summary>
    public string? ReplacesCertificateNumber { get; set; }

    /// <summary>The certificate's origin is a mixed parcel (statistics: no single origin to compare prices with).</summary>
    public bool MixedOrigin { get; set; }

    /// <summary>Its lines, copied from the signed payload when recorded, for statistics (issue 14).</summary>
    public List<CertificateLineRow> Lines { get; set; } = [];

    /// <summary>Its declared countries of origin, copied from the signed payload when recorded.</summary>
    public List<CertificateOriginRow> Origins { get; set; } = [];
}

/// <summary>
/// One line of a recorded certificate (table <c>certificate_lines</c>), written with it and never
/// changed: the figures statistics aggregate in the database. The certificate's date of issue,
/// issuer and destination are repeated here so that one covering index answers a period's
/// figures per pair and HS code without touching the certificates table.
/// </summary>
public sealed class CertificateLineRow
{
    public long Id { get; set; }
    public long CertificateId { get; set; }
    /// <summary>0, 1, ... in the certificate's order.</summary>
    public int LineNumber { get; set; }
    public DateOnly DateOfIssue { get; set; }
    public string IssuingParticipant { get; set; } = "";
    public string DestinationParticipant { get; set; } = "";
    public string HsCode { get; set; } = "";
    public long CaratsHundredths { get; set; }
    public long ValueUsdCents { get; set; }
}

/// <summary>A declared country of origin of a recorded certificate (table <c>certificate_origins</c>).</summary>
public sealed class CertificateOriginRow
{
    public long CertificateId { get; set; }
    public string Country { get; set; } = "";
}

/// <summary>
/// One append-only certificate event (table <c>certificate_events</c>). <see cref="Sequence"/> is
/// 1, 2, ... per certificate and unique with it, so two racing appends cannot both succeed.
/// </summary>
public sealed class CertificateEventRow
{
    public long Id { get; set; }
    public long CertificateId { get; set; }
    public int Sequence { get; set; }
    public CertificateEventKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public string Reason { get; set; } = "";

    /// <summary>For <see cref="CertificateEventKind.Replaced"/>: the number of the replacing certificate.</summary>
    public string? ReplacedBy { get; set; }
    public string Actor { get; set; } = "";
}

/// <summary>
/// The signed import confirmation of a certificate (table <c>import_confirmations</c>), written once
/// with the Received or Detained event it caused. Unique per certificate: the database itself
/// keeps a certificate confirmed at most once.
/// </summary>
public sealed class ImportConfirmationRow
{
    public long Id { get; set; }
    public long CertificateId { get; set; }

    /// <summary>The SignedEnvelope bytes of the ImportConfirmation exactly as signed.</summary>
    public byte[] Envelope { get; set; } = [];
    public string KeyId { get; set; } = "";
    public string ImportingParticipant { get; set; } = "";
    public string ImportingAuthority { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }
    public string Actor { get; set; } = "";

    /// <summary>The weight the importer confirmed (from the signed confirmation), for reconciliation; null until filled for a row recorded before it was kept.</summary>
    public long? CaratsReceivedHundredths { get; set; }
}
