using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.IntegrationTests.TestData;

namespace KpRegistry.IntegrationTests;

/// <summary>ListCertificates: an authority sees its participant's exports and imports, an admin all, anonymous nothing. A registry of its own, so the counts are exact.</summary>
public sealed class ListCertificatesTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    /// <summary>BW exports two to the EU and one to AE; AE exports one to the EU. Each test makes its own, so it filters by numbers it knows.</summary>
    private async Task<(string BwToEu1, string BwToEu2, string BwToAe, string AeToEu)> ShipAsync()
    {
        await registry.EnsureKeyAsync("AE", Contracts.Registry.V1.KeyAlgorithm.Ed25519);
        string bwToEu1 = (await Lifecycle.IssueAsync(registry)).Record.CertificateNumber;
        string bwToEu2 = (await Lifecycle.IssueAsync(registry)).Record.CertificateNumber;
        string bwToAe = (await Lifecycle.IssueAsync(registry, c => c.DestinationParticipant = "AE")).Record.CertificateNumber;
        Certificate fromAe = SampleCertificates.Valid(issuer: "AE", destination: "EU");
        string aeToEu = (await registry.Certificates("AE-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = fromAe })).Record.CertificateNumber;
        return (bwToEu1, bwToEu2, bwToAe, aeToEu);
    }

    private async Task<List<string>> ListAllAsync(string caller, ListCertificatesRequest request)
    {
        var numbers = new List<string>();
        do
        {
            ListCertificatesResponse page = await registry.Certificates(caller).ListCertificatesAsync(request);
            numbers.AddRange(page.Certificates.Select(c => c.CertificateNumber));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return numbers;
    }

    [Fact]
    public async Task ListCertificates_AsExporter_ItsExportsOnly()
    {
        var s = await ShipAsync();

        List<string> seen = await ListAllAsync(Lifecycle.Exporter, new ListCertificatesRequest { PageSize = 2 });

        Assert.Contains(s.BwToEu1, seen);
        Assert.Contains(s.BwToEu2, seen);
        Assert.Contains(s.BwToAe, seen);
        Assert.DoesNotContain(s.AeToEu, seen);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
    }

    [Fact]
    public async Task ListCertificates_AsImporter_WhatIsOnItsWayFromEveryIssuer()
    {
        var s = await ShipAsync();

        List<string> incoming = await ListAllAsync(Lifecycle.Importer, new ListCertificatesRequest { DestinationParticipant = "EU", State = CertificateState.Issued });

        Assert.Contains(s.BwToEu1, incoming);
        Assert.Contains(s.BwToEu2, incoming);
        Assert.Contains(s.AeToEu, incoming);
        Assert.DoesNotContain(s.BwToAe, incoming);
    }

    [Fact]
    public async Task ListCertificates_AsAnotherParticipant_NoneOfTheirs()
    {
        var s = await ShipAsync();

        List<string> seen = await ListAllAsync("IN-authority", new ListCertificatesRequest());

        Assert.DoesNotContain(s.BwToEu1, seen);
        Assert.DoesNotContain(s.BwToAe, seen);
        Assert.DoesNotContain(s.AeToEu, seen);
    }

    [Fact]
    public async Task ListCertificates_AsAdmin_AllFilteredByIssuerAndState()
    {
        var s = await ShipAsync();
        IssueCertificateResponse received = await Lifecycle.IssueAsync(registry);
        await Lifecycle.ConfirmAsync(registry, Lifecycle.Matching(received));

        List<string> all = await ListAllAsync("admin", new ListCertificatesRequest());
        List<string> fromAe = await ListAllAsync("admin", new ListCertificatesRequest { IssuingParticipant = "AE" });
        List<string> receivedOnly = await ListAllAsync("admin", new ListCertificatesRequest { State = CertificateState.Received });

        Assert.Contains(s.BwToEu1, all);
        Assert.Contains(s.AeToEu, all);
        Assert.Contains(s.AeToEu, fromAe);
        Assert.DoesNotContain(s.BwToEu1, fromAe);
        Assert.Contains(received.Record.CertificateNumber, receivedOnly);
        Assert.DoesNotContain(s.BwToEu1, receivedOnly);
    }

    [Fact]
    public async Task ListCertificates_DateRangeBeforeAnyIssue_Empty()
    {
        await ShipAsync();

        ListCertificatesResponse page = await registry.Certificates("admin").ListCertificatesAsync(new ListCertificatesRequest { IssuedFrom = "2001-01-01", IssuedTo = "2001-12-31" });

        Assert.Empty(page.Certificates);
        Assert.Equal("", page.NextPageToken);
    }

    [Fact]
    public async Task ListCertificates_Anonymous_Unauthenticated()
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates().ListCertificatesAsync(new ListCertificatesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("-5")]
    public async Task ListCertificates_ForeignPageToken_InvalidArgument(string token)
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates("admin").ListCertificatesAsync(new ListCertificatesRequest { PageToken = token }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("page_token", refused.Status.Detail);
    }
}
