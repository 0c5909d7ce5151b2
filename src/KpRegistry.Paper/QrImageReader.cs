using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;
using SkiaSharp;
using ZXing;
using ZXing.Common;

namespace KpRegistry.Paper;

/// <summary>
/// The text of the QR code in a photo or scan: a PNG or JPEG, or the first page of a PDF. A PDF
/// is not rendered: its page's image XObjects are decoded (kpreg's own PDF holds the QR as one;
/// a scanner's image-only PDF holds the page as one).
/// </summary>
public static class QrImageReader
{
    /// <summary>
    /// Longest side searched at full size; a larger photo is searched scaled down to it. Not less: a
    /// dense QR (version 28 for an ordinary certificate) needs about three pixels a module.
    /// </summary>
    private const int MaxSide = 4000;

    /// <summary>Below this side an image (a QR extracted at one pixel a module) is scaled up first.</summary>
    private const int MinSide = 400;

    public static bool IsImageFileName(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".pdf";

    /// <summary>The QR text in <paramref name="content"/> (the file <paramref name="path"/>), or a <see cref="QrImageException"/> that says why not.</summary>
    public static string ReadText(string path, byte[] content)
    {
        if (content.AsSpan().StartsWith("%PDF-"u8))
            return ReadPdf(path, content);
        using var data = SKData.CreateCopy(content);
        using var codec = SKCodec.Create(data)
            ?? throw new QrImageException($"{path} is not a PNG, JPEG or PDF image");
        using var bitmap = SKBitmap.Decode(codec)
            ?? throw new QrImageException($"{path} is not a PNG, JPEG or PDF image that decodes");
        return Decode(bitmap) ?? throw new QrImageException($"no QR code found in {path}");
    }

    private static string ReadPdf(string path, byte[] content)
    {
        PdfDocument document;
        try
        {
            document = PdfReader.Open(new MemoryStream(content), PdfDocumentOpenMode.Import);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new QrImageException($"{path} is not a readable PDF: {e.Message}");
        }
        using (document)
        {
            if (document.PageCount == 0)
                throw new QrImageException($"{path} has no page");
            var images = new List<PdfDictionary>();
            CollectImages(document.Pages[0].Resources, images, depth: 0);
            if (images.Count == 0)
                throw new QrImageException($"no image on the first page of {path}: a PDF made of text and vector drawing cannot be read here; print it to PNG, or scan it");
            var problems = new List<string>();
            foreach (var image in images)
            {
                try
                {
                    using var bitmap = ToBitmap(image);
                    if (Decode(bitmap) is { } text)
                        return text;
                }
                catch (NotSupportedException e)
                {
                    problems.Add(e.Message);
                }
            }
            throw new QrImageException($"no QR code found in the {images.Count} image(s) on the first page of {path}{(problems.Count == 0 ? "" : " (" + string.Join("; ", problems.Distinct()) + ")")}");
        }
    }

    private static void CollectImages(PdfDictionary? resources, List<PdfDictionary> images, int depth)
    {
        // Forms nest; a scanner's page is rarely more than one deep, and a loop must end.
        if (resources is null || depth > 4)
            return;
        var xObjects = resources.Elements.GetDictionary("/XObject");
        if (xObjects is null)
            return;
        foreach (var key in xObjects.Elements.Keys)
        {
            if (Resolve(xObjects.Elements[key]) is not PdfDictionary xObject)
                continue;
            var subtype = xObject.Elements.GetName("/Subtype");
            if (subtype == "/Image")
                images.Add(xObject);
            else if (subtype == "/Form")
                CollectImages(xObject.Elements.GetDictionary("/Resources"), images, depth + 1);
        }
    }

    private static PdfItem? Resolve(PdfItem? item) => item is PdfReference reference ? reference.Value : item;

    /// <summary>The image XObject's pixels: JPEG (DCTDecode) through Skia, raw or Flate samples in gray, RGB, CMYK or an indexed palette.</summary>
    private static SKBitmap ToBitmap(PdfDictionary image)
    {
        var filter = Resolve(image.Elements["/Filter"]);
        var filters = filter switch
        {
            PdfName name => [name.Value],
            PdfArray array => array.Elements.Select(e => (Resolve(e) as PdfName)?.Value ?? "").ToArray(),
            _ => Array.Empty<string>(),
        };
        if (filters.Length == 1 && filters[0] == "/DCTDecode")
        {
            using var jpeg = SKData.CreateCopy(image.Stream.Value);
            using var codec = SKCodec.Create(jpeg) ?? throw new NotSupportedException("a JPEG image that does not decode");
            return SKBitmap.Decode(codec) ?? throw new NotSupportedException("a JPEG image that does not decode");
        }
        if (filters.Any(f => f is not "/FlateDecode"))
            throw new NotSupportedException($"images with the filter {string.Join(' ', filters)} are not read");

        int width = image.Elements.GetInteger("/Width");
        int height = image.Elements.GetInteger("/Height");
        int bits = image.Elements.GetInteger("/BitsPerComponent");
        if (width <= 0 || height <= 0 || width > 20000 || height > 20000)
            throw new NotSupportedException($"an image of {width} x {height} pixels");
        if (bits is not (1 or 8))
            throw new NotSupportedException($"images of {bits} bits a component are not read");
        var samples = filters.Length == 0 ? image.Stream.Value : image.Stream.UnfilteredValue;
        var (components, palette) = ColorSpace(Resolve(image.Elements["/ColorSpace"]));
        int rowBytes = checked((width * components * bits + 7) / 8);
        if (samples.Length < checked(rowBytes * height))
            throw new NotSupportedException("an image with fewer samples than its size says");

        var gray = new byte[checked(width * height)];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int Sample(int c)
                {
                    int index = x * components + c;
                    return bits == 8
                        ? samples[y * rowBytes + index]
                        : ((samples[y * rowBytes + index / 8] >> (7 - index % 8)) & 1) * 255;
                }
                gray[y * width + x] = palette is not null
                    ? palette[Math.Min(Sample(0) / (bits == 1 ? 255 : 1), palette.Length - 1)]
                    : components switch
                    {
                        1 => (byte)Sample(0),
                        3 => Luminance(Sample(0), Sample(1), Sample(2)),
                        _ => Luminance(255 - Math.Min(255, Sample(0) + Sample(3)), 255 - Math.Min(255, Sample(1) + Sample(3)), 255 - Math.Min(255, Sample(2) + Sample(3))),
                    };
            }
        }
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(gray, 0, bitmap.GetPixels(), gray.Length);
        return bitmap;
    }

    /// <summary>Components a pixel, and for /Indexed the gray of each palette entry.</summary>
    private static (int Components, byte[]? Palette) ColorSpace(PdfItem? space)
    {
        switch (space)
        {
            case PdfName { Value: "/DeviceGray" or "/CalGray" }:
                return (1, null);
            case PdfName { Value: "/DeviceRGB" or "/CalRGB" }:
                return (3, null);
            case PdfName { Value: "/DeviceCMYK" }:
                return (4, null);
            case PdfArray array when array.Elements.Count >= 2 && Resolve(array.Elements[0]) is PdfName { Value: "/ICCBased" }:
                var profile = Resolve(array.Elements[1]) as PdfDictionary;
                return (profile?.Elements.GetInteger("/N") ?? 3, null);
            case PdfArray array when array.Elements.Count >= 4 && Resolve(array.Elements[0]) is PdfName { Value: "/Indexed" }:
                var (baseComponents, _) = ColorSpace(Resolve(array.Elements[1]));
                var lookup = Resolve(array.Elements[3]) switch
                {
                    PdfString s => s.Value.Select(c => (byte)c).ToArray(),
                    PdfDictionary d => d.Stream.UnfilteredValue,
                    _ => throw new NotSupportedException("an indexed colour space without its palette"),
                };
                var palette = new byte[lookup.Length / baseComponents];
                for (int i = 0; i < palette.Length; i++)
                {
                    int o = i * baseComponents;
                    palette[i] = baseComponents switch
                    {
                        1 => lookup[o],
                        3 => Luminance(lookup[o], lookup[o + 1], lookup[o + 2]),
                        _ => Luminance(255 - Math.Min(255, lookup[o] + lookup[o + 3]), 255 - Math.Min(255, lookup[o + 1] + lookup[o + 3]), 255 - Math.Min(255, lookup[o + 2] + lookup[o + 3])),
                    };
                }
                return (1, palette);
            case null:
                return (1, null);
            default:
                throw new NotSupportedException($"images in the colour space {space} are not read");
        }
    }

    private static byte Luminance(int r, int g, int b) => (byte)((r * 299 + g * 587 + b * 114) / 1000);

    /// <summary>The QR text in <paramref name="bitmap"/>, trying it as is, then scaled to a size the detector handles best.</summary>
    internal static string? Decode(SKBitmap bitmap)
    {
        int side = Math.Max(bitmap.Width, bitmap.Height);
        if (side > MaxSide)
        {
            using var smaller = Scale(bitmap, (double)MaxSide / side);
            return DecodeGray(smaller);
        }
        if (side < MinSide)
        {
            using var larger = Scale(bitmap, Math.Ceiling((double)MinSide / side));
            return DecodeGray(larger) ?? DecodeGray(bitmap);
        }
        return DecodeGray(bitmap);
    }

    private static SKBitmap Scale(SKBitmap bitmap, double factor)
    {
        var info = new SKImageInfo(Math.Max(1, (int)(bitmap.Width * factor)), Math.Max(1, (int)(bitmap.Height * factor)), SKColorType.Rgba8888, SKAlphaType.Premul);
        // Enlarging keeps the modules' edges hard; shrinking averages, as a camera would.
        var sampling = factor >= 1 ? new SKSamplingOptions(SKFilterMode.Nearest) : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
        return bitmap.Resize(info, sampling) ?? throw new QrImageException("the image could not be scaled");
    }

    private static string? DecodeGray(SKBitmap bitmap)
    {
        using var rgba = bitmap.Copy(SKColorType.Rgba8888) ?? throw new QrImageException("the image's pixels could not be read");
        var pixels = rgba.GetPixelSpan();
        var gray = new byte[checked(rgba.Width * rgba.Height)];
        for (int i = 0; i < gray.Length; i++)
        {
            int o = i * 4;
            int alpha = pixels[o + 3];
            // Transparent pixels count as the white paper behind them.
            int Blend(int c) => (c * alpha + 255 * (255 - alpha)) / 255;
            gray[i] = Luminance(Blend(pixels[o]), Blend(pixels[o + 1]), Blend(pixels[o + 2]));
        }
        var reader = new BarcodeReaderGeneric
        {
            AutoRotate = true,
            Options = new DecodingOptions { TryHarder = true, TryInverted = true, PossibleFormats = [BarcodeFormat.QR_CODE] },
        };
        return reader.Decode(new RGBLuminanceSource(gray, rgba.Width, rgba.Height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text;
    }
}
