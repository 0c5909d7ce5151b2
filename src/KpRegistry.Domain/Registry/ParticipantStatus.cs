namespace KpRegistry.Domain.Registry;

/// <summary>A participant's standing in the KPCS (DOMAIN.md). An embargo is a separate flag, not a status.</summary>
public enum ParticipantStatus
{
    /// <summary>May issue and receive.</summary>
    Active = 1,

    /// <summary>May export only from approved zones or operations (CAR 2015-2024, Marange 2009-2011).</summary>
    ActiveRestricted = 2,

    /// <summary>May neither issue nor receive.</summary>
    Suspended = 3,

    /// <summary>As suspended, by its own choice (Venezuela 2008-2016).</summary>
    SelfSuspended = 4,

    /// <summary>No longer a participant; its certificates are refused.</summary>
    Removed = 5,
}
