using System.Text;
using KpRegistry.Domain.Paper;
using KpRegistry.Paper;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.FileProviders;

namespace KpRegistry.Server.Page;

/// <summary>
/// The verification page for customs officers at <c>/</c> (docs/BROWSER.md): static files embedded
/// in this assembly, so the registry serves every script and style itself (no CDN, no internet),
/// and <c>POST /paper/decode</c>, which turns a photo, scan or PDF of a paper certificate, or the
/// text of its QR code, into the envelope or reference it carries. The verdict itself comes from
/// the Verification service over gRPC-Web: the one <c>CertificateVerifier</c>.
/// </summary>
public static class VerificationPage
{
    public const string DecodePath = "/paper/decode";

    /// <summary>The largest upload: a phone's photo of a page is a few megabytes.</summary>
    public const int MaxUploadBytes = 12 * 1024 * 1024;

    /// <summary>Pasted QR text: a KP1 text is at most <see cref="QrCodec.MaxTextLength"/> characters; some room for spaces and line breaks.</summary>
    private const int MaxTextBytes = 2 * QrCodec.MaxTextLength;

    /// <summary>
    /// Reading a large photo takes a core for a while: at most one fewer at once than the machine
    /// has cores (at least one), so uploads cannot starve the verification calls. The rest wait their turn.
    /// </summary>
    private static readonly SemaphoreSlim Readers = new(Math.Max(1, Environment.ProcessorCount - 1));

    /// <summary>
    /// Everything from this origin only: no script, style or font from elsewhere, no framing. The
    /// camera preview's stream and the chosen image are blob: or mediastream: URLs.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static void MapStaticFiles(WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(VerificationPage).Assembly, "KpRegistry.Server.Page.Static");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // The camera is for this page only.
                headers["Permissions-Policy"] = "camera=(self)";
                headers.CacheControl = "no-cache";
            },
        });
    }

    public static void MapEndpoints(WebApplication app) =>
        app.MapPost(DecodePath, (Delegate)DecodeAsync);

    /// <summary>
    /// The content of a certificate's QR: from a PNG, JPEG or PDF (read with the same
    /// <see cref="QrImageReader"/> as kpreg), or from its text (<c>text/plain</c>). 200 with the
    /// content; 400 saying why none was found; 413 for a body over <see cref="MaxUploadBytes"/>;
    /// 415 for another type.
    /// </summary>
    private static async Task<IResult> DecodeAsync(HttpContext context)
    {
        var sizeLimit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
            sizeLimit.MaxRequestBodySize = MaxUploadBytes;
        string mediaType = (context.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("image/png" or "image/jpeg" or "application/pdf" or "text/plain"))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "send a PNG or JPEG photo, a PDF, or the text of the QR code (text/plain)");
        if (context.Request.ContentLength > MaxUploadBytes)
            return TooLarge();

        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request.Body, mediaType == "text/plain" ? MaxTextBytes : MaxUploadBytes, context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return TooLarge();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }

        string text;
        if (mediaType == "text/plain")
        {
            text = Encoding.UTF8.GetString(body).Trim();
        }
        else
        {
            if (!MatchesType(mediaType, body))
                return Problem(StatusCodes.Status400BadRequest, $"the file is not the {mediaType} it says it is");
            await Readers.WaitAsync(context.RequestAborted);
            try
            {
                text = await Task.Run(() => QrImageReader.ReadText("the file", body), context.RequestAborted);
            }
            catch (QrImageException e)
            {
                return Problem(StatusCodes.Status400BadRequest, e.Message);
            }
            finally
            {
                Readers.Release();
            }
        }

        try
        {
            return QrCodec.Decode(text) switch
            {
                QrEnvelope envelope => Results.Json(new DecodedQr("KP1", Convert.ToBase64String(envelope.EnvelopeBytes), null, null, null)),
                QrReference reference => Results.Json(new DecodedQr("KP1R", null, reference.IssuingParticipant, reference.CertificateNumber, Convert.ToHexString(reference.PayloadSha256))),
                _ => Problem(StatusCodes.Status400BadRequest, "an unknown QR content"),
            };
        }
        catch (FormatException e)
        {
            return Problem(StatusCodes.Status400BadRequest, $"the QR code is not a KP certificate code: {e.Message}");
        }
    }

    private static IResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, $"the file is larger than {MaxUploadBytes / (1024 * 1024)} MB; send a smaller photo or scan");

    private static IResult Problem(int status, string error) => Results.Json(new DecodeError(error), statusCode: status);

    /// <summary>The first bytes agree with the declared type, so a mislabelled body is refused before any decoder sees it.</summary>
    private static bool MatchesType(string mediaType, byte[] body) => mediaType switch
    {
        "image/png" => body.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']),
        "image/jpeg" => body.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
        "application/pdf" => body.AsSpan().StartsWith("%PDF-"u8),
        _ => false,
    };

    private static async Task<byte[]> ReadBodyAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new InvalidDataException("too large");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>What a QR carries: <c>KP1</c> with the envelope (base64), or <c>KP1R</c> with the reference (the payload's SHA-256 in hex).</summary>
    public sealed record DecodedQr(string Form, string? Envelope, string? IssuingParticipant, string? CertificateNumber, string? PayloadSha256);

    public sealed record DecodeError(string Error);
}
