namespace KpRegistry.Server.Security;

/// <summary>Who may call an RPC. The role part is enforced by <see cref="AccessInterceptor"/> before the service runs; the participant part by the service, which knows the participant the request concerns.</summary>
public enum Access
{
    /// <summary>Anyone, with no client certificate (a revoked certificate is still refused).</summary>
    Public,

    /// <summary>Any valid client certificate; the service shows an authority only what concerns its own participant.</summary>
    Authenticated,

    /// <summary>An authority of the participant the request concerns (named in it, or owning the key or statement it names), or an admin.</summary>
    OwnParticipant,

    /// <summary>An authority of the issuing participant, issuing as itself; an admin does not issue.</summary>
    IssuingAuthority,

    /// <summary>An authority of the certificate's destination; not an admin.</summary>
    DestinationAuthority,

    /// <summary>An authority of the certificate's destination, or an admin.</summary>
    DestinationAuthorityOrAdmin,

    /// <summary>An administrator only.</summary>
    Admin,

    /// <summary>A statistics analyst (OU analyst) or an administrator: reads everything, changes nothing.</summary>
    AnalystOrAdmin,
}

/// <summary>One RPC's rule: who may call it, and whether it changes state (then every call, allowed or refused, is audited).</summary>
public sealed record AccessRule(Access Who, bool ChangesState);

/// <summary>
/// Deny by default: every RPC the registry serves has exactly one row here, and a call to a
/// method without a row is refused (PERMISSION_DENIED) before any service code runs. Adding an
/// RPC means adding its row; the integration test AccessTableTests enumerates the services'
/// descriptors and fails on any method without one, and checks every row against real calls.
/// </summary>
public static class AccessTable
{
    private static AccessRule Read(Access who) => new(who, ChangesState: false);

    private static AccessRule Change(Access who) => new(who, ChangesState: true);

    /// <summary>Keyed by the full method name without the leading slash: "package.Service/Method".</summary>
    public static readonly IReadOnlyDictionary<string, AccessRule> Rules = new Dictionary<string, AccessRule>(StringComparer.Ordinal)
    {
        ["kp.registry.v1.Registry/ListParticipants"] = Read(Access.Public),
        ["kp.registry.v1.Registry/GetParticipant"] = Read(Access.Public),
        ["kp.registry.v1.Registry/ListKeys"] = Read(Access.Public),
        ["kp.registry.v1.Registry/GetKey"] = Read(Access.Public),
        ["kp.registry.v1.Registry/AdmitParticipant"] = Change(Access.Admin),
        ["kp.registry.v1.Registry/SetParticipantStatus"] = Change(Access.Admin),
        ["kp.registry.v1.Registry/CreateKey"] = Change(Access.OwnParticipant),
        ["kp.registry.v1.Registry/RotateKey"] = Change(Access.OwnParticipant),
        ["kp.registry.v1.Registry/RegisterKey"] = Change(Access.OwnParticipant),
        ["kp.registry.v1.Registry/RevokeKey"] = Change(Access.OwnParticipant),
        ["kp.registry.v1.Registry/AddAuthority"] = Change(Access.Admin),
        ["kp.registry.v1.Registry/RemoveAuthority"] = Change(Access.Admin),
        ["kp.registry.v1.Registry/SetZones"] = Change(Access.Admin),
        ["kp.registry.v1.Registry/SetEmbargo"] = Change(Access.Admin),
        ["kp.registry.v1.Registry/SetLicensing"] = Change(Access.Admin),
        ["kp.registry.v1.Registry/RevokeClientCertificate"] = Change(Access.Admin),
        ["kp.registry.v1.Registry/ListRevokedClientCertificates"] = Read(Access.Admin),
        ["kp.registry.v1.Registry/ListAuditEvents"] = Read(Access.Admin),

        ["kp.certificate.v1.Certificates/IssueCertificate"] = Change(Access.IssuingAuthority),
        ["kp.certificate.v1.Certificates/ReplaceCertificate"] = Change(Access.IssuingAuthority),
        ["kp.certificate.v1.Certificates/SubmitCertificate"] = Change(Access.IssuingAuthority),
        ["kp.certificate.v1.Certificates/CancelCertificate"] = Change(Access.OwnParticipant),
        ["kp.certificate.v1.Certificates/ConfirmImport"] = Change(Access.DestinationAuthority),
        ["kp.certificate.v1.Certificates/SubmitImportConfirmation"] = Change(Access.DestinationAuthority),
        ["kp.certificate.v1.Certificates/ResolveDetention"] = Change(Access.DestinationAuthorityOrAdmin),
        ["kp.certificate.v1.Certificates/GetCertificate"] = Read(Access.Public),
        ["kp.certificate.v1.Certificates/ListCertificates"] = Read(Access.Authenticated),

        ["kp.verification.v1.Verification/VerifyCertificate"] = Read(Access.Public),
        ["kp.verification.v1.Verification/VerifyCertificates"] = Read(Access.Public),
        ["kp.verification.v1.Verification/GetTrustList"] = Read(Access.Public),
        ["kp.verification.v1.Verification/GetRevocationList"] = Read(Access.Public),
        ["kp.verification.v1.Verification/WatchRevocations"] = Read(Access.Public),

        ["kp.transparency.v1.Log/GetCheckpoint"] = Read(Access.Public),
        ["kp.transparency.v1.Log/GetInclusionProof"] = Read(Access.Public),
        ["kp.transparency.v1.Log/GetConsistencyProof"] = Read(Access.Public),
        ["kp.transparency.v1.Log/GetEntries"] = Read(Access.Public),

        // Public figures for anyone; per-certificate details (include_certificates) the service limits by role.
        ["kp.statistics.v1.Statistics/GetTradeStatistics"] = Read(Access.Public),
        ["kp.statistics.v1.Statistics/Reconcile"] = Read(Access.AnalystOrAdmin),
        ["kp.statistics.v1.Statistics/ListAnomalies"] = Read(Access.AnalystOrAdmin),

        // Infrastructure services mapped beside the registry's own.
        ["grpc.health.v1.Health/Check"] = Read(Access.Public),
        ["grpc.health.v1.Health/Watch"] = Read(Access.Public),
        ["grpc.health.v1.Health/List"] = Read(Access.Public),
        ["grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"] = Read(Access.Public),
        ["grpc.reflection.v1.ServerReflection/ServerReflectionInfo"] = Read(Access.Public),
    };

    /// <summary>The rule of <paramref name="method"/> ("/package.Service/Method" as gRPC names it), or null: refused.</summary>
    public static AccessRule? Find(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Rules.GetValueOrDefault(method.StartsWith('/') ? method[1..] : method);
    }
}
