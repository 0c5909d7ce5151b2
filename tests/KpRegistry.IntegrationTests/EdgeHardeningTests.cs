using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Server.Security;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// Issue 13, what a stranger on the open port could do at the edge: finding 1 (the TLS layer
/// followed a client certificate's AIA link). Findings 2, 8 and 9 are in <see cref="StartupHardeningTests"/>.
/// </summary>
public sealed class EdgeHardeningTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task Finding1_HandshakeWithUnknownCaCertificateNamingAiaAndCrlUrls_NothingFetched()
    {
        // Listens and never answers: a fetch of the AIA or CRL URL would hold the handshake, and
        // the connection it opened stays queued here, so Pending() tells whether anything came.
        var trap = new TcpListener(IPAddress.Loopback, 0);
        trap.Start();
        try
        {
            int port = ((IPEndPoint)trap.LocalEndpoint).Port;
            using X509Certificate2 stranger = StrangerCertificate($"http://127.0.0.1:{port}");
            using GrpcChannel channel = OfflineClientChannel(registry.Server, stranger);

            StatusCode outcome;
            try
            {
                // A deadline only so that a regression fails instead of hanging on the fetch.
                await new Registry.RegistryClient(channel).ListParticipantsAsync(new ListParticipantsRequest(), deadline: DateTime.UtcNow.AddMinutes(1));
                outcome = StatusCode.OK;
            }
            catch (RpcException e)
            {
                outcome = e.StatusCode;
            }

            Assert.False(trap.Pending(), "the registry connected to a URL named by a client certificate");
            Assert.Contains(outcome, new[] { StatusCode.OK, StatusCode.Unavailable, StatusCode.Internal });
        }
        finally
        {
            trap.Stop();
        }
    }

    /// <summary>
    /// A client certificate for "BW authority" from a CA nobody knows, whose AIA (CA issuers and
    /// OCSP) and CRL distribution point all name <paramref name="trapUrl"/>. Only the leaf is
    /// presented, so a chain builder that downloads would go there for the missing issuer.
    /// </summary>
    private static X509Certificate2 StrangerCertificate(string trapUrl)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Stranger CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(DevelopmentPki.ClientSubject("BW", Roles.Authority), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([trapUrl + "/ocsp"], [trapUrl + "/ca.crt"]));
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([trapUrl + "/ca.crl"]));
        using X509Certificate2 leaf = request.Create(ca, now.AddDays(-1), now.AddDays(29), [0x01, 0x13]);
        using X509Certificate2 withKey = leaf.CopyWithPrivateKey(key);
        // Through PKCS#12 so that the TLS stack can use the private key.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>
    /// A channel presenting <paramref name="clientCertificate"/> as it is, without the client
    /// side building (and perhaps downloading) its chain: only the server may be tested here.
    /// </summary>
    private static GrpcChannel OfflineClientChannel(RegistryServer server, X509Certificate2 clientCertificate)
    {
        X509Certificate2 ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(server.CertificatesDirectory, DevelopmentPki.CaCertificateFile));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, additionalCertificates: null, offline: true),
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is X509Certificate2 presented && CaTrust.ChainsTo(presented, ca, DateTimeOffset.UtcNow)
                    && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None,
            },
        };
        return GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
