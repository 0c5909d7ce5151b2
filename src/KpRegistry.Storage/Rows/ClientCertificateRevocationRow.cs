namespace KpRegistry.Storage.Rows;

/// <summary>
/// A revoked client certificate (table <c>client_certificate_revocations</c>), named by its
/// SHA-256 thumbprint or by its serial number and issuer (one of the two). Appended, never removed.
/// </summary>
public sealed class ClientCertificateRevocationRow
{
    public long Id { get; set; }

    /// <summary>SHA-256 of the certificate's DER, hex upper case; null when revoked by serial and issuer.</summary>
    public string? CertificateSha256 { get; set; }

    /// <summary>The serial number, hex upper case without leading zero bytes; null when revoked by thumbprint.</summary>
    public string? SerialNumber { get; set; }

    /// <summary>The issuer's distinguished name as .NET formats it (X500DistinguishedName.Name); with <see cref="SerialNumber"/>.</summary>
    public string? Issuer { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset RevokedAt { get; set; }
    public string RevokedBy { get; set; } = "";
}
