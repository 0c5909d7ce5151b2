namespace KpRegistry.Server.Security;

/// <summary>
/// Who is calling, from the client certificate Kestrel validated: the participant (the
/// certificate's O), the role (its OU) and, for an authority, which of the participant's
/// authorities (a SAN URI <c>urn:kp:authority:CODE</c>; none: the participant's default
/// authority, which may act as any of the participant's authorities). <see cref="Anonymous"/> when
/// no certificate was sent. <see cref="Thumbprint"/> is the certificate's SHA-256 (hex).
/// </summary>
public sealed record Caller(string? ParticipantCode, string? Role, string Subject, string? Thumbprint, string? AuthorityCode = null)
{
    public static readonly Caller Anonymous = new(null, null, "anonymous", null);

    /// <summary>True when the caller may act as <paramref name="authorityCode"/>: its own authority, or any when its certificate names none.</summary>
    public bool MayActAsAuthority(string authorityCode) =>
        AuthorityCode is null || string.Equals(AuthorityCode, authorityCode, StringComparison.Ordinal);

    public bool IsAuthenticated => Role is not null;

    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>The actor recorded in the audit trail.</summary>
    public string AuditName => Thumbprint is null ? Subject : $"{Subject} [{Thumbprint}]";
}
