using KpRegistry.Domain.Certificates;

namespace KpRegistry.Domain.Verification;

/// <summary>What the check is for; it changes which facts are expected.</summary>
public enum VerificationPurpose
{
    /// <summary>Anyone checks a certificate presented to them (customs, a bank, a trader, the offline verifier).</summary>
    Check = 0,

    /// <summary>The destination's importing authority checks before confirming receipt: a certificate already received is refused (<see cref="VerificationReason.AlreadyConfirmed"/>).</summary>
    ImportConfirmation = 1,

    /// <summary>
    /// The registry checks a certificate it is about to record: no record is expected
    /// (no <see cref="VerificationReason.NotRecorded"/>), and the key is judged as of now.
    /// </summary>
    Issue = 2,
}

/// <summary>The circumstances of one check, beyond the envelope, the registry and the time.</summary>
public sealed record VerificationContext
{
    /// <summary>A plain check: no presenting participant, default rules.</summary>
    public static VerificationContext Default { get; } = new();

    /// <summary>What the check is for.</summary>
    public VerificationPurpose Purpose { get; init; } = VerificationPurpose.Check;

    /// <summary>
    /// The participant code (not a member state: "EU" for Antwerp) where the certificate is
    /// presented; when set and not the destination, <see cref="VerificationReason.WrongDestination"/>.
    /// Null or empty: not checked.
    /// </summary>
    public string? PresentedAtParticipant { get; init; }

    /// <summary>The configurable content rules.</summary>
    public CertificateRulesOptions RulesOptions { get; init; } = CertificateRulesOptions.Default;
}
