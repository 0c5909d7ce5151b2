namespace KpRegistry.Cli.Paper;

/// <summary>What the certificate layout draws on, in points (1/72 inch) from the page's top left; a PDF page or a bitmap.</summary>
internal interface IPageCanvas
{
    double TextWidth(string text, double size, bool bold);

    /// <summary>Draws <paramref name="text"/> with its line's top at <paramref name="top"/>.</summary>
    void Text(string text, double x, double top, double size, bool bold);

    void Line(double x1, double y1, double x2, double y2, double width);

    void Rectangle(double x, double y, double width, double height, double lineWidth);

    /// <summary>Draws the QR code, quiet zone included, as a square of <paramref name="side"/> points.</summary>
    void Qr(QrSymbol symbol, double x, double y, double side);
}
