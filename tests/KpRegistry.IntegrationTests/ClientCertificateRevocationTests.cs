using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Server.Security;

namespace KpRegistry.IntegrationTests;

/// <summary>Issue 13, finding 3: an admin revokes a client certificate, and the identity comes from one unambiguous place.</summary>
public sealed class ClientCertificateRevocationTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task Finding3_RevokedByThumbprint_UnauthenticatedOnEveryCallAndListed()
    {
        using X509Certificate2 stolen = ClientCertificates.Issue(registry.Server, "BW");
        using var channel = registry.Server.Channel(stolen);
        var asStolen = new Registry.RegistryClient(channel);
        // Before: it authenticates (CreateKey gets past authorisation to the request's own check).
        RpcException before = await Assert.ThrowsAsync<RpcException>(() => asStolen.CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = (KeyAlgorithm)999 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, before.StatusCode);
        string thumbprint = ClientCertificateValidator.Sha256Of(stolen);

        RevokedClientCertificate revoked = await registry.Registry("admin").RevokeClientCertificateAsync(
            new RevokeClientCertificateRequest { Sha256Thumbprint = thumbprint.ToLowerInvariant(), Reason = "laptop stolen (test)" });

        Assert.Equal(thumbprint, revoked.Sha256Thumbprint);
        RpcException write = await Assert.ThrowsAsync<RpcException>(() => asStolen.CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, write.StatusCode);
        Assert.Contains("revoked", write.Status.Detail);
        RpcException read = await Assert.ThrowsAsync<RpcException>(() => asStolen.ListParticipantsAsync(new ListParticipantsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, read.StatusCode);
        ListRevokedClientCertificatesResponse list = await registry.Registry("admin").ListRevokedClientCertificatesAsync(new ListRevokedClientCertificatesRequest());
        Assert.Contains(list.Certificates, c => c.Sha256Thumbprint == thumbprint && c.Reason == "laptop stolen (test)" && c.RevokedBy.Contains("admin", StringComparison.Ordinal));
        // The rightful BW authority, with its own certificate, is untouched.
        await registry.Registry("BW-authority").ListParticipantsAsync(new ListParticipantsRequest());
    }

    [Fact]
    public async Task Finding3_RevokedBySerialAndIssuer_Unauthenticated()
    {
        using X509Certificate2 stolen = ClientCertificates.Issue(registry.Server, "ZA");
        using var channel = registry.Server.Channel(stolen);

        await registry.Registry("admin").RevokeClientCertificateAsync(new RevokeClientCertificateRequest
        {
            SerialNumber = stolen.SerialNumber.ToLowerInvariant(),
            Issuer = stolen.IssuerName.Name,
            Reason = "key left on a shared drive (test)",
        });

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            new Registry.RegistryClient(channel).CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "ZA" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task Finding3_RevokeTwice_AlreadyExists()
    {
        using X509Certificate2 certificate = ClientCertificates.Issue(registry.Server, "BW");
        var request = new RevokeClientCertificateRequest { Sha256Thumbprint = ClientCertificateValidator.Sha256Of(certificate), Reason = "test" };
        await registry.Registry("admin").RevokeClientCertificateAsync(request);

        RpcException again = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("admin").RevokeClientCertificateAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, again.StatusCode);
    }

    [Theory]
    [InlineData("", "", "", "test")]
    [InlineData("ABCD", "", "", "test")]
    [InlineData("", "01", "", "test")]
    [InlineData("", "zz", "CN=x", "test")]
    [InlineData("", "", "", "")]
    public async Task Finding3_RevokeClientCertificate_MalformedRequest_InvalidArgument(string sha, string serial, string issuer, string reason)
    {
        int before = (await registry.Registry("admin").ListRevokedClientCertificatesAsync(new ListRevokedClientCertificatesRequest())).Certificates.Count;

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("admin").RevokeClientCertificateAsync(
            new RevokeClientCertificateRequest { Sha256Thumbprint = sha, SerialNumber = serial, Issuer = issuer, Reason = reason }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(before, (await registry.Registry("admin").ListRevokedClientCertificatesAsync(new ListRevokedClientCertificatesRequest())).Certificates.Count);
    }

    [Fact]
    public async Task Finding3_RevokeClientCertificate_Authority_PermissionDeniedAndNothingRevoked()
    {
        using X509Certificate2 victim = ClientCertificates.Issue(registry.Server, "ZA");

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("BW-authority").RevokeClientCertificateAsync(
            new RevokeClientCertificateRequest { Sha256Thumbprint = ClientCertificateValidator.Sha256Of(victim), Reason = "test" }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        using var channel = registry.Server.Channel(victim);
        await new Registry.RegistryClient(channel).ListParticipantsAsync(new ListParticipantsRequest());
    }

    [Theory]
    [InlineData("CN=BW authority, OU=authority, O=BW, O=ZA")]
    [InlineData("CN=BW authority, OU=authority, OU=admin, O=BW")]
    [InlineData("CN=BW authority, OU=authority + O=BW")]
    public async Task Finding3_RepeatedOrganisationOrUnit_RefusedAtTheHandshake(string subject)
    {
        using X509Certificate2 ambiguous = ClientCertificates.IssueWithSubject(registry.Server, subject);
        Assert.Null(ClientCertificateValidator.TryReadCaller(ambiguous));
        using var channel = registry.Server.Channel(ambiguous);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            new Registry.RegistryClient(channel).CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW" }).ResponseAsync);

        Assert.True(ClientCertificates.IsHandshakeRefusal(refused), $"expected a refused handshake, got {refused.StatusCode} {refused.Status.DebugException}");
    }

    [Fact]
    public async Task Finding3_TwoAuthorityUris_RefusedAtTheHandshake()
    {
        using X509Certificate2 ambiguous = ClientCertificates.IssueWithSubject(registry.Server, "CN=EU authority, OU=authority, O=EU",
            ClientCertificateValidator.AuthorityUriPrefix + "EU-BE", ClientCertificateValidator.AuthorityUriPrefix + "EU-NL");
        using var channel = registry.Server.Channel(ambiguous);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            new Registry.RegistryClient(channel).CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "EU" }).ResponseAsync);

        Assert.True(ClientCertificates.IsHandshakeRefusal(refused), $"expected a refused handshake, got {refused.StatusCode} {refused.Status.DebugException}");
    }

    [Fact]
    public async Task Finding3_SingleOrganisationAndUnit_ReadAsTheCaller()
    {
        using X509Certificate2 plain = ClientCertificates.IssueWithSubject(registry.Server, "CN=BW authority, OU=authority, O=BW");

        Caller? caller = ClientCertificateValidator.TryReadCaller(plain);

        Assert.NotNull(caller);
        Assert.Equal(("BW", Roles.Authority), (caller.ParticipantCode, caller.Role));
        Assert.Equal(ClientCertificateValidator.Sha256Of(plain), caller.Thumbprint);
    }
}
