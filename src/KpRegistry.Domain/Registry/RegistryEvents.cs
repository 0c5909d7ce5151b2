namespace KpRegistry.Domain.Registry;

/// <summary>What happened to a certificate after it was recorded (stored by name).</summary>
public enum CertificateEventKind
{
    Cancelled = 1,
    Replaced = 2,
    Received = 3,
    Detained = 4,

    /// <summary>The destination refused a detained shipment (final). A release is a <see cref="Received"/> after <see cref="Detained"/>.</summary>
    Refused = 5,
}

/// <summary>What a revocation entry revokes (stored by name).</summary>
public enum RevocationSubject
{
    Key = 1,

    /// <summary>A certificate cancelled by its issuer (the name predates the other certificate kinds).</summary>
    Certificate = 2,

    /// <summary>A certificate replaced by another.</summary>
    CertificateReplaced = 3,

    /// <summary>A detained shipment refused by its destination.</summary>
    CertificateRefused = 4,
}
