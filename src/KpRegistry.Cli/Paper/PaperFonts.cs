using PdfSharp.Fonts;
using SkiaSharp;

namespace KpRegistry.Cli.Paper;

/// <summary>
/// The one font of the printed certificate, DejaVu Sans regular and bold, shipped inside kpreg so
/// that printing works on a machine with no fonts (PDFsharp 6 on Linux finds none by itself).
/// </summary>
internal static class PaperFonts
{
    public const string Family = "DejaVu Sans";

    private static readonly Lazy<byte[]> Regular = new(() => Load("DejaVuSans.ttf"));
    private static readonly Lazy<byte[]> Bold = new(() => Load("DejaVuSans-Bold.ttf"));
    private static readonly Lazy<SKTypeface> RegularTypeface = new(() => SKTypeface.FromData(SKData.CreateCopy(Regular.Value)));
    private static readonly Lazy<SKTypeface> BoldTypeface = new(() => SKTypeface.FromData(SKData.CreateCopy(Bold.Value)));
    private static readonly Lock Gate = new();

    public static SKTypeface Typeface(bool bold) => bold ? BoldTypeface.Value : RegularTypeface.Value;

    /// <summary>Installs the resolver for PDFsharp, once per process (PDFsharp refuses a second one after use).</summary>
    public static void UseForPdf()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not Resolver)
                GlobalFontSettings.FontResolver = new Resolver();
        }
    }

    private static byte[] Load(string file)
    {
        using var stream = typeof(PaperFonts).Assembly.GetManifestResourceStream("KpRegistry.Cli.Paper." + file)
            ?? throw new InvalidOperationException($"the font {file} is missing from kpreg");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed class Resolver : IFontResolver
    {
        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

        public byte[]? GetFont(string faceName) => faceName == "DejaVuSans-Bold" ? Bold.Value : Regular.Value;
    }
}
