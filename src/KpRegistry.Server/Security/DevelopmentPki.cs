using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KpRegistry.Server.Security;

/// <summary>
/// The development PKI, made on first start in Development and reused afterwards: a CA, a
/// server certificate for localhost, an admin and a statistics analyst client certificate and one authority client
/// certificate per participant, and one per registered authority. Files: <c>ca.crt</c>/<c>ca.key</c>, <c>server.crt</c>/<c>server.key</c>,
/// <c>admin.crt</c>/<c>admin.key</c>, <c>analyst.crt</c>/<c>analyst.key</c>, <c>&lt;CODE&gt;-authority.crt</c>/<c>.key</c>, and
/// <c>&lt;AUTHORITY&gt;-authority.crt</c>/<c>.key</c> (e.g. <c>EU-BE-authority.crt</c>) (PEM). Never for production.
/// </summary>
public static class DevelopmentPki
{
    public const string CaCertificateFile = "ca.crt";
    public const string CaKeyFile = "ca.key";
    public const string ServerCertificateFile = "server.crt";
    public const string ServerKeyFile = "server.key";

    /// <summary>
    /// The subject O of the development CA and server certificate: how the registry recognises
    /// development material, and refuses it, outside Development (issue 13, finding 2).
    /// </summary>
    public const string MarkerOrganisation = "KpRegistry (development only)";

    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);

    /// <summary>True when <paramref name="certificate"/>'s subject or issuer is the development PKI's (its O is <see cref="MarkerOrganisation"/>).</summary>
    public static bool IsDevelopmentMaterial(X509Certificate2 certificate) =>
        HasMarker(certificate.SubjectName) || HasMarker(certificate.IssuerName);

    private static bool HasMarker(X500DistinguishedName name) =>
        name.EnumerateRelativeDistinguishedNames().Any(rdn =>
            rdn.GetSingleElementType().Value == "2.5.4.10" && rdn.GetSingleElementValue() == MarkerOrganisation);

    /// <summary>Makes whatever is missing under <paramref name="directory"/>; returns the names of the files it wrote.</summary>
    public static IReadOnlyList<string> Ensure(string directory, IEnumerable<string> participantCodes, TimeProvider time) =>
        Ensure(directory, participantCodes, [], time);

    /// <summary>
    /// As the other overload, and one authority certificate per authority code (e.g. "EU-BE"), named
    /// <c>&lt;CODE&gt;-authority.crt</c> (so <c>EU-BE-authority.crt</c>: participant EU, authority BE), whose
    /// SAN URI <c>urn:kp:authority:CODE</c> names it.
    /// </summary>
    public static IReadOnlyList<string> Ensure(string directory, IEnumerable<string> participantCodes, IEnumerable<(string ParticipantCode, string AuthorityCode)> authorities, TimeProvider time)
    {
        SecretFiles.CreateFolder(directory);
        var written = new List<string>();
        DateTimeOffset now = time.GetUtcNow();

        string caCrt = Path.Combine(directory, CaCertificateFile);
        string caKey = Path.Combine(directory, CaKeyFile);
        if (!PairExists(caCrt, caKey))
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN=KpRegistry Development CA, O={MarkerOrganisation}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            using X509Certificate2 ca = request.CreateSelfSigned(now.AddDays(-1), now.Add(Lifetime));
            WritePem(caCrt, caKey, ca, key);
            written.Add(CaCertificateFile);
        }

        using X509Certificate2 issuer = X509Certificate2.CreateFromPemFile(caCrt, caKey);

        if (Issue(directory, "server", $"CN=localhost, O={MarkerOrganisation}", issuer, now, server: true))
        {
            written.Add(ServerCertificateFile);
        }
        if (Issue(directory, "admin", ClientSubject("KP", Roles.Admin), issuer, now, server: false))
        {
            written.Add("admin.crt");
        }
        if (Issue(directory, "analyst", ClientSubject("KP", Roles.Analyst), issuer, now, server: false))
        {
            written.Add("analyst.crt");
        }
        foreach (string code in participantCodes)
        {
            string name = $"{code}-authority";
            if (Issue(directory, name, ClientSubject(code, Roles.Authority), issuer, now, server: false))
            {
                written.Add(name + ".crt");
            }
        }
        foreach ((string participant, string authority) in authorities)
        {
            string name = $"{authority}-authority";
            if (Issue(directory, name, ClientSubject(participant, Roles.Authority, authority), issuer, now, server: false, authority))
            {
                written.Add(name + ".crt");
            }
        }
        return written;
    }

    /// <summary>The subject of a client certificate: O is the participant, OU the role (the authority, if any, is in the SAN URI).</summary>
    public static string ClientSubject(string participantCode, string role, string? authorityCode = null) =>
        $"CN={authorityCode ?? participantCode} {role}, OU={role}, O={participantCode}";

    /// <summary>Issues a client certificate signed by <paramref name="issuer"/> (which must hold its private key). Used by tests and tooling.</summary>
    public static X509Certificate2 CreateClientCertificate(X509Certificate2 issuer, string participantCode, string role, DateTimeOffset now, string? authorityCode = null)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = LeafRequest(ClientSubject(participantCode, role, authorityCode), key, server: false, authorityCode);
        DateTimeOffset notAfter = new[] { now.AddDays(365), new DateTimeOffset(issuer.NotAfter.ToUniversalTime()).AddMinutes(-1) }.Min();
        using X509Certificate2 cert = request.Create(issuer, now.AddDays(-1), notAfter, SerialNumber());
        return cert.CopyWithPrivateKey(key);
    }

    private static bool Issue(string directory, string name, string subject, X509Certificate2 issuer, DateTimeOffset now, bool server, string? authorityCode = null)
    {
        string crt = Path.Combine(directory, name + ".crt");
        string keyFile = Path.Combine(directory, name + ".key");
        if (PairExists(crt, keyFile))
        {
            return false;
        }
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = LeafRequest(subject, key, server, authorityCode);
        using X509Certificate2 cert = request.Create(issuer, now.AddDays(-1), now.Add(Lifetime).AddDays(-1), SerialNumber());
        WritePem(crt, keyFile, cert, key);
        return true;
    }

    private static CertificateRequest LeafRequest(string subject, ECDsa key, bool server, string? authorityCode = null)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            san.AddIpAddress(IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(san.Build());
        }
        else if (authorityCode is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddUri(new Uri(ClientCertificateValidator.AuthorityUriPrefix + authorityCode));
            request.CertificateExtensions.Add(san.Build());
        }
        return request;
    }

    private static byte[] SerialNumber()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // a positive INTEGER
        return serial;
    }

    /// <summary>
    /// True when both files of a pair are there (use them), false when neither is (make them).
    /// Half a pair, or a key that is a link, is refused rather than written over or through.
    /// </summary>
    private static bool PairExists(string crtPath, string keyPath)
    {
        if (SecretFiles.IsLink(keyPath))
        {
            throw new Hosting.StartupRefusedException(
                $"KpRegistry cannot start: {keyPath} is a link. The development PKI never reads or writes a private key through a link: remove it and start again.");
        }
        bool crt = SecretFiles.Exists(crtPath);
        bool key = SecretFiles.Exists(keyPath);
        if (crt != key)
        {
            (string present, string absent) = crt ? (crtPath, keyPath) : (keyPath, crtPath);
            throw new Hosting.StartupRefusedException(
                $"KpRegistry cannot start: {present} exists without {absent}. The development PKI never writes over a file: " +
                $"remove {present} to have both made again.");
        }
        return crt;
    }

    private static void WritePem(string crtPath, string keyPath, X509Certificate2 cert, ECDsa key)
    {
        // The key first and owner-only from its first byte; neither file over an existing one or through a link.
        byte[] keyPem = System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem());
        try
        {
            SecretFiles.CreateNew(keyPath, keyPem);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyPem);
        }
        SecretFiles.CreateNew(crtPath, System.Text.Encoding.ASCII.GetBytes(cert.ExportCertificatePem()), SecretFiles.Public);
    }
}
