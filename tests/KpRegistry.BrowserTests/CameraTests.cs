using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace KpRegistry.BrowserTests;

/// <summary>
/// Scanning with the camera: Chromium's fake camera plays the printed certificate (the PNG, as a
/// one-frame Y4M video); the page reads the frames with jsQR and the registry verifies.
/// </summary>
public sealed class CameraTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    [Fact]
    public async Task Camera_PrintedCertificateInView_ShowsValid()
    {
        string video = Path.Combine(fixture.Folder, "camera.y4m");
        WriteY4m(fixture.PngFile, video);
        await using var browser = await fixture.LaunchAsync(
        [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            $"--use-file-for-fake-video-capture={video}",
        ]);
        var page = await fixture.OpenPageAsync(browser, permissions: ["camera"]);
        await page.GetByLabel("Presented at").FillAsync("EU");

        await page.GetByRole(AriaRole.Button, new() { Name = "Scan QR code with camera" }).ClickAsync();

        await Expect(page.Locator("#verdict")).ToHaveTextAsync("VALID", new() { Timeout = 60_000 });
        await Expect(page.Locator("#summary")).ToContainTextAsync("QR code scanned with the camera");
        await Expect(page.Locator("#camera-view")).ToBeHiddenAsync();
    }

    /// <summary>
    /// The image as a YUV4MPEG2 video of one frame (Chromium loops it): 4:2:0, gray (the chroma
    /// planes neutral), luma from the BT.601 weights. Odd sides are cut by one pixel.
    /// </summary>
    private static void WriteY4m(string png, string path)
    {
        using var bitmap = SKBitmap.Decode(png) ?? throw new InvalidOperationException("the printed PNG does not decode");
        using var rgba = bitmap.Copy(SKColorType.Rgba8888);
        int width = rgba.Width & ~1, height = rgba.Height & ~1;
        var pixels = rgba.GetPixelSpan();
        using var output = File.Create(path);
        output.Write(System.Text.Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\nFRAME\n"));
        var luma = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int o = (y * rgba.Width + x) * 4;
                luma[y * width + x] = (byte)((pixels[o] * 299 + pixels[o + 1] * 587 + pixels[o + 2] * 114) / 1000);
            }
        }
        output.Write(luma);
        var chroma = new byte[width / 2 * (height / 2)];
        Array.Fill(chroma, (byte)128);
        output.Write(chroma);
        output.Write(chroma);
    }
}
