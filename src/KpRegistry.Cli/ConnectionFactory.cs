using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace KpRegistry.Cli;

/// <summary>Where and as whom to connect.</summary>
/// <param name="Server">The registry's address, e.g. https://localhost:7443.</param>
/// <param name="CaPath">PEM of the CA (or CAs) that signed the server certificate: the only roots trusted.</param>
/// <param name="ClientCertificatePath">PEM client certificate for mutual TLS; null to call anonymously.</param>
/// <param name="ClientKeyPath">PEM private key of the client certificate; set exactly when the certificate is.</param>
public sealed record ConnectionSettings(Uri Server, string CaPath, string? ClientCertificatePath = null, string? ClientKeyPath = null)
{
    /// <summary>The same server and CA, without a client certificate (for the public RPCs).</summary>
    public ConnectionSettings Anonymous() => this with { ClientCertificatePath = null, ClientKeyPath = null };
}

/// <summary>
/// Builds the gRPC channel to the registry: TLS whose server certificate must chain to the given
/// CA (and only to it; the machine's trust store plays no part), host name checked as usual, and
/// an optional client certificate for mutual TLS.
/// </summary>
public static class ConnectionFactory
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>The channel for <paramref name="settings"/>. The caller disposes it.</summary>
    /// <exception cref="CliException">A file is missing or is not the PEM it should be.</exception>
    public static GrpcChannel CreateChannel(ConnectionSettings settings)
    {
        var handler = CreateHandler(settings);
        return GrpcChannel.ForAddress(settings.Server, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>The HTTP handler behind <see cref="CreateChannel"/>, for callers that build their own channel.</summary>
    public static SocketsHttpHandler CreateHandler(ConnectionSettings settings)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (!string.Equals(settings.Server.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            // Plain HTTP/2 (a local development server): there is no TLS to configure.
            return handler;
        }

        var roots = LoadCertificateAuthorities(settings.CaPath);
        handler.SslOptions.RemoteCertificateValidationCallback =
            (_, certificate, chain, errors) => ValidateServerCertificate(roots, certificate, chain, errors);

        if (settings.ClientCertificatePath is not null || settings.ClientKeyPath is not null)
        {
            if (settings.ClientCertificatePath is null || settings.ClientKeyPath is null)
                throw new CliException("a client certificate needs both a certificate and a key file (--cert and --key, or --as)");
            handler.SslOptions.ClientCertificates =
                [LoadClientCertificate(settings.ClientCertificatePath, settings.ClientKeyPath)];
        }

        return handler;
    }

    /// <summary>Every certificate in a PEM file: the roots to trust.</summary>
    public static X509Certificate2Collection LoadCertificateAuthorities(string caPath)
    {
        RequireFile(caPath, "CA certificate (--ca)");
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caPath);
        }
        catch (CryptographicException e)
        {
            throw new CliException($"CA certificate '{caPath}' is not a PEM certificate: {e.Message}");
        }

        if (roots.Count == 0)
            throw new CliException($"CA certificate '{caPath}' holds no PEM certificate");
        return roots;
    }

    /// <summary>
    /// The client certificate with its private key, re-imported through PKCS#12 because the TLS
    /// stack on some platforms refuses the ephemeral key that a PEM import gives.
    /// </summary>
    public static X509Certificate2 LoadClientCertificate(string certificatePath, string keyPath)
    {
        RequireFile(certificatePath, "client certificate");
        RequireFile(keyPath, "client private key");
        try
        {
            using var fromPem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return X509CertificateLoader.LoadPkcs12(fromPem.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // A key that does not match is an ArgumentException. The message names the files, never their content.
            throw new CliException($"cannot load client certificate '{certificatePath}' with key '{keyPath}': {e.Message}");
        }
    }

    /// <summary>
    /// True when <paramref name="certificate"/> chains to one of <paramref name="trustedRoots"/> and
    /// nothing else is wrong. The chain the platform built (against the machine's store) is ignored:
    /// only its certificates are used as possible intermediates. A name mismatch or a missing
    /// certificate is refused whatever the chain.
    /// </summary>
    public static bool ValidateServerCertificate(
        X509Certificate2Collection trustedRoots, X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        if (certificate is null)
            return false;
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            return false;

        var leaf = certificate as X509Certificate2;
        using var owned = leaf is null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
        leaf ??= owned!;

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedRoots);
        // The development CA publishes no revocation list, and the CLI never fetches anything but the registry.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthenticationOid));
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }

        return chain.Build(leaf);
    }

    private static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
            throw new CliException($"{what} not found: {path}");
    }
}
