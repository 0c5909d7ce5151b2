using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using KpRegistry.Server.Application;
using KpRegistry.Storage;

namespace KpRegistry.Server.Grpc;

/// <summary>
/// The one place where application errors become gRPC statuses. A <see cref="RegistryException"/>
/// becomes its status with its message (and google.rpc.BadRequest field violations); anything
/// else becomes INTERNAL with a trace id and no detail: never a stack trace on the wire.
/// </summary>
public sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    private RpcException Translate(Exception e, ServerCallContext context)
    {
        if (e is RegistryException refusal)
        {
            return ToRpcException(refusal);
        }
        if (StoreFaults.Describe(e) is { } fault)
        {
            // The database cannot take the call (read-only, full, unreachable): the caller may try
            // again once the operator clears it; every change is one transaction, so nothing was written.
            LogDatabaseUnavailable(logger, context.Method, fault);
            return new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, $"The registry's database cannot take the call now: {fault}. Nothing was written; try again later."));
        }
        if (context.CancellationToken.IsCancellationRequested)
        {
            // The client reset the stream or left: whatever the read or write threw (an IOException
            // "The client reset the request stream", an OperationCanceledException) is no fault of
            // the registry, and an anonymous caller could fill the log with their stack traces (issue 13).
            LogCallEnded(logger, context.Method, e.GetType().Name);
            return new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled."));
        }
        if (Untranslated(e) is { } refused)
        {
            return refused;
        }
        string traceId = context.GetHttpContext().TraceIdentifier;
        LogUnexpected(logger, e, context.Method, traceId);
        return new RpcException(new global::Grpc.Core.Status(StatusCode.Internal, $"Internal error; the registry logged it under trace id {traceId}."));
    }

    internal static RpcException ToRpcException(RegistryException refusal)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)ToStatusCode(refusal.Kind),
            Message = refusal.Message,
        };
        if (refusal.Violations.Count > 0)
        {
            var badRequest = new BadRequest();
            foreach (FieldViolation violation in refusal.Violations)
            {
                badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Description });
            }
            status.Details.Add(Any.Pack(badRequest));
        }
        return status.ToRpcException();
    }

    /// <summary>
    /// Refusals that reach here without a RegistryException: a store's refusal the application did
    /// not translate, and a payload inside a request that does not parse. Each changed nothing, so
    /// each is the caller's status, not INTERNAL (issue 13).
    /// </summary>
    private static RpcException? Untranslated(Exception e) => e switch
    {
        Storage.DuplicateCertificateException => new RpcException(new global::Grpc.Core.Status(StatusCode.AlreadyExists, e.Message)),
        Storage.StoreNotFoundException => new RpcException(new global::Grpc.Core.Status(StatusCode.NotFound, e.Message)),
        Storage.StoreConflictException => new RpcException(new global::Grpc.Core.Status(StatusCode.FailedPrecondition, e.Message)),
        Google.Protobuf.InvalidProtocolBufferException => new RpcException(new global::Grpc.Core.Status(StatusCode.InvalidArgument, "A message in the request is not well-formed protobuf.")),
        _ => null,
    };

    private static StatusCode ToStatusCode(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        ErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        ErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        ErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        _ => StatusCode.Internal,
    };

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "{Method} refused as UNAVAILABLE: {Fault}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string fault);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "{Method} ended by the client ({Exception})")]
    private static partial void LogCallEnded(ILogger logger, string method, string exception);

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unexpected error in {Method} (trace id {TraceId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string traceId);
}
