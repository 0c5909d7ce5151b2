using System.Collections;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// Issue 13, "Fuzzing", against the running server: arbitrary bytes and random messages of the
/// right type as the request body of EVERY method of every service, sent as an anonymous caller,
/// an authority and an administrator. No answer is INTERNAL, and no verification answers VALID.
/// The methods come from the services' descriptors, so a new RPC is fuzzed without a change here.
/// </summary>
public sealed class RequestFuzzTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const int RandomBodiesPerMethod = 12;
    private const int RandomMessagesPerMethod = 12;

    private static readonly ServiceDescriptor[] Services =
    [
        Contracts.Registry.V1.RegistryReflection.Descriptor.Services[0],
        Contracts.Certificate.V1.CertificatesReflection.Descriptor.Services[0],
        VerificationReflection.Descriptor.Services[0],
        Contracts.Transparency.V1.LogReflection.Descriptor.Services[0],
    ];

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(bytes => bytes, bytes => bytes);

    private static readonly string[] Strings =
    [
        "", "BW", "EU", "ZA", "XR", "bw", "B", "BW-MMGE", "EU-BE", "BW-2026-000123", "2026-03-09", "2026-03-09T00:00:00Z",
        new string('a', 64), new string('Z', 5000), "\u0000", "'; DROP TABLE keys; --", "\uD800", "..\\..\\etc\\passwd", "-1", "9999999999999999999999",
    ];

    [Fact]
    public async Task EveryMethod_RandomBodiesFromEveryCaller_NeverInternalAndNeverValid()
    {
        var random = new Random(13);
        var statuses = new Dictionary<StatusCode, int>();
        var internals = new List<string>();
        int calls = 0;
        foreach (string caller in (string[])["anonymous", "BW-authority", "admin"])
        {
            CallInvoker invoker = registry.As(caller).CreateCallInvoker();
            foreach (ServiceDescriptor service in Services)
            {
                foreach (MethodDescriptor method in service.Methods)
                {
                    for (int i = 0; i < RandomBodiesPerMethod + RandomMessagesPerMethod; i++)
                    {
                        byte[] body = i < RandomBodiesPerMethod ? RandomBytes(random) : RandomMessage(method.InputType, random, depth: 0).ToByteArray();
                        StatusCode status = await CallAsync(invoker, method, body);
                        calls++;
                        statuses[status] = statuses.GetValueOrDefault(status) + 1;
                        if (status == StatusCode.Internal)
                        {
                            internals.Add($"{caller} {service.Name}/{method.Name} body {Convert.ToHexString(body[..Math.Min(body.Length, 64)])}");
                        }
                    }
                }
            }
        }

        TestContext.Current.SendDiagnosticMessage($"{calls} calls: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}")));
        Assert.True(internals.Count == 0, $"{internals.Count} INTERNAL answers:{Environment.NewLine}{string.Join(Environment.NewLine, internals.Take(20))}");
        // A body that is not the method's message is INVALID_ARGUMENT (issue 13 finding 4), never
        // UNKNOWN ("Exception was thrown by handler").
        Assert.False(statuses.ContainsKey(StatusCode.Unknown), $"{statuses.GetValueOrDefault(StatusCode.Unknown)} UNKNOWN answers");
        Assert.True(calls > 0);
    }

    /// <summary>Finding 4 of the fuzzing (docs/FUZZING.md): bytes that are not a request, streamed to VerifyCertificates, answered INTERNAL.</summary>
    [Fact]
    public async Task VerifyCertificates_StreamedBodyNotAMessage_InvalidArgumentNotInternal()
    {
        MethodDescriptor method = VerificationReflection.Descriptor.Services[0].FindMethodByName("VerifyCertificates");

        StatusCode status = await CallAsync(registry.As("anonymous").CreateCallInvoker(), method, Convert.FromHexString("9448A765BD58EEEF59"));

        Assert.Equal(StatusCode.InvalidArgument, status);
    }

    /// <summary>One call with <paramref name="body"/> as the request; the status it ends with. A VALID verification fails the test.</summary>
    private static async Task<StatusCode> CallAsync(CallInvoker invoker, MethodDescriptor method, byte[] body)
    {
        MethodType type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            _ => MethodType.DuplexStreaming,
        };
        var rpc = new Method<byte[], byte[]>(type, method.Service.FullName, method.Name, Raw, Raw);
        // A stream that is answered stays open (WatchRevocations waits for the next change): the deadline ends it as DEADLINE_EXCEEDED.
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(type == MethodType.Unary ? 30 : 2));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    AssertNotValid(method, await invoker.AsyncUnaryCall(rpc, null, options, body).ResponseAsync);
                    break;
                case MethodType.ServerStreaming:
                    using (AsyncServerStreamingCall<byte[]> call = invoker.AsyncServerStreamingCall(rpc, null, options, body))
                    {
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                            AssertNotValid(method, call.ResponseStream.Current);
                        }
                    }
                    break;
                default:
                    using (AsyncDuplexStreamingCall<byte[], byte[]> call = invoker.AsyncDuplexStreamingCall(rpc, null, options))
                    {
                        await call.RequestStream.WriteAsync(body);
                        await call.RequestStream.CompleteAsync();
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                            AssertNotValid(method, call.ResponseStream.Current);
                        }
                    }
                    break;
            }
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static void AssertNotValid(MethodDescriptor method, byte[] response)
    {
        if (method.OutputType == VerifyCertificateResult.Descriptor)
        {
            Assert.False(VerifyCertificateResult.Parser.ParseFrom(response).Valid, $"{method.Name} answered VALID for a random request");
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var body = new byte[random.Next(0, 300)];
        random.NextBytes(body);
        return body;
    }

    /// <summary>A message of <paramref name="descriptor"/>'s type with random values in random fields: it parses, so it reaches the request validation.</summary>
    private static IMessage RandomMessage(MessageDescriptor descriptor, Random random, int depth)
    {
        IMessage message = descriptor.Parser.ParseFrom(ByteString.Empty);
        foreach (FieldDescriptor field in descriptor.Fields.InFieldNumberOrder())
        {
            if (field.IsMap || random.Next(3) == 0)
            {
                continue;
            }
            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                int count = random.Next(4) == 0 ? random.Next(0, 150) : random.Next(0, 3);
                for (int i = 0; i < count; i++)
                {
                    if (RandomValue(field, random, depth) is { } item)
                    {
                        list.Add(item);
                    }
                }
            }
            else if (RandomValue(field, random, depth) is { } value)
            {
                field.Accessor.SetValue(message, value);
            }
        }
        return message;
    }

    private static object? RandomValue(FieldDescriptor field, Random random, int depth) => field.FieldType switch
    {
        FieldType.String => Strings[random.Next(Strings.Length)],
        FieldType.Bytes => ByteString.CopyFrom(random.Next(3) == 0 ? Encoding.UTF8.GetBytes(Strings[random.Next(Strings.Length)]) : RandomBytes(random)),
        FieldType.Bool => random.Next(2) == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => random.Next(4) switch { 0 => int.MinValue, 1 => int.MaxValue, 2 => -1, _ => random.Next(0, 1000) },
        FieldType.UInt32 or FieldType.Fixed32 => random.Next(3) switch { 0 => uint.MaxValue, 1 => 0u, _ => (uint)random.Next(0, 1000) },
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => random.Next(4) switch { 0 => long.MinValue, 1 => long.MaxValue, 2 => -1L, _ => (long)random.Next(0, 1000) },
        FieldType.UInt64 or FieldType.Fixed64 => random.Next(3) switch { 0 => ulong.MaxValue, 1 => (ulong)long.MaxValue + 1, _ => (ulong)random.Next(0, 1000) },
        FieldType.Double => random.NextDouble() * 1e308,
        FieldType.Float => (float)random.NextDouble(),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, random.Next(-1, field.EnumType.Values.Count + 2)),
        FieldType.Message when depth < 3 => RandomMessage(field.MessageType, random, depth + 1),
        _ => null,
    };
}
