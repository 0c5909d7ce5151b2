using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Server.Security;

namespace KpRegistry.IntegrationTests;

/// <summary>Mutual TLS and per-RPC authorisation: who may change what.</summary>
public sealed class AccessControlTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task IssueCertificate_NoClientCertificate_Unauthenticated()
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates().IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task IssueCertificate_BotswanaAuthorityForSouthAfrica_PermissionDenied()
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid(issuer: "ZA") }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("BW", refused.Status.Detail);
    }

    [Fact]
    public async Task CreateKey_BotswanaAuthorityForSouthAfrica_PermissionDeniedAndNoKeyMade()
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry("BW-authority").CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "ZA" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        ListKeysResponse keys = await registry.Registry().ListKeysAsync(new ListKeysRequest { ParticipantCode = "ZA" });
        Assert.Empty(keys.Keys);
    }

    [Fact]
    public async Task AdmitParticipant_AuthorityCertificate_PermissionDenied()
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry("BW-authority").AdmitParticipantAsync(new AdmitParticipantRequest { Code = "SO", Name = "Somalia" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        RpcException lookup = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry().GetParticipantAsync(new GetParticipantRequest { Code = "SO" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task SetParticipantStatus_AuthorityCertificate_PermissionDenied()
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry("ZA-authority").SetParticipantStatusAsync(new SetParticipantStatusRequest { Code = "ZA", Status = ParticipantStatus.Suspended }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task AnyCall_ClientCertificateFromAnotherCa_RefusedAtTheHandshake()
    {
        // A CA the registry has never heard of, issuing a certificate that claims to be BW's authority.
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Impostor CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 impostorCa = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using X509Certificate2 forged = DevelopmentPki.CreateClientCertificate(impostorCa, "BW", Roles.Authority, DateTimeOffset.UtcNow);
        using var channel = registry.Server.Channel(forged);
        int keysBefore = (await registry.Registry().ListKeysAsync(new ListKeysRequest { ParticipantCode = "BW" })).Keys.Count;

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            new Registry.RegistryClient(channel).CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW" }).ResponseAsync);

        // The server aborts the TLS handshake: the client never gets an HTTP/2 response, only a
        // transport error (reported as UNAVAILABLE or INTERNAL depending on when the socket closes).
        Assert.Contains(refused.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.True(refused.Status.DebugException is HttpRequestException or IOException or System.Security.Authentication.AuthenticationException,
            $"expected a transport failure, got {refused.Status.DebugException}");
        Assert.Equal(keysBefore, (await registry.Registry().ListKeysAsync(new ListKeysRequest { ParticipantCode = "BW" })).Keys.Count);
    }

    [Fact]
    public async Task AdmitParticipant_Admin_AdmittedAndListed()
    {
        Participant admitted = await registry.Registry("admin").AdmitParticipantAsync(
            new AdmitParticipantRequest { Code = "KE", Name = "Kenya", Reason = "Plenary decision (test)" });

        Assert.Equal(ParticipantStatus.Active, admitted.Status);
        ListParticipantsResponse all = await registry.Registry().ListParticipantsAsync(new ListParticipantsRequest());
        Assert.Contains(all.Participants, p => p.Code == "KE" && p.Name == "Kenya");
        RpcException again = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry("admin").AdmitParticipantAsync(new AdmitParticipantRequest { Code = "KE", Name = "Kenya" }).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, again.StatusCode);
    }

    [Fact]
    public async Task IssueCertificate_IssuerSuspendedByAdmin_FailedPreconditionAndNothingRecorded()
    {
        await registry.EnsureKeyAsync("NA", KeyAlgorithm.Ed25519);
        await registry.Registry("admin").SetParticipantStatusAsync(new SetParticipantStatusRequest
        {
            Code = "NA", Status = ParticipantStatus.Suspended, Reason = "test suspension",
        });
        Certificate certificate = SampleCertificates.Valid(issuer: "NA");

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates("NA-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = certificate }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        RpcException lookup = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates().GetCertificateAsync(
            new GetCertificateRequest { IssuingParticipant = "NA", CertificateNumber = certificate.CertificateNumber }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task RegistryKeyHolder_IsNoParticipant_CannotBeAdmittedListedOrGivenAStatus()
    {
        RpcException lookup = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry().GetParticipantAsync(new GetParticipantRequest { Code = "XR" }).ResponseAsync);
        RpcException admit = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry("admin").AdmitParticipantAsync(new AdmitParticipantRequest { Code = "XR", Name = "Impostor" }).ResponseAsync);
        RpcException status = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry("admin").SetParticipantStatusAsync(new SetParticipantStatusRequest { Code = "XR", Status = ParticipantStatus.Active }).ResponseAsync);
        ListParticipantsResponse all = await registry.Registry().ListParticipantsAsync(new ListParticipantsRequest());

        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, admit.StatusCode);
        Assert.Equal(StatusCode.NotFound, status.StatusCode);
        Assert.DoesNotContain(all.Participants, p => p.Code == "XR");
        Assert.Equal(60, all.Participants.Count(p => p.Code is not ("KE" or "SO") && p.Kind == ParticipantKind.Participant));
    }

    [Theory]
    [InlineData("bw")]
    [InlineData("BWA")]
    [InlineData("")]
    public async Task GetParticipant_MalformedCode_InvalidArgument(string code)
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry().GetParticipantAsync(new GetParticipantRequest { Code = code }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("code", refused.Status.Detail);
    }
}
