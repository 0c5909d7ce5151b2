using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using KpRegistry.Server.Security;

namespace KpRegistry.IntegrationTests.TestData;

/// <summary>Client certificates made in a test: from the server's development CA, or from a CA it has never heard of.</summary>
public static class ClientCertificates
{
    /// <summary>The development CA with its private key, to issue more client certificates.</summary>
    public static X509Certificate2 DevelopmentCa(RegistryServer server) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(server.CertificatesDirectory, DevelopmentPki.CaCertificateFile), Path.Combine(server.CertificatesDirectory, DevelopmentPki.CaKeyFile));

    /// <summary>A fresh authority (or admin) certificate from the development CA, as the registry's own tooling makes them.</summary>
    public static X509Certificate2 Issue(RegistryServer server, string participant, string role = Roles.Authority)
    {
        using X509Certificate2 ca = DevelopmentCa(server);
        return DevelopmentPki.CreateClientCertificate(ca, participant, role, DateTimeOffset.UtcNow);
    }

    /// <summary>A client certificate from the development CA with any subject and SAN URIs: for identities the registry must refuse.</summary>
    public static X509Certificate2 IssueWithSubject(RegistryServer server, string subject, params string[] sanUris)
    {
        using X509Certificate2 ca = DevelopmentCa(server);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (sanUris.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (string uri in sanUris)
            {
                san.AddUri(new Uri(uri));
            }
            request.CertificateExtensions.Add(san.Build());
        }
        DateTimeOffset now = DateTimeOffset.UtcNow;
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using X509Certificate2 certificate = request.Create(ca, now.AddDays(-1), now.AddDays(30), serial);
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>A certificate claiming to be an authority of <paramref name="participant"/>, from a CA the registry does not trust.</summary>
    public static X509Certificate2 Forged(string participant)
    {
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Impostor CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 impostorCa = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return DevelopmentPki.CreateClientCertificate(impostorCa, participant, Roles.Authority, DateTimeOffset.UtcNow);
    }

    /// <summary>True when the call failed in the transport (the TLS handshake was refused), not with a status the server chose.</summary>
    public static bool IsHandshakeRefusal(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.Internal
        && e.Status.DebugException is HttpRequestException or IOException or System.Security.Authentication.AuthenticationException;
}
