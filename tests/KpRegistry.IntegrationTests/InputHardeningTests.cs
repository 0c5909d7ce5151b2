using System.Net;
using Google.Protobuf;
using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.IntegrationTests.TestData;
using Microsoft.Extensions.Logging;
using DomainAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;

namespace KpRegistry.IntegrationTests;

/// <summary>A registry whose every log entry (Information and above) the test reads.</summary>
public sealed class LoggedRegistryFixture : RegistryFixture
{
    public CapturedLogs Logs { get; } = new();

    protected override void Configure(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) => Logs.AddTo(builder);
}

/// <summary>
/// Issue 13 findings 4, 6 and 7: what an attacker's malformed or oversized input costs the
/// registry. Each is refused with a precise status, writes no Error to the log and changes nothing.
/// </summary>
public sealed class InputHardeningTests(LoggedRegistryFixture registry) : IClassFixture<LoggedRegistryFixture>
{
    private static readonly Marshaller<byte[]> RawBytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    /// <summary>207 bytes that are no protobuf message: the first byte names field 0, which no message has.</summary>
    private static byte[] Garbage()
    {
        var bytes = new byte[207];
        new Random(13).NextBytes(bytes);
        bytes[0] = 0x07;
        return bytes;
    }

    [Fact]
    public async Task Finding4_MalformedRequest_InvalidArgumentAndNoErrorLogged()
    {
        var method = new Method<byte[], byte[]>(MethodType.Unary, "kp.registry.v1.Registry", "ListParticipants", RawBytes, RawBytes);
        registry.Logs.Clear();

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.As("anonymous").CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), Garbage()).ResponseAsync);
        await registry.Logs.WaitForRequestFinishedAsync("/kp.registry.v1.Registry/ListParticipants");

        TestContext.Current.TestOutputHelper?.WriteLine($"logged at Warning or above: {registry.Logs.BytesAtOrAbove(LogLevel.Warning)} bytes; at any level: {registry.Logs.BytesAtOrAbove(LogLevel.Trace)} bytes");
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("ListParticipantsRequest", refused.Status.Detail);
        Assert.True(refused.Status.Detail.Length < 200, refused.Status.Detail);
        Assert.Empty(registry.Logs.Errors);
        Assert.Equal(0, registry.Logs.BytesAtOrAbove(LogLevel.Warning));
    }

    [Fact]
    public async Task Finding4_MalformedMessageInStream_InvalidArgumentAndNoErrorLogged()
    {
        var method = new Method<byte[], byte[]>(MethodType.DuplexStreaming, "kp.verification.v1.Verification", "VerifyCertificates", RawBytes, RawBytes);
        registry.Logs.Clear();
        using AsyncDuplexStreamingCall<byte[], byte[]> call = registry.As("anonymous").CreateCallInvoker().AsyncDuplexStreamingCall(method, null, new CallOptions());

        await call.RequestStream.WriteAsync(Garbage());
        await call.RequestStream.CompleteAsync();
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        await registry.Logs.WaitForRequestFinishedAsync("/kp.verification.v1.Verification/VerifyCertificates");

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("VerifyCertificateRequest", refused.Status.Detail);
        Assert.Empty(registry.Logs.Errors);
    }

    [Fact]
    public async Task Finding4_ClientResetsStreamMidCall_NoErrorLogged()
    {
        registry.Logs.Clear();
        var client = registry.Verification();
        using var stop = new CancellationTokenSource();
        using AsyncDuplexStreamingCall<VerifyCertificateRequest, VerifyCertificateResult> call = client.VerifyCertificates(cancellationToken: stop.Token);
        await call.RequestStream.WriteAsync(new VerifyCertificateRequest { CorrelationId = "first" });
        Assert.True(await call.ResponseStream.MoveNext());

        // The server now waits for the next request: the client resets the stream (RST_STREAM CANCEL).
        await stop.CancelAsync();
        RpcException ended = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        await registry.Logs.WaitForRequestFinishedAsync("/kp.verification.v1.Verification/VerifyCertificates");

        Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
        Assert.Empty(registry.Logs.Errors);
    }

    [Fact]
    public async Task Finding4_ClientResetsStreamMidMessage_NoErrorLogged()
    {
        registry.Logs.Clear();
        using var handler = new SocketsHttpHandler();
        // The test's own server on loopback: its certificate is not what this test is about.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var http = new HttpClient(handler);
        var body = new StalledBody();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(registry.Server.Address, "/kp.verification.v1.Verification/VerifyCertificate"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var stop = new CancellationTokenSource();

        Task<HttpResponseMessage> sending = http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        await body.Sent.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        await registry.Logs.WaitForRequestFinishedAsync("/kp.verification.v1.Verification/VerifyCertificate");

        Assert.Empty(registry.Logs.Errors);
    }

    [Fact]
    public async Task Finding6_KeyStatementWithSevenThousandSignatures_InvalidArgumentAndNoKey()
    {
        using SigningKey held = SigningKey.Generate(DomainAlgorithm.Ed25519);
        SignedEnvelope statement = HeldKeys.Registration(held, "TG");
        var random = new Random(6);
        for (int i = 1; i < 7_000; i++)
        {
            var sig = new byte[64];
            random.NextBytes(sig);
            statement.Signatures.Add(new Signature { KeyId = Convert.ToHexStringLower(sig[..32]), Sig = ByteString.CopyFrom(sig) });
        }

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("TG-authority")
            .RegisterKeyAsync(new RegisterKeyRequest { Statement = statement, Algorithm = KeyAlgorithm.Ed25519 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("7000 signatures", refused.Status.Detail);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry().GetKeyAsync(new GetKeyRequest { KeyId = held.KeyId }).ResponseAsync)).StatusCode);
    }

    [Fact]
    public async Task Finding6_KeyStatementSignedTwiceByOneKey_InvalidArgumentAndNoKey()
    {
        using SigningKey held = SigningKey.Generate(DomainAlgorithm.Ed25519);
        SignedEnvelope statement = HeldKeys.Statement(KeyStatementPurpose.Register, held, "TZ", null, DateTimeOffset.UtcNow, held);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("TZ-authority")
            .RegisterKeyAsync(new RegisterKeyRequest { Statement = statement, Algorithm = KeyAlgorithm.Ed25519 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(held.KeyId, refused.Status.Detail);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry().GetKeyAsync(new GetKeyRequest { KeyId = held.KeyId }).ResponseAsync)).StatusCode);
    }

    [Fact]
    public async Task Finding7_CreateKeyForUnknownAuthority_InvalidArgumentNamingTheCodeAndNoKey()
    {
        registry.Logs.Clear();

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("TH-authority")
            .CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "TH", AuthorityCode = "TH-NOSUCH", Algorithm = KeyAlgorithm.Ed25519 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("TH-NOSUCH", refused.Status.Detail);
        Assert.Empty((await registry.Registry().ListKeysAsync(new ListKeysRequest { ParticipantCode = "TH" })).Keys);
        Assert.Empty(registry.Logs.Errors);
    }

    [Fact]
    public async Task Finding7_RegisterKeyForUnknownAuthority_InvalidArgumentNamingTheCodeAndNoKey()
    {
        using SigningKey held = SigningKey.Generate(DomainAlgorithm.Ed25519);
        var statement = new KeyStatement
        {
            Purpose = KeyStatementPurpose.Register,
            ParticipantCode = "TR",
            AuthorityCode = "TR-NOSUCH",
            KeyId = held.KeyId,
            Spki = ByteString.CopyFrom(held.Spki),
            IssuedAt = KpRegistry.Domain.Wire.Instants.Format(DateTimeOffset.UtcNow),
        };
        SignedEnvelope signed = EnvelopeSigner.Sign(PayloadTypes.KeyStatement, statement.ToByteArray(), [held]);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("TR-authority")
            .RegisterKeyAsync(new RegisterKeyRequest { Statement = signed, Algorithm = KeyAlgorithm.Ed25519 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("TR-NOSUCH", refused.Status.Detail);
        Assert.Empty((await registry.Registry().ListKeysAsync(new ListKeysRequest { ParticipantCode = "TR" })).Keys);
    }

    [Fact]
    public async Task Finding7_CertificateTotalAboveLongMaxValue_InvalidArgumentNamingTheFieldAndNothingRecorded()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        Certificate certificate = SampleCertificates.Valid();
        certificate.Lines.Clear();
        certificate.Lines.Add(new Line { HsCode = "7102.10", CaratsHundredths = long.MaxValue, ValueUsdCents = 100 });
        certificate.Lines.Add(new Line { HsCode = "7102.31", CaratsHundredths = 2, ValueUsdCents = 100 });
        // The sum still fits an unsigned 64-bit total: only the registry's own bound refuses it.
        certificate.TotalCaratsHundredths = (ulong)long.MaxValue + 2;
        certificate.TotalValueUsdCents = 200;
        registry.Logs.Clear();

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates("BW-authority")
            .IssueCertificateAsync(new IssueCertificateRequest { Certificate = certificate }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("total_carats_hundredths", refused.Status.Detail);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => registry.Certificates()
            .GetCertificateAsync(new GetCertificateRequest { IssuingParticipant = "BW", CertificateNumber = certificate.CertificateNumber }).ResponseAsync)).StatusCode);
        Assert.Empty(registry.Logs.Errors);
    }

    /// <summary>A gRPC request body that sends the first bytes of a message, then nothing until the request is cancelled.</summary>
    private sealed class StalledBody : HttpContent
    {
        private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StalledBody() => Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");

        /// <summary>Completes when the partial message has been flushed to the server.</summary>
        public Task Sent => _sent.Task;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            // Not compressed, 1,000 bytes announced; 10 sent.
            await stream.WriteAsync(new byte[] { 0, 0, 0, 0x03, 0xE8, 0x0A, 0x08, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 }, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            _sent.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
