using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KpRegistry.Server.Security;

namespace KpRegistry.IntegrationTests;

/// <summary>How a client certificate names its authority: one SAN URI urn:kp:authority:CODE of its own participant.</summary>
public sealed class AuthorityCertificateTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly X509Certificate2 _ca;

    public AuthorityCertificateTests()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _ca = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));
    }

    [Fact]
    public void TryReadCaller_AuthorityUriOfItsParticipant_NamesTheAuthority()
    {
        using X509Certificate2 be = DevelopmentPki.CreateClientCertificate(_ca, "EU", Roles.Authority, Now, "EU-BE");

        Caller? caller = ClientCertificateValidator.TryReadCaller(be);

        Assert.NotNull(caller);
        Assert.Equal(("EU", "EU-BE"), (caller.ParticipantCode, caller.AuthorityCode));
        Assert.True(caller.MayActAsAuthority("EU-BE"));
        Assert.False(caller.MayActAsAuthority("EU-DE"));
    }

    [Fact]
    public void TryReadCaller_NoAuthorityUri_DefaultAuthorityActsAsAny()
    {
        using X509Certificate2 eu = DevelopmentPki.CreateClientCertificate(_ca, "EU", Roles.Authority, Now);

        Caller? caller = ClientCertificateValidator.TryReadCaller(eu);

        Assert.NotNull(caller);
        Assert.Null(caller.AuthorityCode);
        Assert.True(caller.MayActAsAuthority("EU-DE"));
    }

    [Theory]
    [InlineData("EU", Roles.Authority, "BW-MMGE")]
    [InlineData("EU", Roles.Authority, "EU-")]
    [InlineData("KP", Roles.Admin, "KP-X")]
    public void TryReadCaller_AuthorityUriNotOfItsParticipantOrOnAnAdmin_Refused(string participant, string role, string authority)
    {
        using X509Certificate2 certificate = DevelopmentPki.CreateClientCertificate(_ca, participant, role, Now, authority);

        Assert.Null(ClientCertificateValidator.TryReadCaller(certificate));
    }

    public void Dispose() => _ca.Dispose();
}
