using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KpRegistry.BrowserTests;

/// <summary>
/// The registry's public statistics page (/statistics, issue 14) in headless Chromium: reached from
/// the verification page's link, its charts render with size, axe-core finds no serious or critical
/// violation, the period form works without script, and its screenshot is docs/images/statistics-page.png.
/// </summary>
public sealed class StatisticsPageTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    private static readonly string[] Blocking = ["serious", "critical"];

    [Fact]
    public async Task StatisticsPage_FromTheVerificationPage_ChartsVisibleNoAxeViolationFormWorksAndScreenshot()
    {
        var page = await fixture.OpenPageAsync(width: 1024, height: 1100);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // A failed load is checked by its URL below: Chromium asks for /favicon.ico on its own, now and then.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                errors.Add(message.Text);
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
                errors.Add($"{response.Status} {response.Url}");
        };

        await page.GetByRole(AriaRole.Link, new() { Name = "Kimberley Process trade statistics" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/statistics$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Kimberley Process trade statistics, 20");
        var charts = page.Locator("svg");
        Assert.True(await charts.CountAsync() >= 3, $"{await charts.CountAsync()} charts");
        for (int i = 0; i < await charts.CountAsync(); i++)
        {
            await Expect(charts.Nth(i)).ToBeVisibleAsync();
            LocatorBoundingBoxResult? box = await charts.Nth(i).BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Width > 100 && box.Height > 30, $"chart {i}: {box.Width}x{box.Height}");
        }
        // The fixture issued one BW certificate to the EU this half-year: both appear in the figures.
        await Expect(page.Locator("main table")).ToContainTextAsync("BW");
        await Expect(page.Locator("main table")).ToContainTextAsync("EU");
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => Blocking.Contains(v.Impact)).ToList();
        Assert.True(blocking.Count == 0, string.Join("; ", blocking.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
        await page.ScreenshotAsync(new() { Path = Path.Combine(PageFixture.DocsImages(), "statistics-page.png"), FullPage = false });

        await page.GetByLabel("Period").FillAsync("2025");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/statistics\\?period=2025$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kimberley Process trade statistics, 2025");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task StatisticsPage_BadPeriod_SaysWhyAndKeepsTheForm()
    {
        var page = await fixture.OpenPageAsync();

        IResponse? response = await page.GotoAsync("/statistics?period=2026-H3");

        Assert.Equal(400, response?.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("-H1, -H2 or -Q1..-Q4");
        await Expect(page.GetByLabel("Period")).ToHaveValueAsync("2026-H3");
        var result = await page.RunAxe();
        Assert.DoesNotContain(result.Violations, v => Blocking.Contains(v.Impact));
    }
}
