using KpRegistry.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace KpRegistry.IntegrationTests;

/// <summary>Which calls the per-certificate rate limit counts as changes (docs/SECURITY.md, "Limits").</summary>
public sealed class RateLimitsTests
{
    [Theory]
    [InlineData("/kp.registry.v1.Registry/CreateKey", true)]
    [InlineData("/kp.registry.v1.Registry/AdmitParticipant", true)]
    [InlineData("/kp.certificate.v1.Certificates/IssueCertificate", true)]
    [InlineData("/kp.certificate.v1.Certificates/CancelCertificate", true)]
    [InlineData("/kp.registry.v1.Registry/SomeMethodAddedLater", true)] // a change until named a read
    [InlineData("/kp.registry.v1.Registry/ListKeys", false)]
    [InlineData("/kp.registry.v1.Registry/GetParticipant", false)]
    [InlineData("/kp.certificate.v1.Certificates/GetCertificate", false)]
    [InlineData("/kp.verification.v1.Verification/VerifyCertificate", false)]
    [InlineData("/kp.transparency.v1.Log/GetCheckpoint", false)]
    [InlineData("/kp.statistics.v1.Statistics/Reconcile", false)]
    [InlineData("/kp.registry.v1.Registry/RevokeClientCertificate", true)]
    [InlineData("/", false)]
    [InlineData("/paper/decode", false)]
    [InlineData("/statistics", false)]
    [InlineData("/log/checkpoint", false)]
    public void IsChange_Path_AsTheAccessTableSays(string path, bool change) =>
        Assert.Equal(change, RateLimits.IsChange(new PathString(path)));
}
