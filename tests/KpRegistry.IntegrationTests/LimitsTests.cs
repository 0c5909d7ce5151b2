using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Server.Application;
using KpRegistry.Server.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// Issue 13 finding 5: what one client may hold or ask of the registry. Each test starts a server
/// with one limit set low (the defaults are generous) and shows the call past it refused with
/// RESOURCE_EXHAUSTED, or the connection closed, and nothing changed.
/// </summary>
public sealed class LimitsTests
{
    private static Task<RegistryServer> StartAsync(Action<WebApplicationBuilder>? more, params (string Name, string Value)[] limits) =>
        RegistryServer.StartNewAsync(builder =>
        {
            builder.Configuration.AddInMemoryCollection(limits.Select(l => KeyValuePair.Create("KpRegistry:Limits:" + l.Name, (string?)l.Value)));
            more?.Invoke(builder);
        });

    [Fact]
    public async Task Finding5_AnonymousCallsPastTheRateLimit_ResourceExhausted()
    {
        await using RegistryServer server = await StartAsync(null, ("AnonymousCallsPerWindow", "3"), ("RateWindow", "01:00:00"));
        using GrpcChannel anonymous = server.AnonymousChannel();
        using GrpcChannel admin = server.ChannelAs("admin");
        var client = new Registry.RegistryClient(anonymous);
        for (int i = 0; i < 3; i++)
        {
            await client.ListParticipantsAsync(new ListParticipantsRequest());
        }

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => client.ListParticipantsAsync(new ListParticipantsRequest()).ResponseAsync);
        ListParticipantsResponse byAdmin = await new Registry.RegistryClient(admin).ListParticipantsAsync(new ListParticipantsRequest());

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("rate limit", refused.Status.Detail);
        Assert.NotEmpty(byAdmin.Participants); // a certificate holder's reads are not counted
    }

    [Fact]
    public async Task Finding5_PageCallsPastTheRateLimit_GrpcWebResourceExhausted()
    {
        await using RegistryServer server = await StartAsync(null, ("AnonymousCallsPerWindow", "1"), ("RateWindow", "01:00:00"));
        using var handler = new SocketsHttpHandler();
        // The test's own server on loopback: its certificate is not what this test is about.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var http = new HttpClient(handler);
        async Task<HttpResponseMessage> PageCallAsync()
        {
            // What the verification page sends (gRPC-Web over HTTP/1.1): an empty VerifyCertificateRequest.
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, "/kp.verification.v1.Verification/VerifyCertificate"))
            {
                Version = System.Net.HttpVersion.Version11,
                Content = new ByteArrayContent([0, 0, 0, 0, 0]),
            };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc-web+proto");
            return await http.SendAsync(request, TestContext.Current.CancellationToken);
        }

        using HttpResponseMessage first = await PageCallAsync();
        using HttpResponseMessage second = await PageCallAsync();

        Assert.False(first.Headers.TryGetValues("grpc-status", out IEnumerable<string>? firstStatus) && firstStatus.Contains("8"), "the first call is within the limit");
        Assert.Equal("8", Assert.Single(second.Headers.GetValues("grpc-status")));
        Assert.Equal("application/grpc-web+proto", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Finding5_StateChangingCallsPastTheRateLimit_ResourceExhaustedAndNothingChanged()
    {
        await using RegistryServer server = await StartAsync(null, ("ChangeCallsPerWindow", "2"), ("RateWindow", "01:00:00"));
        using GrpcChannel authority = server.ChannelAs("BW-authority");
        var client = new Registry.RegistryClient(authority);
        await client.CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.Ed25519 });
        await client.CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.EcdsaP256 });

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            client.CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.MlDsa65 }).ResponseAsync);
        ListKeysResponse keys = await client.ListKeysAsync(new ListKeysRequest { ParticipantCode = "BW" });

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal(2, keys.Keys.Count);
        Assert.DoesNotContain(keys.Keys, k => k.Algorithm == KeyAlgorithm.MlDsa65);
    }

    [Fact]
    public async Task Finding5_ConnectionsPastThePerAddressLimit_RefusedUntilOneCloses()
    {
        await using RegistryServer server = await StartAsync(null, ("MaxConnectionsPerAddress", "2"));
        GrpcChannel first = server.AnonymousChannel();
        using GrpcChannel second = server.AnonymousChannel();
        using GrpcChannel third = server.AnonymousChannel();
        await new Registry.RegistryClient(first).ListParticipantsAsync(new ListParticipantsRequest());
        await new Registry.RegistryClient(second).ListParticipantsAsync(new ListParticipantsRequest());

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => new Registry.RegistryClient(third).ListParticipantsAsync(new ListParticipantsRequest()).ResponseAsync);
        first.Dispose();
        ListParticipantsResponse? admitted = null;
        for (int attempt = 0; admitted is null && attempt < 200; attempt++)
        {
            // The server frees the place when it has seen the first connection close.
            using GrpcChannel next = server.AnonymousChannel();
            try
            {
                admitted = await new Registry.RegistryClient(next).ListParticipantsAsync(new ListParticipantsRequest());
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.NotNull(admitted);
    }

    [Fact]
    public async Task Finding5_VerificationStreamSendingNothing_EndedResourceExhausted()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(1));
        await using RegistryServer server = await StartAsync(builder => builder.Services.AddSingleton<TimeProvider>(clock), ("StreamIdleTimeout", "00:01:00"));
        using GrpcChannel anonymous = server.AnonymousChannel();
        using AsyncDuplexStreamingCall<VerifyCertificateRequest, VerifyCertificateResult> call = new Verification.VerificationClient(anonymous).VerifyCertificates();
        await call.RequestStream.WriteAsync(new VerifyCertificateRequest { CorrelationId = "only" });
        Assert.True(await call.ResponseStream.MoveNext());

        Task<bool> reading = call.ResponseStream.MoveNext();
        for (int step = 0; step < 600 && !reading.IsCompleted; step++)
        {
            // The server arms its idle timer when it waits for the next request; until then a step moves nothing.
            clock.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(reading, Task.Delay(50, TestContext.Current.CancellationToken));
        }
        RpcException ended = await Assert.ThrowsAsync<RpcException>(() => reading);

        Assert.Equal(StatusCode.ResourceExhausted, ended.StatusCode);
        Assert.Contains("sent no request", ended.Status.Detail);
    }

    [Fact]
    public async Task Finding5_WatchersPastTheLimit_ResourceExhausted()
    {
        await using RegistryServer server = await StartAsync(null, ("MaxWatchers", "1"));
        using GrpcChannel anonymous = server.AnonymousChannel();
        var client = new Verification.VerificationClient(anonymous);
        using var stop = new CancellationTokenSource();
        using AsyncServerStreamingCall<SignedEnvelope> watching = client.WatchRevocations(new WatchRevocationsRequest(), cancellationToken: stop.Token);
        Assert.True(await watching.ResponseStream.MoveNext());

        using AsyncServerStreamingCall<SignedEnvelope> second = client.WatchRevocations(new WatchRevocationsRequest());
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => second.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("WatchRevocations", refused.Status.Detail);
    }

    [Fact]
    public async Task Finding5_TwoWatchers_GetTheSameDeltaReadAndSignedOnce()
    {
        // One instance alone: the change follower (which also wakes the watchers when it sees the
        // revocation version grow, this instance's own change included) is kept out of the count.
        await using RegistryServer server = await StartAsync(builder =>
            builder.Configuration.AddInMemoryCollection([KeyValuePair.Create("KpRegistry:ChangePollInterval", (string?)"1.00:00:00")]));
        using GrpcChannel anonymous = server.AnonymousChannel();
        using GrpcChannel authority = server.ChannelAs("BW-authority");
        await new Registry.RegistryClient(authority).CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.Ed25519 });
        var certificates = new Certificates.CertificatesClient(authority);
        IssueCertificateResponse issued = await certificates.IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        var verification = new Verification.VerificationClient(anonymous);
        using var stop = new CancellationTokenSource();
        using AsyncServerStreamingCall<SignedEnvelope> a = verification.WatchRevocations(new WatchRevocationsRequest(), cancellationToken: stop.Token);
        using AsyncServerStreamingCall<SignedEnvelope> b = verification.WatchRevocations(new WatchRevocationsRequest(), cancellationToken: stop.Token);
        Assert.True(await a.ResponseStream.MoveNext());
        Assert.True(await b.ResponseStream.MoveNext());
        SignedLists lists = server.Services.GetRequiredService<SignedLists>();
        RevocationFeed feed = server.Services.GetRequiredService<RevocationFeed>();
        long signedBefore = lists.RevocationListsSigned;
        long generationBefore = feed.Generation;

        await certificates.CancelCertificateAsync(new CancelCertificateRequest { IssuingParticipant = "BW", CertificateNumber = issued.Record.CertificateNumber, Reason = "test" });
        Assert.True(await a.ResponseStream.MoveNext());
        Assert.True(await b.ResponseStream.MoveNext());

        Assert.Equal(a.ResponseStream.Current.ToByteArray(), b.ResponseStream.Current.ToByteArray());
        Assert.Single(RevocationList.Parser.ParseFrom(a.ResponseStream.Current.Payload).Entries, e => e.CertificateNumber == issued.Record.CertificateNumber);
        Assert.Equal(1, feed.Generation - generationBefore);
        Assert.Equal(1, lists.RevocationListsSigned - signedBefore);
        await stop.CancelAsync();
    }
}
