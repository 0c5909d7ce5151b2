using System.Security.Cryptography.X509Certificates;

namespace KpRegistry.Server.Security;

/// <summary>
/// Accepts a client certificate only when it chains to the configured client CA (and only to
/// it: the machine's trust store plays no part), is within its validity, is meant for client
/// authentication, and names a participant (O) and a known role (OU). Used by Kestrel at the
/// handshake, so a certificate from another CA never reaches a service.
/// </summary>
public sealed class ClientCertificateValidator(X509Certificate2 clientCa, TimeProvider time)
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public bool IsValid(X509Certificate2 certificate) =>
        CaTrust.ChainsTo(certificate, clientCa, time.GetUtcNow(), ClientAuthOid) && TryReadCaller(certificate) is not null;

    /// <summary>The caller a validated certificate names, or null when its subject lacks a participant or a known role.</summary>
    public static Caller? TryReadCaller(X509Certificate2 certificate)
    {
        string? organisation = null;
        string? unit = null;
        foreach (X500RelativeDistinguishedName rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            switch (rdn.GetSingleElementType().Value)
            {
                case "2.5.4.10": organisation = rdn.GetSingleElementValue(); break;
                case "2.5.4.11": unit = rdn.GetSingleElementValue(); break;
            }
        }
        if (unit is not (Roles.Authority or Roles.Admin) || string.IsNullOrEmpty(organisation))
        {
            return null;
        }
        return new Caller(organisation, unit, certificate.Subject, certificate.Thumbprint);
    }
}
