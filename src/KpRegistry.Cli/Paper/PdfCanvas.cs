using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace KpRegistry.Cli.Paper;

/// <summary>A PDFsharp page. The QR goes in as an image XObject, so <c>verify --qr</c> finds it in the PDF without rendering the page.</summary>
internal sealed class PdfCanvas(XGraphics graphics) : IPageCanvas
{
    /// <summary>Pixels a module in the embedded QR image; the viewer scales it without smoothing.</summary>
    private const int PixelsPerModule = 4;

    private readonly Dictionary<(double, bool), XFont> _fonts = [];

    public static byte[] Render(CertificateSheet sheet, string title)
    {
        PaperFonts.UseForPdf();
        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Creator = "kpreg certificates print";
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(CertificateSheet.PageWidth);
        page.Height = XUnit.FromPoint(CertificateSheet.PageHeight);
        using (var graphics = XGraphics.FromPdfPage(page))
            sheet.Draw(new PdfCanvas(graphics));
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    public double TextWidth(string text, double size, bool bold) => graphics.MeasureString(text, Font(size, bold)).Width;

    public void Text(string text, double x, double top, double size, bool bold) =>
        graphics.DrawString(text, Font(size, bold), XBrushes.Black, new XPoint(x, top), XStringFormats.TopLeft);

    public void Line(double x1, double y1, double x2, double y2, double width) =>
        graphics.DrawLine(new XPen(XColors.Black, width), x1, y1, x2, y2);

    public void Rectangle(double x, double y, double width, double height, double lineWidth) =>
        graphics.DrawRectangle(new XPen(XColors.Black, lineWidth), x, y, width, height);

    public void Qr(QrSymbol symbol, double x, double y, double side)
    {
        using var png = new MemoryStream(symbol.ToPng(PixelsPerModule));
        using var image = XImage.FromStream(png);
        image.Interpolate = false;
        graphics.DrawImage(image, x, y, side, side);
    }

    private XFont Font(double size, bool bold)
    {
        if (!_fonts.TryGetValue((size, bold), out var font))
        {
            font = new XFont(PaperFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            _fonts[(size, bold)] = font;
        }
        return font;
    }
}
