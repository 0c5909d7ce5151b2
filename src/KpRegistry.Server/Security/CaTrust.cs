using System.Security.Cryptography.X509Certificates;

namespace KpRegistry.Server.Security;

/// <summary>
/// Chain building against exactly one CA: the machine's trust store plays no part, and nothing is
/// ever fetched because of what a certificate says (no AIA issuer download, no CRL or OCSP), since
/// the certificate checked is whatever a stranger on the open port presents (issue 13, finding 1).
/// </summary>
public static class CaTrust
{
    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="ca"/> and to nothing else, valid at <paramref name="at"/>.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca, DateTimeOffset at, string? requiredUsageOid = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy = OfflinePolicy(ca, at, requiredUsageOid);
        return chain.Build(certificate)
            && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span);
    }

    /// <summary>
    /// The one chain policy of the registry: trust <paramref name="ca"/> alone, check no revocation
    /// online, download no certificate. Also given to the TLS layer, which builds its own chain of a
    /// client certificate before any of our code sees it.
    /// </summary>
    public static X509ChainPolicy OfflinePolicy(X509Certificate2 ca, DateTimeOffset? at = null, string? requiredUsageOid = null)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.Add(ca);
        if (at is { } time)
        {
            policy.VerificationTime = time.UtcDateTime;
        }
        if (requiredUsageOid is not null)
        {
            policy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(requiredUsageOid));
        }
        return policy;
    }
}
