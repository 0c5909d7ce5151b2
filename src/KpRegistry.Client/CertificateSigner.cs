using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;

namespace KpRegistry.Client;

/// <summary>Signs a certificate on the authority's side, with a key it holds, for SubmitCertificate.</summary>
public static class CertificateSigner
{
    /// <summary>
    /// The certificate serialised ONCE and signed over PAE(<see cref="PayloadTypes.Certificate"/>,
    /// those bytes) by <paramref name="key"/>. The envelope's payload is exactly the signed bytes;
    /// nothing about the content is checked here (the registry and every verifier do).
    /// </summary>
    public static SignedEnvelope Sign(Certificate certificate, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        return EnvelopeSigner.Sign(PayloadTypes.Certificate, certificate.ToByteArray(), key);
    }
}
