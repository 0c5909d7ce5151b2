namespace KpRegistry.Server.Security;

/// <summary>The roles a client certificate can carry, in its OU.</summary>
public static class Roles
{
    public const string Authority = "authority";
    public const string Admin = "admin";

    /// <summary>A statistics analyst (issue 14): reads every statistic, reconciliation and anomaly; changes nothing.</summary>
    public const string Analyst = "analyst";
}
