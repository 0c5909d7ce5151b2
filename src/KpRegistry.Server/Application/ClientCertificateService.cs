using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KpRegistry.Server.Security;
using KpRegistry.Storage;

namespace KpRegistry.Server.Application;

/// <summary>
/// Revokes client certificates and answers what is revoked. A revocation is written to the
/// database (raising the registry version) and the in-memory view reloaded, so the next call with
/// that certificate is refused here; other instances follow the registry version.
/// </summary>
public sealed class ClientCertificateService(RegistryStore store, RegistryViewCache view)
{
    /// <summary>Revokes by SHA-256 thumbprint (<paramref name="sha256"/>) or by serial and issuer; exactly one of the two.</summary>
    public async Task<RevokedClientCertificateRecord> RevokeAsync(Caller caller, string sha256, string serial, string issuer, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        string thumbprint = string.Concat(sha256.Where(c => c is not (':' or ' '))).ToUpperInvariant();
        bool byThumbprint = thumbprint.Length > 0;
        bool bySerial = serial.Length > 0 || issuer.Length > 0;
        if (byThumbprint == bySerial)
        {
            throw RegistryException.Invalid("sha256_thumbprint", "name the certificate either by sha256_thumbprint or by serial_number and issuer, not both and not neither.");
        }
        ClientCertificateRevocation revocation;
        if (byThumbprint)
        {
            if (thumbprint.Length != 64 || !thumbprint.All(Uri.IsHexDigit))
            {
                throw RegistryException.Invalid("sha256_thumbprint", "is not 64 hex digits.");
            }
            if (thumbprint == caller.Thumbprint)
            {
                throw RegistryException.Precondition("That is the certificate of this call: revoke it with another administrator's certificate.");
            }
            revocation = new ClientCertificateRevocation(thumbprint, null, null, reason);
        }
        else
        {
            string normalized = RevokedClientCertificates.NormalizeSerial(serial);
            if (normalized.Length is 0 or > 64 || !normalized.All(Uri.IsHexDigit))
            {
                throw RegistryException.Invalid("serial_number", "is not a serial number in hex (at most 32 bytes).");
            }
            if (issuer.Length is 0 or > 400)
            {
                throw RegistryException.Invalid("issuer", "is required with serial_number: the issuer's distinguished name, at most 400 characters.");
            }
            string issuerName;
            try
            {
                // Parsed and printed again, so that spacing and quoting agree with what a certificate's IssuerName prints.
                issuerName = new X500DistinguishedName(issuer).Name;
            }
            catch (CryptographicException)
            {
                throw RegistryException.Invalid("issuer", $"'{RegistryException.Echo(issuer)}' is not a distinguished name.");
            }
            revocation = new ClientCertificateRevocation(null, normalized, issuerName, reason);
        }
        try
        {
            var audit = new AuditEntry(caller.AuditName, "client-certificate.revoke", revocation.CertificateSha256 ?? $"{revocation.SerialNumber} / {revocation.Issuer}", reason);
            RevokedClientCertificateRecord revoked = await store.RevokeClientCertificateAsync(revocation, audit, cancellationToken);
            await view.ReloadRegistryAsync(cancellationToken);
            return revoked;
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Exists(e.Message);
        }
    }

    public Task<IReadOnlyList<RevokedClientCertificateRecord>> ListAsync(CancellationToken cancellationToken) =>
        store.ListRevokedClientCertificatesAsync(cancellationToken);

    public Task<(IReadOnlyList<AuditEventRecord> Page, long? NextAfterId)> ListAuditAsync(AuditFilter filter, long afterId, int pageSize, CancellationToken cancellationToken) =>
        store.ListAuditEventsAsync(filter, afterId, pageSize, cancellationToken);
}
