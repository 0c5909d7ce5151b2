using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KpRegistry.BrowserTests;

/// <summary>
/// The committed sample statistics report (docs/statistics-sample.html, written by the
/// IntegrationTests' StatisticsReportTests) in headless Chromium: it renders with no script and no
/// network, its charts have size, and its screenshot is the README's docs/images/statistics-report.png.
/// </summary>
public sealed class StatisticsReportTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    [Fact]
    public async Task SampleReport_InChromiumWithoutScriptOrNetwork_ChartsRenderAndScreenshotSaved()
    {
        string report = Path.Combine(Path.GetDirectoryName(PageFixture.DocsImages())!, "statistics-sample.html");
        Assert.True(File.Exists(report), report + " is missing: the IntegrationTests' StatisticsReportTests write it.");
        IBrowser browser = await fixture.BrowserAsync();
        // No script and no network: the report must stand on its own.
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, Offline = true, ViewportSize = new ViewportSize { Width = 900, Height = 1200 } });
        var requests = new List<string>();
        context.Request += (_, request) => requests.Add(request.Url);
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(report).AbsoluteUri);

        await Expect(page.Locator("h1")).ToContainTextAsync("Kimberley Process trade statistics");
        var charts = page.Locator("svg");
        Assert.True(await charts.CountAsync() >= 4);
        for (int i = 0; i < await charts.CountAsync(); i++)
        {
            LocatorBoundingBoxResult? box = await charts.Nth(i).BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Width > 100 && box.Height > 30, $"chart {i}: {box.Width}x{box.Height}");
        }
        Assert.Equal([new Uri(report).AbsoluteUri], requests);
        await page.ScreenshotAsync(new() { Path = Path.Combine(PageFixture.DocsImages(), "statistics-report.png"), FullPage = false });
        await context.CloseAsync();
    }
}
