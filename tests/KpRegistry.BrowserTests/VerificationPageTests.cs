using KpRegistry.Domain.Paper;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KpRegistry.BrowserTests;

/// <summary>The verification page in headless Chromium against the real registry: paste, upload, what the officer sees.</summary>
public sealed class VerificationPageTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    private async Task<IPage> PasteAsync(string text, string presentedAt)
    {
        var page = await fixture.OpenPageAsync();
        await page.GetByLabel("Presented at").FillAsync(presentedAt);
        await page.GetByLabel("Signed certificate").FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify pasted certificate" }).ClickAsync();
        return page;
    }

    [Fact]
    public async Task Paste_ValidEnvelope_ShowsValidWithItsFields()
    {
        var page = await PasteAsync(PageFixture.Base64(await File.ReadAllBytesAsync(fixture.EnvelopeFile)), "EU");

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("VALID");
        await Expect(page.Locator("#summary")).ToContainTextAsync("Issuer");
        await Expect(page.Locator("#summary")).ToContainTextAsync("active");
        await Expect(page.Locator("#summary")).ToContainTextAsync("issued");
        await Expect(page.Locator("#certificate")).ToContainTextAsync("Destination");
        await Expect(page.Locator("#certificate")).ToContainTextAsync("Kimberley Process");
        await Expect(page.Locator("#reasons li")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Paste_OneByteChanged_ShowsInvalidWithBadSignatureInWords()
    {
        var envelope = await File.ReadAllBytesAsync(fixture.EnvelopeFile);
        // The last bytes of the envelope are its signature's.
        envelope[^1] ^= 0x01;

        var page = await PasteAsync(PageFixture.Base64(envelope), "EU");

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("INVALID");
        await Expect(page.Locator("#reasons li[data-reason='4']")).ToHaveTextAsync("The signature does not match: the certificate was altered after signing, or signed with another key.");
        await Expect(page.Locator("#certificate-note")).ToContainTextAsync("do not rely on these fields");
    }

    [Fact]
    public async Task Paste_PresentedAtWrongParticipant_ShowsWrongDestination()
    {
        var page = await PasteAsync(PageFixture.Base64(await File.ReadAllBytesAsync(fixture.EnvelopeFile)), "AE");

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("INVALID");
        await Expect(page.Locator("#reasons li[data-reason='19']")).ToContainTextAsync("Wrong destination");
        await Expect(page.Locator("#reasons li[data-reason]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Paste_ValidEnvelope_ShowsItsTransparencyLogEntry()
    {
        var page = await PasteAsync(PageFixture.Base64(await File.ReadAllBytesAsync(fixture.EnvelopeFile)), "EU");

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("VALID");
        await Expect(page.Locator("#summary")).ToContainTextAsync("Transparency log");
        await Expect(page.Locator("#summary")).ToContainTextAsync("entry ");
        await Expect(page.Locator("#summary")).ToContainTextAsync("plain check");
    }

    [Fact]
    public async Task Paste_ImportCheckOfAConfirmedCertificate_ShowsAlreadyConfirmed()
    {
        // A certificate of its own: confirming the fixture's would change what the other tests see.
        string json = Path.Combine(fixture.Folder, "BW-2026-PAGE-IMPORT.json");
        string envelopeFile = Path.Combine(fixture.Folder, "BW-2026-PAGE-IMPORT.envelope");
        await fixture.KpregAsync("certificates", "sample", "--issuer", "BW", "--destination", "EU", "--number", "BW-2026-PAGE-IMPORT", "--out", json);
        await fixture.KpregAsync("certificates", "issue", json, "--as", "BW-authority", "--out", envelopeFile);
        await fixture.KpregAsync("keys", "create", "--participant", "EU", "--as", "EU-authority");
        // The sample's shipment: 3 parcels, 2,397.72 carats; the seals intact.
        await fixture.KpregAsync("certificates", "confirm", "BW", "BW-2026-PAGE-IMPORT", "--authority", "EU-BE", "--parcels", "3", "--carats", "2397.72", "--as", "EU-authority");

        var page = await fixture.OpenPageAsync();
        await page.GetByLabel("Import check").CheckAsync();
        await page.GetByLabel("Signed certificate").FillAsync(PageFixture.Base64(await File.ReadAllBytesAsync(envelopeFile)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify pasted certificate" }).ClickAsync();

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("INVALID");
        await Expect(page.Locator("#reasons li[data-reason='18']")).ToContainTextAsync("already confirmed");
        await Expect(page.Locator("#summary")).ToContainTextAsync("received");
        await Expect(page.Locator("#summary")).ToContainTextAsync("import check");
    }

    [Fact]
    public async Task Paste_Kp1Text_ShowsValid()
    {
        string kp1 = QrCodec.EncodeEnvelope(await File.ReadAllBytesAsync(fixture.EnvelopeFile));

        var page = await PasteAsync(kp1, "");

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("VALID");
    }

    [Fact]
    public async Task Paste_NeitherBase64NorKp1_ShowsErrorAndNoVerdict()
    {
        var page = await PasteAsync("this is not a certificate!", "");

        await Expect(page.Locator("#error")).ToContainTextAsync("neither base64 nor the text of a KP QR code");
        await Expect(page.Locator("#result")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Upload_EnvelopeFile_ShowsValid()
    {
        var page = await fixture.OpenPageAsync();

        await page.GetByLabel("Envelope file").SetInputFilesAsync(fixture.EnvelopeFile);

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("VALID");
    }

    [Theory]
    [InlineData("png")]
    [InlineData("pdf")]
    [InlineData("reference-png")]
    public async Task Upload_PrintedCertificate_ShowsValid(string form)
    {
        string file = form switch
        {
            "png" => fixture.PngFile,
            "pdf" => fixture.PdfFile,
            _ => fixture.ReferencePngFile,
        };
        var page = await fixture.OpenPageAsync();

        await page.GetByLabel("Photo, scan or PDF").SetInputFilesAsync(file);

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("VALID", new() { Timeout = 60_000 });
        await Expect(page.Locator("#summary")).ToContainTextAsync(form == "reference-png" ? "KP1R" : "KP1");
    }
}
