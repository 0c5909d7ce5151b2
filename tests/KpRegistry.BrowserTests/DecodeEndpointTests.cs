using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using KpRegistry.Domain.Paper;
using KpRegistry.Server.Page;

namespace KpRegistry.BrowserTests;

/// <summary>POST /paper/decode over real TLS, without a browser: what it answers, and what it refuses with which status.</summary>
public sealed class DecodeEndpointTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    private HttpClient Client()
    {
        // The development CA's server certificate, made for this run.
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        // HTTP/2, as a browser speaks it here: a refusal before the whole body is sent (413) ends
        // that stream only, where HTTP/1.1 would close the connection under the sender.
        return new HttpClient(handler)
        {
            BaseAddress = fixture.Server.Address,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(byte[] body, string contentType)
    {
        using var client = Client();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await client.PostAsync(VerificationPage.DecodePath, content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Decode_PrintedPng_ReturnsTheEnvelope()
    {
        var envelope = await File.ReadAllBytesAsync(fixture.EnvelopeFile);

        var (status, body) = await PostAsync(await File.ReadAllBytesAsync(fixture.PngFile), "image/png");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("KP1", body.GetProperty("form").GetString());
        Assert.Equal(envelope, Convert.FromBase64String(body.GetProperty("envelope").GetString()!));
    }

    [Fact]
    public async Task Decode_ReferenceText_ReturnsTheReference()
    {
        string text = QrCodec.EncodeReference("BW", "BW-2026-000001", "payload"u8);

        var (status, body) = await PostAsync(System.Text.Encoding.UTF8.GetBytes(text + "\n"), "text/plain; charset=utf-8");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("KP1R", body.GetProperty("form").GetString());
        Assert.Equal("BW", body.GetProperty("issuingParticipant").GetString());
        Assert.Equal("BW-2026-000001", body.GetProperty("certificateNumber").GetString());
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("payload"u8)), body.GetProperty("payloadSha256").GetString());
    }

    [Fact]
    public async Task Decode_OtherContentType_Is415()
    {
        var (status, body) = await PostAsync(await File.ReadAllBytesAsync(fixture.EnvelopeFile), "application/octet-stream");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("PNG or JPEG", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Decode_PdfLabelledPng_Is400()
    {
        var (status, body) = await PostAsync(await File.ReadAllBytesAsync(fixture.PdfFile), "image/png");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not the image/png it says it is", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Decode_OverTheLimit_Is413()
    {
        var body = new byte[VerificationPage.MaxUploadBytes + 1];
        ((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']).CopyTo(body);

        var (status, answer) = await PostAsync(body, "image/png");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("larger than 12 MB", answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Decode_TextNotKp_Is400SayingWhy()
    {
        var (status, body) = await PostAsync("HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH"u8.ToArray(), "text/plain");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("begins with neither KP1: nor KP1R:", body.GetProperty("error").GetString());
    }
}
