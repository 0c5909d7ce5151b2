using System.Diagnostics.CodeAnalysis;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;

namespace KpRegistry.Domain.Verification;

/// <summary>
/// The verification decision and the facts behind it. Made only by
/// <see cref="CertificateVerifier.Verify"/>; immutable.
/// </summary>
/// <remarks>
/// What a caller can rely on:
/// <list type="bullet">
/// <item><see cref="Valid"/> is true only when a signature by a registered key verified and
/// <see cref="Reasons"/> is empty. There is no valid-by-default: a result that was not fully
/// decided is never valid.</item>
/// <item><see cref="Reasons"/> holds every reason that applies, each once, in
/// <see cref="VerificationReason"/> order; <see cref="Details"/> has one line per reason, in the
/// same order, stating the facts behind it.</item>
/// <item>Facts read from the payload (<see cref="Certificate"/>, <see cref="IssuingParticipant"/>,
/// dates ...) are set only when the signature verified: unauthenticated bytes are never parsed.</item>
/// </list>
/// </remarks>
public sealed class VerificationResult
{
    internal VerificationResult()
    {
    }

    /// <summary>True only when a signature by a registered key verified and no reason applies; then <see cref="Verified"/> holds the facts.</summary>
    [MemberNotNullWhen(true, nameof(Verified))]
    public bool Valid => Verified is not null;

    /// <summary>The valid certificate with its facts, none null; null exactly when the result is not valid.</summary>
    public VerifiedCertificate? Verified { get; internal init; }

    /// <summary>Every reason that applies, distinct, in enum order; empty when valid.</summary>
    public IReadOnlyList<VerificationReason> Reasons { get; internal init; } = [];

    /// <summary>One human-readable line per reason, in the order of <see cref="Reasons"/>.</summary>
    public IReadOnlyList<string> Details { get; internal init; } = [];

    /// <summary>The content rules broken, when <see cref="VerificationReason.ContentInvalid"/> applies; otherwise empty.</summary>
    public IReadOnlyList<RuleViolation> RuleViolations { get; internal init; } = [];

    /// <summary>The time of the check.</summary>
    public DateTimeOffset CheckedAt { get; internal init; }

    /// <summary>What the check was for.</summary>
    public VerificationPurpose Purpose { get; internal init; }

    /// <summary>
    /// The id of the key the decision is about: the key whose signature verified; or, for
    /// <see cref="VerificationReason.BadSignature"/>, the first registered key named; or, for
    /// <see cref="VerificationReason.UnknownKey"/> and the envelope-shape reasons, the first key id
    /// named when it is well formed. Null otherwise.
    /// </summary>
    public string? KeyId { get; internal init; }

    /// <summary>The state of that key when it is registered; otherwise null.</summary>
    public KeyState? KeyState { get; internal init; }

    /// <summary>The participant the key is registered for, when it is registered.</summary>
    public string? KeyParticipant { get; internal init; }

    /// <summary>The parsed certificate; null unless a signature verified and the payload parsed.</summary>
    public Certificate? Certificate { get; internal init; }

    /// <summary>SHA-256 of the payload bytes, as the registry records it; null unless a signature verified.</summary>
    public byte[]? PayloadSha256 { get; internal init; }

    public string? IssuingParticipant { get; internal init; }

    public string? IssuingAuthority { get; internal init; }

    public string? CertificateNumber { get; internal init; }

    public string? DestinationParticipant { get; internal init; }

    /// <summary>The date of issue, when it parsed.</summary>
    public DateOnly? DateOfIssue { get; internal init; }

    /// <summary>The date of expiry, when it parsed.</summary>
    public DateOnly? DateOfExpiry { get; internal init; }

    /// <summary>When the registry recorded this very payload; null when it holds no record of it (offline, not recorded, or a different payload under the number).</summary>
    public DateTimeOffset? RecordedAt { get; internal init; }

    /// <summary>The state of the registry's record of this very payload; null when there is none.</summary>
    public Registry.CertificateState? CertificateState { get; internal init; }

    /// <summary>For a REPLACED record: the number of the certificate that replaced it; otherwise null.</summary>
    public string? ReplacedBy { get; internal init; }

    /// <inheritdoc/>
    public override string ToString() =>
        Valid ? $"VALID {IssuingParticipant} {CertificateNumber}" : "INVALID: " + string.Join("; ", Details);
}
