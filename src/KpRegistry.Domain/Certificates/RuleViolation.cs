namespace KpRegistry.Domain.Certificates;

/// <summary>
/// One broken content rule. <paramref name="Field"/> is the proto field path, with 0-based
/// indexes for repeated fields (<c>lines[2].hs_code</c>, <c>exporter.name</c>); the message
/// starts with that path and states the value and the rule, fit to show to an operator.
/// </summary>
public sealed record RuleViolation(CertificateRule Rule, string Field, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Rule}: {Message}";
}
