using System.Security.Cryptography.X509Certificates;

namespace KpRegistry.Server.Security;

/// <summary>Chain building against exactly one CA: the machine's trust store plays no part.</summary>
public static class CaTrust
{
    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="ca"/> and to nothing else, valid at <paramref name="at"/>.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca, DateTimeOffset at, string? requiredUsageOid = null)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        if (requiredUsageOid is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(requiredUsageOid));
        }
        return chain.Build(certificate)
            && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span);
    }
}
