using KpRegistry.Domain.Verification;
using Proto = KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.Domain.Wire;

/// <summary>
/// The verification decision, domain to wire: the one mapping used online (the server answers
/// with it) and offline (the client library, kpreg), so both print alike.
/// </summary>
public static class VerificationResultMapping
{
    public static Proto.VerifyCertificateResult ToWire(VerificationResult result, string correlationId = "")
    {
        ArgumentNullException.ThrowIfNull(result);
        var wire = new Proto.VerifyCertificateResult
        {
            Valid = result.Valid,
            CorrelationId = correlationId,
            IssuingParticipant = result.IssuingParticipant ?? "",
            IssuingAuthority = result.IssuingAuthority ?? "",
            CertificateNumber = result.CertificateNumber ?? "",
            KeyId = result.KeyId ?? "",
            RecordedAt = Instants.Format(result.RecordedAt),
            DateOfIssue = Dates.Format(result.DateOfIssue),
            DateOfExpiry = Dates.Format(result.DateOfExpiry),
            KeyState = WireEnums.ToWire(result.KeyState),
            CertificateState = WireEnums.ToWire(result.CertificateState),
            ReplacedBy = result.ReplacedBy ?? "",
        };
        foreach (VerificationReason reason in result.Reasons)
        {
            wire.Reasons.Add(WireEnums.ToWire(reason));
        }
        wire.Details.AddRange(result.Details);
        foreach (var violation in result.RuleViolations)
        {
            wire.Violations.Add($"{violation.Field}: {violation.Rule}: {violation.Message}");
        }
        return wire;
    }
}
