namespace KpRegistry.Domain.Certificates;

/// <summary>
/// The configurable parts of the content rules: those DOMAIN.md marks as not fixed by the KPCS.
/// </summary>
public sealed record CertificateRulesOptions
{
    /// <summary>The rules as the KPCS states them: no default maximum validity, 14 hours of calendar lead.</summary>
    public static CertificateRulesOptions Default { get; } = new();

    /// <summary>
    /// The longest validity (date of expiry minus date of issue, in days) for an issuer whose
    /// <see cref="Registry.ParticipantInfo.MaxValidityDays"/> is null. Null: no maximum, as the KP
    /// sets none (the EU uses two months, which is its own participant setting).
    /// </summary>
    public int? DefaultMaxValidityDays { get; init; }

    /// <summary>
    /// How far the issuer's calendar may run ahead of UTC: a date of issue is "not in the future"
    /// when it is on or before the UTC date of (check time + this). 14 hours covers UTC+14 (Kiribati),
    /// the furthest ahead any calendar runs.
    /// </summary>
    public TimeSpan IssuerCalendarLead { get; init; } = TimeSpan.FromHours(14);
}
