using SkiaSharp;

namespace KpRegistry.Cli.Paper;

/// <summary>A bitmap of the page, <see cref="Dpi"/> dots per inch, for <c>certificates print --out cert.png</c>.</summary>
internal sealed class SkiaCanvas : IPageCanvas, IDisposable
{
    /// <summary>150 dpi: the QR's modules stay several pixels wide (a version-40 code in 200 points is 4 pixels a module).</summary>
    public const int Dpi = 150;

    private const float Scale = Dpi / 72f;

    private readonly SKCanvas _canvas;
    private readonly Dictionary<(double, bool), SKFont> _fonts = [];
    private readonly SKPaint _black = new() { Color = SKColors.Black, IsAntialias = true };

    private SkiaCanvas(SKCanvas canvas) => _canvas = canvas;

    public static byte[] Render(CertificateSheet sheet)
    {
        int width = (int)Math.Ceiling(CertificateSheet.PageWidth * Scale);
        int height = (int)Math.Ceiling(CertificateSheet.PageHeight * Scale);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (var page = new SkiaCanvas(canvas))
        {
            canvas.Clear(SKColors.White);
            sheet.Draw(page);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public double TextWidth(string text, double size, bool bold) => Font(size, bold).MeasureText(text) / Scale;

    public void Text(string text, double x, double top, double size, bool bold)
    {
        var font = Font(size, bold);
        _canvas.DrawText(text, (float)(x * Scale), (float)(top * Scale) - font.Metrics.Ascent, SKTextAlign.Left, font, _black);
    }

    public void Line(double x1, double y1, double x2, double y2, double width)
    {
        using var pen = new SKPaint { Color = SKColors.Black, StrokeWidth = (float)(width * Scale), IsStroke = true, IsAntialias = true };
        _canvas.DrawLine((float)(x1 * Scale), (float)(y1 * Scale), (float)(x2 * Scale), (float)(y2 * Scale), pen);
    }

    public void Rectangle(double x, double y, double width, double height, double lineWidth)
    {
        using var pen = new SKPaint { Color = SKColors.Black, StrokeWidth = (float)(lineWidth * Scale), IsStroke = true, IsAntialias = true };
        _canvas.DrawRect((float)(x * Scale), (float)(y * Scale), (float)(width * Scale), (float)(height * Scale), pen);
    }

    public void Qr(QrSymbol symbol, double x, double y, double side)
    {
        // Whole pixels a module, so every module has the same width and no edge is grey.
        int modules = symbol.Size + 2 * QrSymbol.QuietZone;
        int pixelsPerModule = Math.Max(1, (int)Math.Floor(side * Scale / modules));
        float left = (float)Math.Round(x * Scale);
        float top = (float)Math.Round(y * Scale);
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = false };
        using var black = new SKPaint { Color = SKColors.Black, IsAntialias = false };
        _canvas.DrawRect(left, top, modules * pixelsPerModule, modules * pixelsPerModule, white);
        for (int my = 0; my < symbol.Size; my++)
        {
            for (int mx = 0; mx < symbol.Size; mx++)
            {
                if (symbol.IsDark(mx, my))
                    _canvas.DrawRect(left + (mx + QrSymbol.QuietZone) * pixelsPerModule, top + (my + QrSymbol.QuietZone) * pixelsPerModule, pixelsPerModule, pixelsPerModule, black);
            }
        }
    }

    public void Dispose()
    {
        foreach (var font in _fonts.Values)
            font.Dispose();
        _black.Dispose();
    }

    private SKFont Font(double size, bool bold)
    {
        if (!_fonts.TryGetValue((size, bold), out var font))
        {
            font = new SKFont(PaperFonts.Typeface(bold), (float)(size * Scale)) { Subpixel = true };
            _fonts[(size, bold)] = font;
        }
        return font;
    }
}
