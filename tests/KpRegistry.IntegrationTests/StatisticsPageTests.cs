using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Server.Page;
using KpRegistry.Server.Security;
using Microsoft.Extensions.Configuration;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// The public statistics page (issue 14, docs/STATISTICS.md): <c>GET /statistics</c> over TLS with
/// no client certificate, as a browser asks it, on the registry of <see cref="StatisticsFixture"/>
/// (a quarter of trade issued through the API).
/// </summary>
public sealed class StatisticsPageTests(StatisticsFixture registry) : IClassFixture<StatisticsFixture>
{
    [Fact]
    public async Task Get_QuarterWithIssuedCertificates_PublicFiguresAsHtmlAndSvgWithoutCertificateNumbers()
    {
        using HttpClient http = PlainClient(registry.Server);

        using HttpResponseMessage response = await http.GetAsync(new Uri(registry.Server.Address, "/statistics?period=" + StatisticsFixture.Quarter), TestContext.Current.CancellationToken);
        string html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.DoesNotContain("script-src", policy);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var document = new HtmlParser(new HtmlParserOptions { IsStrictMode = true }).ParseDocument(html);
        Assert.Empty(document.QuerySelectorAll("script"));
        var charts = document.QuerySelectorAll("svg");
        Assert.True(charts.Length >= 3, $"{charts.Length} charts");
        foreach (var chart in charts)
        {
            Assert.Contains(XElement.Parse(chart.OuterHtml).Elements(), e => e.Name.LocalName == "rect");
        }
        // The world's weight, summed by hand from the certificates the fixture issued (the cancelled one left out).
        decimal carats = registry.Counted.SelectMany(c => c.Lines).Sum(l => (decimal)l.CaratsHundredths) / 100;
        Assert.Contains(carats.ToString("N2", CultureInfo.InvariantCulture) + " carats", document.QuerySelector("main")!.TextContent);
        Assert.Contains(">ZA<", html);
        foreach (Certificate certificate in registry.Counted.Append(registry.Cancelled))
        {
            Assert.DoesNotContain(certificate.CertificateNumber, html, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Weight differences", html);
        Assert.DoesNotContain("Anomalies (", html);
        var form = document.QuerySelector("form")!;
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal(StatisticsPage.Path, form.GetAttribute("action"));
        Assert.Equal(StatisticsFixture.Quarter, form.QuerySelector("input[name=period]")!.GetAttribute("value"));
        Assert.NotNull(document.QuerySelector("a[href='/']"));
    }

    [Theory]
    [InlineData("2026-H3", "after the year comes -H1, -H2 or -Q1..-Q4")]
    [InlineData("2002", "is not a period")]
    [InlineData("<b>x</b>", "is not a period")]
    public async Task Get_BadPeriod_400PageSayingWhy(string period, string reason)
    {
        using HttpClient http = PlainClient(registry.Server);

        using HttpResponseMessage response = await http.GetAsync(new Uri(registry.Server.Address, "/statistics?period=" + Uri.EscapeDataString(period)), TestContext.Current.CancellationToken);
        string html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains(reason, WebUtility.HtmlDecode(html));
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_TwoPeriods_400()
    {
        using HttpClient http = PlainClient(registry.Server);

        using HttpResponseMessage response = await http.GetAsync(new Uri(registry.Server.Address, "/statistics?period=2026&period=2025"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Get_NoPeriod_TheCurrentHalfYear()
    {
        using HttpClient http = PlainClient(registry.Server);
        DateTime today = DateTime.UtcNow;
        string half = $"{today.Year}-H{(today.Month <= 6 ? 1 : 2)}";

        string html = await http.GetStringAsync(new Uri(registry.Server.Address, "/statistics"), TestContext.Current.CancellationToken);

        Assert.Contains("<title>KP trade statistics " + half + "</title>", html);
    }

    [Fact]
    public async Task VerificationPage_LinksToTheStatisticsPage()
    {
        using HttpClient http = PlainClient(registry.Server);

        string html = await http.GetStringAsync(new Uri(registry.Server.Address, "/"), TestContext.Current.CancellationToken);

        Assert.Contains("href=\"/statistics\"", html);
    }

    [Fact]
    public async Task Get_PastTheAnonymousRateLimit_429()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync(builder => builder.Configuration.AddInMemoryCollection(
            [KeyValuePair.Create("KpRegistry:Limits:AnonymousCallsPerWindow", (string?)"1"), KeyValuePair.Create("KpRegistry:Limits:RateWindow", (string?)"01:00:00")]));
        using HttpClient http = PlainClient(server);

        using HttpResponseMessage first = await http.GetAsync(new Uri(server.Address, "/statistics?period=2026"), TestContext.Current.CancellationToken);
        using HttpResponseMessage second = await http.GetAsync(new Uri(server.Address, "/statistics?period=2026"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    /// <summary>What a browser is to the registry: HTTP/1.1 over TLS trusting the development CA, no client certificate.</summary>
    private static HttpClient PlainClient(RegistryServer server)
    {
        X509Certificate2 ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(server.CertificatesDirectory, DevelopmentPki.CaCertificateFile));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && CaTrust.ChainsTo(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), ca, DateTimeOffset.UtcNow);
        return new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
    }
}
