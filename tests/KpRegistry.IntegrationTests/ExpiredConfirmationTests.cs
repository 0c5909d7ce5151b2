using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.IntegrationTests.TestData;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KpRegistry.IntegrationTests;

/// <summary>A registry whose clock the test moves: the certificate is issued today and presented after its date of expiry.</summary>
public sealed class FakeClockRegistryFixture : RegistryFixture
{
    /// <summary>An hour ahead of the machine: the development PKI, made partly on the machine's clock and partly on this one, then stays in order (CA first).</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow.AddHours(1));

    protected override void Configure(WebApplicationBuilder builder) => builder.Services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>After its date of expiry a certificate is no longer confirmed, and an import check refuses it.</summary>
public sealed class ExpiredConfirmationTests(FakeClockRegistryFixture registry) : IClassFixture<FakeClockRegistryFixture>
{
    [Fact]
    public async Task ConfirmImport_AfterTheDateOfExpiry_FailedPreconditionAndNothingChanged()
    {
        IssueCertificateResponse issued = await Lifecycle.IssueAsync(registry);
        ImportConfirmation confirmation = Lifecycle.Matching(issued);
        registry.Clock.Advance(TimeSpan.FromDays(32)); // the sample certificate is valid for 30 days

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => Lifecycle.ConfirmAsync(registry, confirmation));

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("expired", refused.Status.Detail);
        GetCertificateResponse stored = await Lifecycle.GetAsync(registry, issued, Lifecycle.Exporter);
        Assert.Equal(CertificateState.Issued, stored.Record.State);
        Assert.Null(stored.ImportConfirmation);
        VerifyCertificateResult importCheck = await Lifecycle.VerifyAsync(registry, issued.Envelope, VerificationPurpose.Import);
        Assert.Equal([VerificationReason.CertificateExpired], importCheck.Reasons);
    }
}
