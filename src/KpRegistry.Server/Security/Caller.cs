namespace KpRegistry.Server.Security;

/// <summary>
/// Who is calling, from the client certificate Kestrel validated: the participant (the
/// certificate's O) and the role (its OU). <see cref="Anonymous"/> when no certificate was sent.
/// </summary>
public sealed record Caller(string? ParticipantCode, string? Role, string Subject, string? Thumbprint)
{
    public static readonly Caller Anonymous = new(null, null, "anonymous", null);

    public bool IsAuthenticated => Role is not null;

    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>The actor recorded in the audit trail.</summary>
    public string AuditName => Thumbprint is null ? Subject : $"{Subject} [{Thumbprint}]";
}
