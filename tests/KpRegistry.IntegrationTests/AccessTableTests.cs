using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Server.Security;
using DomainAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// Deny by default, proven: every method of every service in the contracts has a row in
/// <see cref="AccessTable"/>, and each is called as seven callers; each status must be what the row says.
/// Allowed: anything but UNAUTHENTICATED and PERMISSION_DENIED (the requests are made to pass
/// authorisation and then fail, or do something harmless). Refused: exactly the status the row implies.
/// </summary>
public sealed class AccessTableTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const string Owner = "BW-authority";          // BW owns the key and issued the certificate
    private const string Destination = "EU-authority";    // the certificate's destination
    private const string Stranger = "ZA-authority";       // neither

    private enum Expect { Allowed, Unauthenticated, PermissionDenied, HandshakeRefused }

    /// <summary>Every RPC of every service the contracts describe (every generated *Reflection descriptor), as "package.Service/Method".</summary>
    private static IReadOnlyList<MethodDescriptor> ContractMethods() =>
        [.. typeof(Participant).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .SelectMany(f => f.Services)
            .SelectMany(s => s.Methods)
            .OrderBy(m => m.FullName, StringComparer.Ordinal)];

    private static string Key(MethodDescriptor method) => $"{method.Service.FullName}/{method.Name}";

    [Fact]
    public void EveryContractMethod_HasARowInTheAccessTable()
    {
        string[] missing = [.. ContractMethods().Select(Key).Where(k => AccessTable.Find(k) is null)];

        Assert.True(missing.Length == 0, "no access-table row for: " + string.Join(", ", missing));
        Assert.True(ContractMethods().Count >= 36, $"only {ContractMethods().Count} methods found: the descriptor enumeration missed services");
    }

    [Fact]
    public void AccessTable_HasNoRowForAMethodThatDoesNotExist()
    {
        var known = ContractMethods().Select(Key).ToHashSet(StringComparer.Ordinal);

        string[] stale = [.. AccessTable.Rules.Keys.Where(k => k.StartsWith("kp.", StringComparison.Ordinal) && !known.Contains(k))];

        Assert.True(stale.Length == 0, "rows for no method: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task EveryMethod_EveryCaller_StatusAsTheTableSays()
    {
        Scenario scenario = await Scenario.PrepareAsync(registry);
        using X509Certificate2 forged = ClientCertificates.Forged("BW");
        using GrpcChannel forgedChannel = registry.Server.Channel(forged);
        using GrpcChannel revokedChannel = registry.Server.Channel(scenario.Revoked);
        var failures = new List<string>();

        foreach (MethodDescriptor method in ContractMethods())
        {
            AccessRule rule = AccessTable.Find(Key(method)) ?? throw new InvalidOperationException($"{Key(method)} has no row (see the test above).");
            string right = rule.Who is Access.DestinationAuthority or Access.DestinationAuthorityOrAdmin ? Destination : Owner;
            (string Name, GrpcChannel Channel, Expect Expected)[] callers =
            [
                ("anonymous", registry.As("anonymous"), rule.Who == Access.Public ? Expect.Allowed : Expect.Unauthenticated),
                ($"right authority {right}", registry.As(right), rule.Who is Access.Admin or Access.AnalystOrAdmin ? Expect.PermissionDenied : Expect.Allowed),
                ($"other authority {Stranger}", registry.As(Stranger), rule.Who is Access.Public or Access.Authenticated ? Expect.Allowed : Expect.PermissionDenied),
                ("admin", registry.As("admin"), rule.Who is Access.IssuingAuthority or Access.DestinationAuthority ? Expect.PermissionDenied : Expect.Allowed),
                // An analyst reads everything statistical and changes nothing (issue 14).
                ("analyst", registry.As("analyst"), rule.Who is Access.Public or Access.Authenticated or Access.AnalystOrAdmin ? Expect.Allowed : Expect.PermissionDenied),
                ("certificate from another CA", forgedChannel, Expect.HandshakeRefused),
                ("revoked certificate", revokedChannel, Expect.Unauthenticated),
            ];
            foreach (var (name, channel, expected) in callers)
            {
                (StatusCode status, RpcException? error) = await CallAsync(channel, method, scenario.Request(Key(method), method));
                bool ok = expected switch
                {
                    Expect.Allowed => status is not (StatusCode.Unauthenticated or StatusCode.PermissionDenied) && !(error is not null && ClientCertificates.IsHandshakeRefusal(error)),
                    Expect.Unauthenticated => status == StatusCode.Unauthenticated,
                    Expect.PermissionDenied => status == StatusCode.PermissionDenied,
                    _ => error is not null && ClientCertificates.IsHandshakeRefusal(error),
                };
                if (!ok)
                {
                    failures.Add($"{Key(method)} ({rule.Who}) as {name}: expected {expected}, got {status} {error?.Status.Detail}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static async Task<(StatusCode Status, RpcException? Error)> CallAsync(GrpcChannel channel, MethodDescriptor descriptor, IMessage request)
    {
        var requestMarshaller = Marshallers.Create<IMessage>(m => m.ToByteArray(), descriptor.InputType.Parser.ParseFrom);
        var responseMarshaller = Marshallers.Create<IMessage>(m => m.ToByteArray(), descriptor.OutputType.Parser.ParseFrom);
        MethodType type = (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
        var method = new Method<IMessage, IMessage>(type, descriptor.Service.FullName, descriptor.Name, requestMarshaller, responseMarshaller);
        CallInvoker invoker = channel.CreateCallInvoker();
        // A guard against a stream that never ends (WatchRevocations), not a timing assertion: cut
        // short, a call that was let in ends CANCELLED, which counts as allowed.
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var options = new CallOptions(cancellationToken: cancel.Token);
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(method, null, options, request).ResponseAsync;
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(method, null, options, request))
                    {
                        // The first message (or the end) is enough: the call was let in.
                        await call.ResponseStream.MoveNext(cancel.Token);
                    }
                    break;
                case MethodType.ClientStreaming:
                    using (var call = invoker.AsyncClientStreamingCall(method, null, options))
                    {
                        await call.RequestStream.WriteAsync(request, cancel.Token);
                        await call.RequestStream.CompleteAsync();
                        await call.ResponseAsync;
                    }
                    break;
                default:
                    using (var call = invoker.AsyncDuplexStreamingCall(method, null, options))
                    {
                        await call.RequestStream.WriteAsync(request, cancel.Token);
                        await call.RequestStream.CompleteAsync();
                        while (await call.ResponseStream.MoveNext(cancel.Token))
                        {
                        }
                    }
                    break;
            }
            return (StatusCode.OK, null);
        }
        catch (RpcException e)
        {
            return (e.StatusCode, e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or System.Security.Authentication.AuthenticationException)
        {
            // A refused handshake can surface from a stream's first write or read as the transport's
            // own exception rather than an RpcException.
            return (StatusCode.Unavailable, new RpcException(new Status(StatusCode.Unavailable, e.Message, e)));
        }
    }

    /// <summary>What the calls need: a BW key, a certificate BW issued to the EU, a revoked BW authority certificate.</summary>
    private sealed class Scenario
    {
        private const KeyAlgorithm NoSuchAlgorithm = (KeyAlgorithm)999;

        public required string KeyId { get; init; }
        public required IssueCertificateResponse Issued { get; init; }
        public required X509Certificate2 Revoked { get; init; }

        public static async Task<Scenario> PrepareAsync(RegistryFixture registry)
        {
            IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
            Key key = await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
            X509Certificate2 revoked = ClientCertificates.Issue(registry.Server, "BW");
            await registry.Registry("admin").RevokeClientCertificateAsync(new RevokeClientCertificateRequest
            {
                Sha256Thumbprint = ClientCertificateValidator.Sha256Of(revoked),
                Reason = "access table test",
            });
            return new Scenario { KeyId = key.KeyId, Issued = issued, Revoked = revoked };
        }

        private Certificate IssuedCertificate => Certificate.Parser.ParseFrom(Issued.Envelope.Payload);

        /// <summary>
        /// A request that names the participant the rule is about (so a stranger is refused by it),
        /// and that the right caller gets past authorisation with, to fail harmlessly after it
        /// (an unknown algorithm, a missing reason) or do something small.
        /// </summary>
        public IMessage Request(string method, MethodDescriptor descriptor) => method switch
        {
            "kp.registry.v1.Registry/GetParticipant" => new GetParticipantRequest { Code = "BW" },
            "kp.registry.v1.Registry/GetKey" => new GetKeyRequest { KeyId = KeyId },
            "kp.registry.v1.Registry/CreateKey" => new CreateKeyRequest { ParticipantCode = "BW", Algorithm = NoSuchAlgorithm },
            "kp.registry.v1.Registry/RotateKey" => new RotateKeyRequest { KeyId = KeyId, Algorithm = NoSuchAlgorithm },
            "kp.registry.v1.Registry/RegisterKey" => RegisterKey(),
            "kp.registry.v1.Registry/RevokeKey" => new RevokeKeyRequest { KeyId = KeyId },
            "kp.certificate.v1.Certificates/IssueCertificate" => new IssueCertificateRequest { Certificate = SampleCertificates.Valid(), Algorithm = (SigningAlgorithm)999 },
            "kp.certificate.v1.Certificates/ReplaceCertificate" => new ReplaceCertificateRequest { Certificate = SampleCertificates.Valid() },
            "kp.certificate.v1.Certificates/SubmitCertificate" => new SubmitCertificateRequest { Envelope = Issued.Envelope },
            "kp.certificate.v1.Certificates/CancelCertificate" => new CancelCertificateRequest { IssuingParticipant = "BW", CertificateNumber = IssuedCertificate.CertificateNumber },
            "kp.certificate.v1.Certificates/ConfirmImport" => new ConfirmImportRequest
            {
                Confirmation = new ImportConfirmation { IssuingParticipant = "BW", CertificateNumber = IssuedCertificate.CertificateNumber },
            },
            "kp.certificate.v1.Certificates/SubmitImportConfirmation" => SubmitImportConfirmation(),
            "kp.certificate.v1.Certificates/ResolveDetention" => new ResolveDetentionRequest
            {
                IssuingParticipant = "BW",
                CertificateNumber = IssuedCertificate.CertificateNumber,
                Decision = DetentionDecision.Release,
                Reason = "access table test",
            },
            "kp.certificate.v1.Certificates/GetCertificate" => new GetCertificateRequest { IssuingParticipant = "BW", CertificateNumber = IssuedCertificate.CertificateNumber },
            "kp.transparency.v1.Log/GetEntries" => new GetEntriesRequest { Start = 0, Count = 1 },
            _ => (IMessage)Activator.CreateInstance(descriptor.InputType.ClrType)!,
        };

        private static RegisterKeyRequest RegisterKey()
        {
            // A fresh held key each time: an allowed call registers it, which harms nothing.
            using SigningKey held = SigningKey.Generate(DomainAlgorithm.Ed25519);
            return new RegisterKeyRequest { Statement = HeldKeys.Registration(held, "BW") };
        }

        private SubmitImportConfirmationRequest SubmitImportConfirmation()
        {
            var confirmation = new ImportConfirmation { IssuingParticipant = "BW", CertificateNumber = IssuedCertificate.CertificateNumber };
            var envelope = new SignedEnvelope { PayloadType = PayloadTypes.ImportConfirmation, Payload = confirmation.ToByteString() };
            // A signature by no registered key: the destination's authority gets past authorisation to INVALID_ARGUMENT.
            envelope.Signatures.Add(new Signature { KeyId = new string('0', 64), Sig = ByteString.CopyFrom(new byte[64]) });
            return new SubmitImportConfirmationRequest { Envelope = envelope };
        }
    }
}
