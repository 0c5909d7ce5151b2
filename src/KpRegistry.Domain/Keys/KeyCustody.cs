namespace KpRegistry.Domain.Keys;

/// <summary>Who keeps the private key.</summary>
public enum KeyCustody
{
    /// <summary>The registry generated it and keeps it encrypted at rest; it signs on the authority's request.</summary>
    Managed = 1,

    /// <summary>The authority keeps it and registered only the public key; it signs locally and submits.</summary>
    Held = 2,
}
