namespace KpRegistry.Domain.Keys;

/// <summary>The life of a registered key.</summary>
public enum KeyState
{
    /// <summary>Signs new certificates. At most one per authority and algorithm.</summary>
    Active = 1,

    /// <summary>Signs nothing new from its retired-at time; what was recorded before stays valid.</summary>
    Retired = 2,

    /// <summary>Compromised since a time: signatures recorded at or after it are invalid.</summary>
    Revoked = 3,
}
