using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KpRegistry.Server.Grpc;

/// <summary>
/// A request body that is not the method's message is INVALID_ARGUMENT, answered in a line and
/// logged at most at Information. Grpc.AspNetCore parses the request before any interceptor runs,
/// and a parser exception there is "Exception was thrown by handler" (UNKNOWN) with its whole stack
/// trace at Error: a 207-byte anonymous request wrote 1,802 bytes at Error to the test's log (about
/// 18 KB on a console with scopes), so a flood from the open port became a flood of the log (issue 13).
/// The registry therefore binds every service itself, as Grpc.AspNetCore's own binder does, with
/// each method's request marshaller wrapped so that a parse failure is an <see cref="RpcException"/>.
/// </summary>
public static class MalformedRequests
{
    /// <summary>Grpc.AspNetCore's binder of generated services, which this replaces.</summary>
    private const string GrpcBinderProvider = "Grpc.AspNetCore.Server.Model.Internal.BinderServiceMethodProvider`1";

    /// <summary>
    /// Replaces Grpc.AspNetCore's binder with <see cref="StrictServiceMethodProvider{TService}"/>.
    /// Call after every AddGrpc*: each of them adds the original binder again when it is missing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The original binder is not registered (a Grpc.AspNetCore that binds otherwise): the registry refuses to start rather than bind every method twice or not at all.</exception>
    public static IServiceCollection RefuseMalformedRequests(this IServiceCollection services)
    {
        ServiceDescriptor original = services.SingleOrDefault(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.FullName == GrpcBinderProvider)
            ?? throw new InvalidOperationException($"{GrpcBinderProvider} is not registered: call RefuseMalformedRequests after AddGrpc, and check it against this Grpc.AspNetCore version.");
        services.Remove(original);
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(StrictServiceMethodProvider<>)));
        return services;
    }

    /// <summary>The method's request marshaller, but a request that does not parse is INVALID_ARGUMENT naming the message expected.</summary>
    public static Marshaller<TRequest> Refusing<TRequest>(Marshaller<TRequest> marshaller)
    {
        Func<DeserializationContext, TRequest> parse = marshaller.ContextualDeserializer;
        string expected = typeof(TRequest).Name;
        return new Marshaller<TRequest>(marshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (InvalidProtocolBufferException)
            {
                // No debug exception: its stack says nothing the message does not, and it would be logged.
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"The request is not a well-formed {expected} message."));
            }
        });
    }
}

/// <summary>
/// Binds a generated gRPC service (<c>[BindServiceMethod]</c> on its base class) the way
/// Grpc.AspNetCore's own binder does: each method's handler is the service's override, its
/// endpoint metadata the service's and the method's attributes; only the request marshaller
/// differs (<see cref="MalformedRequests.Refusing{TRequest}"/>).
/// </summary>
public sealed class StrictServiceMethodProvider<TService> : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (Type? type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } bind)
            {
                continue;
            }
            MethodInfo method = bind.BindType.GetMethods(BindingFlags.Public | BindingFlags.Static).SingleOrDefault(m => m.Name == bind.BindMethodName
                    && m.GetParameters() is [{ ParameterType: var binder }, _] && binder == typeof(ServiceBinderBase))
                ?? throw new InvalidOperationException($"{bind.BindType} has no {bind.BindMethodName}(ServiceBinderBase, service).");
            Type serviceBase = method.GetParameters()[1].ParameterType;
            method.Invoke(null, [new Binder(context, serviceBase), null]);
            return;
        }
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type serviceBase) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(TRequest), typeof(ServerCallContext)]);
            context.AddUnaryMethod(Strict(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)]);
            context.AddClientStreamingMethod(Strict(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
            context.AddServerStreamingMethod(Strict(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
            context.AddDuplexStreamingMethod(Strict(method), metadata, invoker);
        }

        private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method) =>
            new(method.Type, method.ServiceName, method.Name, MalformedRequests.Refusing(method.RequestMarshaller), method.ResponseMarshaller);

        private (TDelegate Invoker, List<object> Metadata) Model<TDelegate>(string name, Type[] parameters) where TDelegate : Delegate
        {
            MethodInfo handler = Override(name, parameters) ?? throw new InvalidOperationException($"{typeof(TService)} does not override {serviceBase}.{name}.");
            var metadata = new List<object>();
            // The service's attributes first, the method's last: the last has priority (as Grpc.AspNetCore orders them).
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }

        /// <summary>The public instance method overriding the generated base's; a method that merely hides it is skipped.</summary>
        private MethodInfo? Override(string name, Type[] parameters)
        {
            for (Type? type = typeof(TService); type is not null; type = type.BaseType)
            {
                MethodInfo? found = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, binder: null, parameters, modifiers: null);
                if (found is null)
                {
                    return null;
                }
                if (found.IsVirtual && found.GetBaseDefinition().DeclaringType == serviceBase)
                {
                    return found;
                }
            }
            return null;
        }
    }
}
