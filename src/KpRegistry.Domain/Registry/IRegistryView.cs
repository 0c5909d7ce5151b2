namespace KpRegistry.Domain.Registry;

/// <summary>
/// The registry as the verification decision reads it: participants, keys and certificate
/// records. The server backs it with an in-memory snapshot of the database; the offline verifier
/// with a signed trust list and revocation list. Lookups are cheap and never block on I/O.
/// </summary>
public interface IRegistryView
{
    /// <summary>The participant with this code, or null when the code is not and never was a participant.</summary>
    ParticipantInfo? FindParticipant(string code);

    /// <summary>The registered key with this id, or null.</summary>
    KeyInfo? FindKey(string keyId);

    /// <summary>
    /// The registry's record of this certificate, or null when the view does not hold records
    /// (offline) or none was recorded.
    /// </summary>
    CertificateRecordInfo? FindCertificate(string issuingParticipant, string certificateNumber);

    /// <summary>True when the view holds certificate records, so that an absent record means "never recorded".</summary>
    bool HoldsCertificateRecords { get; }
}
