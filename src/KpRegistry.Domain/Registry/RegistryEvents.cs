namespace KpRegistry.Domain.Registry;

/// <summary>What happened to a certificate after it was recorded (stored by name).</summary>
public enum CertificateEventKind
{
    Cancelled = 1,
    Replaced = 2,
    Received = 3,
    Detained = 4,
}

/// <summary>What a revocation entry revokes (stored by name).</summary>
public enum RevocationSubject
{
    Key = 1,
    Certificate = 2,
}
