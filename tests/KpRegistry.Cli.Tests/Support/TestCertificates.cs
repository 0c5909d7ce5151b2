using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KpRegistry.Cli.Tests.Support;

/// <summary>Throw-away CAs and leaf certificates made in memory for the TLS checks.</summary>
internal static class TestCertificates
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    public static X509Certificate2 Ca(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    public static X509Certificate2 Server(X509Certificate2 ca, string host) => Leaf(ca, host, ServerAuth);

    public static X509Certificate2 Client(X509Certificate2 ca, string name) => Leaf(ca, name, ClientAuth);

    public static X509Certificate2 SelfSignedServer(string host)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafRequest(key, host, ServerAuth);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    private static X509Certificate2 Leaf(X509Certificate2 ca, string host, string usage)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = LeafRequest(key, host, usage);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var withoutKey = request.Create(ca, now.AddDays(-1), now.AddDays(30), serial);
        return withoutKey.CopyWithPrivateKey(key);
    }

    private static CertificateRequest LeafRequest(ECDsa key, string host, string usage)
    {
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        return request;
    }

    public static void WritePem(X509Certificate2 certificate, string certificatePath, string? keyPath = null)
    {
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        if (keyPath is not null)
            File.WriteAllText(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }
}
