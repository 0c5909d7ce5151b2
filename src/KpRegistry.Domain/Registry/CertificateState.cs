namespace KpRegistry.Domain.Registry;

/// <summary>The life of a recorded certificate (DOMAIN.md, "Lifecycle"). Expiry is derived from the date of expiry, not stored.</summary>
public enum CertificateState
{
    Issued = 1,
    Received = 2,
    Detained = 3,
    Cancelled = 4,
    Replaced = 5,

    /// <summary>A detained shipment refused by its destination: final, on the revocation list.</summary>
    Refused = 6,
}
