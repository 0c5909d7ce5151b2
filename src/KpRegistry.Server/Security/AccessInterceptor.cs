using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using KpRegistry.Server.Application;
using KpRegistry.Server.Grpc;
using KpRegistry.Storage;

namespace KpRegistry.Server.Security;

/// <summary>
/// The outermost interceptor: reads the caller once (refusing a revoked client certificate on
/// every call), applies <see cref="AccessTable"/> before any service code runs (a method without a
/// row is refused), and appends a call record to the audit trail for every state-changing call,
/// allowed or refused, with the status the caller got (it sits outside <see cref="ErrorInterceptor"/>,
/// so it sees the translated status).
/// </summary>
public sealed partial class AccessInterceptor(RegistryViewCache view, CallAuditWriter audit, ILogger<AccessInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        AccessRule? rule = AccessTable.Find(context.Method);
        StatusCode result = StatusCode.Unknown;
        Caller caller = Caller.Anonymous;
        try
        {
            caller = Admit(context, rule);
            TResponse response = await continuation(request, context);
            result = StatusCode.OK;
            return response;
        }
        catch (RpcException e)
        {
            result = e.StatusCode;
            throw;
        }
        catch (OperationCanceledException)
        {
            result = StatusCode.Cancelled;
            throw;
        }
        catch (Exception)
        {
            // Translated by ErrorInterceptor, inside this one; only a failure there lands here.
            result = StatusCode.Internal;
            throw;
        }
        finally
        {
            if (rule is null || rule.ChangesState)
            {
                await AuditAsync(context, caller, request, result);
            }
        }
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Admit(context, AccessTable.Find(context.Method));
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Admit(context, AccessTable.Find(context.Method));
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Admit(context, AccessTable.Find(context.Method));
        return continuation(requestStream, responseStream, context);
    }

    /// <summary>The caller, if the table lets it call this method; otherwise the refusal as the caller will see it.</summary>
    private Caller Admit(ServerCallContext context, AccessRule? rule)
    {
        HttpContext http = context.GetHttpContext();
        Caller caller = Caller.Anonymous;
        if (http.Connection.ClientCertificate is { } certificate)
        {
            string sha256 = ClientCertificateValidator.Sha256Of(certificate);
            if (view.RevokedClientCertificates.IsRevoked(certificate, sha256))
            {
                // UNAUTHENTICATED, not PERMISSION_DENIED: the credential itself is no longer valid,
                // whatever it would have been allowed to do.
                http.Items[typeof(Caller)] = RevokedCaller(certificate, sha256);
                throw Refuse(RegistryException.Unauthenticated($"The client certificate {sha256} is revoked."));
            }
            caller = ClientCertificateValidator.TryReadCaller(certificate) ?? Caller.Anonymous;
        }
        http.Items[typeof(Caller)] = caller;
        if (rule is null)
        {
            throw Refuse(RegistryException.Denied($"{context.Method} has no entry in the registry's access table; refused."));
        }
        string action = context.Method.TrimStart('/');
        switch (rule.Who)
        {
            case Access.Public:
                break;
            case Access.Admin:
                if (!caller.IsAuthenticated)
                {
                    throw Refuse(RegistryException.Unauthenticated($"{action} needs a client certificate issued by the registry's client CA."));
                }
                if (!caller.IsAdmin)
                {
                    throw Refuse(RegistryException.Denied($"{action} is for administrators; the certificate '{caller.Subject}' is an {caller.Role}'s."));
                }
                break;
            case Access.AnalystOrAdmin:
                if (!caller.IsAuthenticated)
                {
                    throw Refuse(RegistryException.Unauthenticated($"{action} needs a client certificate issued by the registry's client CA."));
                }
                if (!caller.IsAdmin && caller.Role != Roles.Analyst)
                {
                    throw Refuse(RegistryException.Denied($"{action} is for administrators and statistics analysts; the certificate '{caller.Subject}' is an {caller.Role}'s."));
                }
                break;
            case Access.IssuingAuthority or Access.DestinationAuthority:
                if (!caller.IsAuthenticated)
                {
                    throw Refuse(RegistryException.Unauthenticated($"{action} needs a client certificate issued by the registry's client CA."));
                }
                if (caller.Role != Roles.Authority)
                {
                    throw Refuse(RegistryException.Denied($"{action} is for the participant's authorities; the certificate '{caller.Subject}' is an {caller.Role}'s."));
                }
                break;
            case Access.Authenticated or Access.OwnParticipant or Access.DestinationAuthorityOrAdmin:
                if (!caller.IsAuthenticated)
                {
                    throw Refuse(RegistryException.Unauthenticated($"{action} needs a client certificate issued by the registry's client CA."));
                }
                break;
            default:
                // A kind of access added to the table but not here is refused, not let through.
                throw Refuse(RegistryException.Denied($"{action}: the access rule {rule.Who} is not enforced by this server; refused."));
        }
        return caller;
    }

    private static Caller RevokedCaller(X509Certificate2 certificate, string sha256)
    {
        Caller read = ClientCertificateValidator.TryReadCaller(certificate) ?? new Caller(null, null, certificate.Subject, sha256);
        // Recorded as who it claims to be, but never authenticated.
        return read with { Role = null, Subject = read.Subject + " (revoked)" };
    }

    private static RpcException Refuse(RegistryException refusal) => ErrorInterceptor.ToRpcException(refusal);

    private async Task AuditAsync<TRequest>(ServerCallContext context, Caller caller, TRequest request, StatusCode result)
    {
        HttpContext http = context.GetHttpContext();
        if (http.Items[typeof(Caller)] is Caller recorded)
        {
            caller = recorded;
        }
        string? sha256 = http.Connection.ClientCertificate is { } certificate ? ClientCertificateValidator.Sha256Of(certificate) : null;
        var entry = new CallAuditEntry(
            Actor: caller.AuditName,
            Action: context.Method.TrimStart('/'),
            Target: Describe(request as IMessage),
            Result: StatusName(result),
            CallerParticipant: caller.ParticipantCode,
            CallerAuthority: caller.AuthorityCode,
            CallerRole: caller.Role,
            CertificateSha256: sha256,
            RequestId: http.TraceIdentifier);
        try
        {
            // Not the call's token: a cancelled call is recorded too.
            await audit.AppendAsync(entry);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The call's own outcome stands (a change is already committed with its own audit
            // row); the missing call record is an operator's alarm.
            LogAuditFailed(logger, e, entry.Action, entry.RequestId ?? "");
        }
    }

    /// <summary>The request's text fields (and those of its directly nested messages): what the call was about, e.g. "participant_code=BW key_id=…".</summary>
    internal static string Describe(IMessage? request)
    {
        if (request is null)
        {
            return "";
        }
        var text = new StringBuilder();
        Append(text, request, "");
        return text.ToString();

        static void Append(StringBuilder text, IMessage message, string prefix)
        {
            foreach (FieldDescriptor field in message.Descriptor.Fields.InFieldNumberOrder())
            {
                if (field.IsRepeated || field.IsMap)
                {
                    continue;
                }
                object? value = field.Accessor.GetValue(message);
                if (field.FieldType == FieldType.String && value is string { Length: > 0 } s)
                {
                    text.Append(text.Length > 0 ? " " : "").Append(prefix).Append(field.Name).Append('=').Append(RegistryException.Echo(s));
                }
                else if (field.FieldType == FieldType.Message && prefix.Length == 0 && value is IMessage nested)
                {
                    Append(text, nested, field.Name + ".");
                }
            }
        }
    }

    /// <summary>"PERMISSION_DENIED" for PermissionDenied: the name the gRPC specification gives the status.</summary>
    internal static string StatusName(StatusCode code)
    {
        string name = code.ToString();
        var upper = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]))
            {
                upper.Append('_');
            }
            upper.Append(char.ToUpperInvariant(name[i]));
        }
        return upper.ToString();
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "The audit record of {Action} (request {RequestId}) could not be written")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string action, string requestId);
}
