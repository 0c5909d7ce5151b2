using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using KpRegistry.Server.Application;

namespace KpRegistry.Server.Security;

/// <summary>
/// Who may do what, checked at the start of every RPC that changes state. Kestrel has already
/// refused any client certificate that does not chain to the client CA; here the certificate's
/// participant and role decide. An authority acts only for its own participant; an admin for any.
/// </summary>
public static class Authorization
{
    /// <summary>The caller of this call, from its validated client certificate; <see cref="Caller.Anonymous"/> without one.</summary>
    public static Caller GetCaller(this ServerCallContext context)
    {
        // AccessInterceptor read it once, refusing a revoked certificate before the service ran.
        if (context.GetHttpContext().Items[typeof(Caller)] is Caller known)
        {
            return known;
        }
        X509Certificate2? certificate = context.GetHttpContext().Connection.ClientCertificate;
        return certificate is null ? Caller.Anonymous : ClientCertificateValidator.TryReadCaller(certificate) ?? Caller.Anonymous;
    }

    /// <summary>Any authenticated caller (authority or admin).</summary>
    public static Caller RequireAuthenticated(this ServerCallContext context, string action)
    {
        Caller caller = context.GetCaller();
        return caller.IsAuthenticated
            ? caller
            : throw RegistryException.Unauthenticated($"{action} needs a client certificate issued by the registry's client CA.");
    }

    /// <summary>An administrator only.</summary>
    public static Caller RequireAdmin(this ServerCallContext context, string action)
    {
        Caller caller = context.RequireAuthenticated(action);
        return caller.IsAdmin
            ? caller
            : throw RegistryException.Denied($"{action} is for administrators; the certificate '{caller.Subject}' is an {caller.Role}'s.");
    }

    /// <summary>An administrator or a statistics analyst (reconciliation and anomalies, issue 14).</summary>
    public static Caller RequireAnalyst(this ServerCallContext context, string action)
    {
        Caller caller = context.RequireAuthenticated(action);
        return caller.IsAdmin || caller.Role == Roles.Analyst
            ? caller
            : throw RegistryException.Denied($"{action} is for administrators and statistics analysts; the certificate '{caller.Subject}' is an {caller.Role}'s.");
    }

    /// <summary>An administrator, or an authority of <paramref name="participantCode"/>.</summary>
    public static Caller RequireActingFor(this ServerCallContext context, string participantCode, string action)
    {
        Caller caller = context.RequireAuthenticated(action);
        if (caller.IsAdmin || string.Equals(caller.ParticipantCode, participantCode, StringComparison.Ordinal))
        {
            return caller;
        }
        throw RegistryException.Denied($"{action}: an authority of {caller.ParticipantCode} may act only for {caller.ParticipantCode}, not for {participantCode}.");
    }
}
