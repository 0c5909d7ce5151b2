using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Domain.Verification;

/// <summary>
/// A certificate the decision found valid, with the facts a caller records or acts on, none of them
/// null. Made only by <see cref="CertificateVerifier.Verify"/>, and only for a valid result
/// (<see cref="VerificationResult.Verified"/>), so holding one is the proof that nothing was found
/// against the certificate.
/// </summary>
public sealed class VerifiedCertificate
{
    internal VerifiedCertificate(Certificate certificate, string keyId, KeyState keyState, byte[] payloadSha256, DateOnly dateOfIssue, DateOnly dateOfExpiry)
    {
        Certificate = certificate;
        KeyId = keyId;
        KeyState = keyState;
        PayloadSha256 = payloadSha256;
        DateOfIssue = dateOfIssue;
        DateOfExpiry = dateOfExpiry;
    }

    /// <summary>The parsed certificate, read from the payload the signature covers.</summary>
    public Certificate Certificate { get; }

    /// <summary>The registered key whose signature verified.</summary>
    public string KeyId { get; }

    /// <summary>That key's state at the time of the check.</summary>
    public KeyState KeyState { get; }

    /// <summary>SHA-256 of the payload bytes, as the registry records it.</summary>
    public byte[] PayloadSha256 { get; }

    /// <summary>The date of issue (a valid certificate's dates always parse).</summary>
    public DateOnly DateOfIssue { get; }

    /// <summary>The date of expiry.</summary>
    public DateOnly DateOfExpiry { get; }
}
