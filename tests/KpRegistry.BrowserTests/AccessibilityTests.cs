using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KpRegistry.BrowserTests;

/// <summary>
/// The page is usable: axe-core finds no serious or critical violation in any state, it works by
/// keyboard alone, and it fits a phone. The same run writes the README's screenshots.
/// </summary>
public sealed class AccessibilityTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    private static readonly string[] Blocking = ["serious", "critical"];

    private static async Task AssertNoSeriousViolationAsync(IPage page, string state)
    {
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => Blocking.Contains(v.Impact)).ToList();
        Assert.True(blocking.Count == 0, $"{state}: " + string.Join("; ", blocking.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    private async Task<IPage> VerifyAsync(byte[] envelope, string presentedAt, int width = 1024, int height = 900)
    {
        var page = await fixture.OpenPageAsync(width: width, height: height);
        await page.GetByLabel("Presented at").FillAsync(presentedAt);
        await page.GetByLabel("Signed certificate").FillAsync(Convert.ToBase64String(envelope));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify pasted certificate" }).ClickAsync();
        return page;
    }

    [Fact]
    public async Task Axe_EmptyPage_NoSeriousOrCriticalViolation()
    {
        var page = await fixture.OpenPageAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Verify a Kimberley Process certificate");
        await AssertNoSeriousViolationAsync(page, "empty");
    }

    [Fact]
    public async Task Axe_ValidResult_NoSeriousOrCriticalViolationAndScreenshot()
    {
        var page = await VerifyAsync(await File.ReadAllBytesAsync(fixture.EnvelopeFile), "EU");

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("VALID");
        await AssertNoSeriousViolationAsync(page, "valid");
        await page.ScreenshotAsync(new() { Path = Path.Combine(PageFixture.DocsImages(), "page-valid.png"), FullPage = true });
    }

    [Fact]
    public async Task Axe_InvalidResult_NoSeriousOrCriticalViolationAndScreenshot()
    {
        var envelope = await File.ReadAllBytesAsync(fixture.EnvelopeFile);
        envelope[^1] ^= 0x01;

        var page = await VerifyAsync(envelope, "AE");

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("INVALID");
        await Expect(page.Locator("#reasons li[data-reason='4']")).ToBeVisibleAsync();
        await AssertNoSeriousViolationAsync(page, "invalid");
        await page.ScreenshotAsync(new() { Path = Path.Combine(PageFixture.DocsImages(), "page-invalid.png"), FullPage = true });
    }

    [Fact]
    public async Task Axe_Error_NoSeriousOrCriticalViolation()
    {
        var page = await fixture.OpenPageAsync();
        await page.GetByLabel("Photo, scan or PDF").SetInputFilesAsync(new FilePayload { Name = "blank.png", MimeType = "image/png", Buffer = BlankPng() });

        await Expect(page.Locator("#error")).ToContainTextAsync("no QR code found");
        await AssertNoSeriousViolationAsync(page, "error");
    }

    [Fact]
    public async Task Axe_PhoneWidth_FitsWithoutSidewaysScrollAndScreenshot()
    {
        var page = await VerifyAsync(await File.ReadAllBytesAsync(fixture.EnvelopeFile), "EU", width: 390, height: 844);

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("VALID");
        await AssertNoSeriousViolationAsync(page, "phone");
        int scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the page is {scrollWidth} pixels wide on a 390-pixel screen");
        await page.ScreenshotAsync(new() { Path = Path.Combine(PageFixture.DocsImages(), "page-phone.png"), FullPage = true });
    }

    [Fact]
    public async Task Keyboard_TabToFieldsAndEnter_ShowsVerdictWithFocusOnIt()
    {
        var page = await fixture.OpenPageAsync();
        string envelope = Convert.ToBase64String(await File.ReadAllBytesAsync(fixture.EnvelopeFile));

        // From the top of the page: the first control is "Presented at", then the import-check box
        // (left unticked: a plain check), then the paste box, then its button.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("EU");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.InsertTextAsync(envelope);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("VALID");
        await Expect(page.Locator("#result")).ToBeFocusedAsync();
    }

    /// <summary>A white PNG: a real image with no QR code in it.</summary>
    private static byte[] BlankPng()
    {
        using var bitmap = new SkiaSharp.SKBitmap(200, 200);
        bitmap.Erase(SkiaSharp.SKColors.White);
        using var image = SkiaSharp.SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
