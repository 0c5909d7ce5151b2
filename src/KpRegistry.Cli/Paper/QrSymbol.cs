using KpRegistry.Domain.Paper;
using SkiaSharp;
using ZXing;
using ZXing.QrCode.Internal;

namespace KpRegistry.Cli.Paper;

/// <summary>The QR code of a certificate's QR text: its modules, version and mode, and a PNG of it.</summary>
internal sealed class QrSymbol
{
    /// <summary>The white border around the code, in modules, that ISO/IEC 18004 asks for.</summary>
    public const int QuietZone = 4;

    private readonly ByteMatrix _matrix;

    private QrSymbol(ByteMatrix matrix, int version, string mode)
    {
        _matrix = matrix;
        Version = version;
        Mode = mode;
    }

    /// <summary>The QR version, 1 to 40.</summary>
    public int Version { get; }

    /// <summary>The encoding mode ZXing chose: ALPHANUMERIC for every KP1 or KP1R text.</summary>
    public string Mode { get; }

    /// <summary>Modules on a side, without the quiet zone.</summary>
    public int Size => _matrix.Width;

    /// <summary>The smallest QR at level <see cref="QrCodec.ErrorCorrectionLevel"/> that holds <paramref name="text"/>.</summary>
    public static QrSymbol Encode(string text)
    {
        if (!QrCodec.Fits(text))
            throw new CliException($"the QR text has {text.Length} characters; a QR of version 40 at level {QrCodec.ErrorCorrectionLevel} holds at most {QrCodec.MaxTextLength}");
        var hints = new Dictionary<EncodeHintType, object> { [EncodeHintType.ERROR_CORRECTION] = ErrorCorrectionLevel.Q };
        var code = Encoder.encode(text, ErrorCorrectionLevel.Q, hints);
        return new QrSymbol(code.Matrix, code.Version.VersionNumber, code.Mode.Name.ToString());
    }

    public bool IsDark(int x, int y) => _matrix[x, y] == 1;

    /// <summary>A black-on-white PNG, <paramref name="pixelsPerModule"/> pixels a module, with the quiet zone.</summary>
    public byte[] ToPng(int pixelsPerModule)
    {
        int side = (Size + 2 * QuietZone) * pixelsPerModule;
        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var black = new SKPaint { Color = SKColors.Black, IsAntialias = false };
            for (int y = 0; y < Size; y++)
            {
                for (int x = 0; x < Size; x++)
                {
                    if (IsDark(x, y))
                        canvas.DrawRect((x + QuietZone) * pixelsPerModule, (y + QuietZone) * pixelsPerModule, pixelsPerModule, pixelsPerModule, black);
                }
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
