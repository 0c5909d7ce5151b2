using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Google.Protobuf;
using KpRegistry.Cli.Paper;
using KpRegistry.Cli.Tests.Support;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Paper;
using KpRegistry.Paper;
using SkiaSharp;

namespace KpRegistry.Cli.Tests;

/// <summary>certificates print, verify --qr over PNG, JPEG and PDF, and verify over a folder.</summary>
public sealed class PaperCommandsTests
{
    private const string Number = "BW-2026-000777";

    /// <summary>A held BW key, a sample certificate signed with it by kpreg, and signed lists listing the key.</summary>
    private sealed class Scenario : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public SignedLists Lists { get; } = new();
        public SigningKey Key { get; private set; } = null!;
        public string Envelope => Folder.File(Number + ".envelope");
        public string TrustList => Folder.File("tl.bin");

        public string[] Offline => ["--offline", "--trust-list", TrustList, "--pin", Lists.Pin];

        public static async Task<Scenario> CreateAsync(Action<Certificate>? edit = null)
        {
            var s = new Scenario();
            var run = new CliRun();
            Assert.Equal(0, await run.InvokeAsync("keys", "generate", "--out", s.Folder.File("bw.pem")));
            Assert.Equal(0, await run.InvokeAsync("certificates", "sample", "--issuer", "BW", "--destination", "EU", "--authority", SignedLists.BwAuthority,
                "--number", Number, "--out", s.Folder.File("bw.json")));
            if (edit is not null)
            {
                var certificate = JsonParser.Default.Parse<Certificate>(await File.ReadAllTextAsync(s.Folder.File("bw.json"), TestContext.Current.CancellationToken));
                edit(certificate);
                await File.WriteAllTextAsync(s.Folder.File("bw.json"), JsonFormatter.Default.Format(certificate), TestContext.Current.CancellationToken);
            }
            Assert.Equal(0, await run.InvokeAsync("certificates", "sign", s.Folder.File("bw.json"), "--key", s.Folder.File("bw.pem"), "--out", s.Envelope));
            s.Key = SigningKey.ImportPkcs8Pem(await File.ReadAllTextAsync(s.Folder.File("bw.pem"), TestContext.Current.CancellationToken));
            s.Lists.WithKey("BW", s.Key.KeyId, s.Key.Spki, KeyAlgorithm.Ed25519);
            await File.WriteAllBytesAsync(s.TrustList, s.Lists.SignedTrustList().ToByteArray(), TestContext.Current.CancellationToken);
            return s;
        }

        public byte[] EnvelopeBytes() => File.ReadAllBytes(Envelope);

        public async Task<string> PrintAsync(string name, params string[] extra)
        {
            var run = new CliRun();
            var path = Folder.File(name);
            var exit = await run.InvokeAsync(["certificates", "print", Envelope, "--out", path, .. extra]);
            Assert.True(exit == 0, run.Error.ToString());
            return path;
        }

        public void Dispose()
        {
            Key?.Dispose();
            Lists.Dispose();
            Folder.Dispose();
        }
    }

    private static byte[] DecodeEnvelopeBytes(string path) =>
        Assert.IsType<QrEnvelope>(QrCodec.Decode(QrImageReader.ReadText(path, File.ReadAllBytes(path)))).EnvelopeBytes;

    [Fact]
    public async Task Print_Pdf_QrInThePdfDecodesToTheSameEnvelopeBytes()
    {
        using var s = await Scenario.CreateAsync();
        var run = new CliRun();

        var exit = await run.InvokeAsync("certificates", "print", s.Envelope, "--out", s.Folder.File("cert.pdf"));

        Assert.Equal(0, exit);
        Assert.Contains("QR KP1 (signed envelope)", run.Output.ToString(), StringComparison.Ordinal);
        var pdf = await File.ReadAllBytesAsync(s.Folder.File("cert.pdf"), TestContext.Current.CancellationToken);
        Assert.True(pdf.AsSpan().StartsWith("%PDF-"u8));
        Assert.Equal(s.EnvelopeBytes(), DecodeEnvelopeBytes(s.Folder.File("cert.pdf")));
    }

    [Fact]
    public async Task Print_Png_QrDecodesToTheSameEnvelopeBytes()
    {
        using var s = await Scenario.CreateAsync();

        var png = await s.PrintAsync("cert.png");

        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(1241, bitmap.Width); // A4 at 150 dpi
        Assert.Equal(1754, bitmap.Height);
        Assert.Equal(s.EnvelopeBytes(), DecodeEnvelopeBytes(png));
    }

    [Fact]
    public async Task Print_PdfRenderedByPdftoppm_DecodesBackAndVerifiesValid()
    {
        using var s = await Scenario.CreateAsync();
        var pdf = await s.PrintAsync("cert.pdf");

        // poppler-utils renders the page the way a printer or a viewer would (.ci/run installs it),
        // at 300 dpi as a document scanner does: at 150 dpi ZXing missed the code now and then,
        // depending on the certificate's (random) bytes.
        var prefix = s.Folder.File("rendered");
        var start = new ProcessStartInfo("pdftoppm") { ArgumentList = { "-r", "300", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, prefix }, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"pdftoppm is missing ({e.Message}): install Debian's poppler-utils, as .ci/run does");
            return;
        }
        using (process)
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, process.ExitCode);
        }

        Assert.Equal(s.EnvelopeBytes(), DecodeEnvelopeBytes(prefix + ".png"));
        var run = new CliRun();
        var exit = await run.InvokeAsync(["verify", prefix + ".png", .. s.Offline, "--presented-at", "EU"]);
        Assert.Equal(0, exit);
        Assert.StartsWith("VALID", run.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyQr_PrintedPdfOffline_IsValidAndExitsZero()
    {
        using var s = await Scenario.CreateAsync();
        var pdf = await s.PrintAsync("cert.pdf");
        var run = new CliRun();

        var exit = await run.InvokeAsync(["verify", "--qr", pdf, .. s.Offline, "--presented-at", "EU"]);

        Assert.Equal(0, exit);
        Assert.StartsWith("VALID", run.Output.ToString(), StringComparison.Ordinal);
        Assert.Contains(Number, run.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyQr_PresentedAtTheWrongParticipant_IsWrongDestinationAndExitsTwo()
    {
        using var s = await Scenario.CreateAsync();
        var png = await s.PrintAsync("cert.png");
        var run = new CliRun();

        var exit = await run.InvokeAsync(["verify", "--qr", png, .. s.Offline, "--presented-at", "ZA"]);

        Assert.Equal(2, exit);
        Assert.Contains("reason: WRONG_DESTINATION", run.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyQr_PhotoLikeImage_StillDecodesAndVerifies()
    {
        using var s = await Scenario.CreateAsync();
        var png = await s.PrintAsync("cert.png");
        var photo = s.Folder.File("photo.jpg");
        await File.WriteAllBytesAsync(photo, PhotoOf(png), TestContext.Current.CancellationToken);

        Assert.Equal(s.EnvelopeBytes(), DecodeEnvelopeBytes(photo));
        var run = new CliRun();
        var exit = await run.InvokeAsync(["verify", "--qr", photo, .. s.Offline]);
        Assert.Equal(0, exit);
    }

    /// <summary>
    /// The QR as a phone aimed at it sees it: the printed page's QR corner enlarged twice, turned
    /// 3 degrees on a grey desk, lit unevenly, with sensor noise, saved as a JPEG. Fixed seed.
    /// </summary>
    private static byte[] PhotoOf(string png)
    {
        // The QR's centre on the 150-dpi page: CertificateSheet puts it in the bottom right corner.
        const float qrCentreX = 956f;
        const float qrCentreY = 1445f;
        using var page = SKBitmap.Decode(png);
        using var photo = new SKBitmap(1400, 1400, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(photo))
        {
            canvas.Clear(new SKColor(90, 90, 95));
            canvas.Translate(700, 700);
            canvas.RotateDegrees(3);
            canvas.Scale(2f);
            using var paint = new SKPaint();
            using var image = SKImage.FromBitmap(page);
            canvas.DrawImage(image, new SKRect(-qrCentreX, -qrCentreY, page.Width - qrCentreX, page.Height - qrCentreY), new SKSamplingOptions(SKFilterMode.Linear), paint);
        }
        var random = new Random(12);
        var pixels = photo.GetPixelSpan();
        for (int i = 0; i < pixels.Length; i += 4)
        {
            double light = 1.0 - 0.25 * (i / 4 % photo.Width) / photo.Width;
            int noise = random.Next(-20, 21);
            for (int c = 0; c < 3; c++)
                pixels[i + c] = (byte)Math.Clamp((int)(pixels[i + c] * light) + noise, 0, 255);
        }
        using var data = photo.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }

    [Fact]
    public async Task Print_CertificateTooLargeForKp1_PrintsAKp1rReferenceAndSaysSo()
    {
        // 200 seal ids of 32 random hex digits: about 7 kB that zlib cannot shrink below the QR's 1,610 bytes.
        using var s = await Scenario.CreateAsync(c =>
        {
            c.SealIds.Clear();
            for (int i = 0; i < 200; i++)
                c.SealIds.Add("BW-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        });
        var run = new CliRun();

        var exit = await run.InvokeAsync("certificates", "print", s.Envelope, "--out", s.Folder.File("cert.png"));

        Assert.Equal(0, exit);
        Assert.Contains("KP1R reference instead", run.Error.ToString(), StringComparison.Ordinal);
        var envelope = SignedEnvelope.Parser.ParseFrom(s.EnvelopeBytes());
        var text = QrImageReader.ReadText(s.Folder.File("cert.png"), await File.ReadAllBytesAsync(s.Folder.File("cert.png"), TestContext.Current.CancellationToken));
        var reference = Assert.IsType<QrReference>(QrCodec.Decode(text));
        Assert.Equal("BW", reference.IssuingParticipant);
        Assert.Equal(Number, reference.CertificateNumber);
        Assert.Equal(SHA256.HashData(envelope.Payload.Span), reference.PayloadSha256);
    }

    [Fact]
    public async Task Print_LargestCertificateTheRulesAllow_KeepsTheQrOnThePageAsKp1r()
    {
        // Every text at its CertificateRules maximum, 100 lines, 1,000 seals of 64 characters.
        using var s = await Scenario.CreateAsync(c =>
        {
            foreach (var party in new[] { c.Exporter, c.Importer, c.Consignee })
            {
                party.Name = new string('N', CertificateRules.MaxNameLength);
                party.Address = string.Join(' ', Enumerable.Repeat("Address", CertificateRules.MaxAddressLength / 8));
                party.LicenceNumber = new string('L', CertificateRules.MaxLicenceLength);
            }
            c.OriginZone = new string('Z', CertificateRules.MaxZoneLength);
            var line = c.Lines[0];
            c.Lines.Clear();
            for (int i = 0; i < CertificateRules.MaxLines; i++)
                c.Lines.Add(line.Clone());
            c.SealIds.Clear();
            for (int i = 0; i < CertificateRules.MaxSealIds; i++)
                c.SealIds.Add(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
            c.TransitCountries.Clear();
            for (int i = 0; i < CertificateRules.MaxTransitCountries; i++)
                c.TransitCountries.Add("ZA");
        });
        var run = new CliRun();

        var exit = await run.InvokeAsync("certificates", "print", s.Envelope, "--out", s.Folder.File("cert.png"));

        Assert.Equal(0, exit);
        Assert.Contains("KP1R reference instead", run.Error.ToString(), StringComparison.Ordinal);
        var text = QrImageReader.ReadText(s.Folder.File("cert.png"), await File.ReadAllBytesAsync(s.Folder.File("cert.png"), TestContext.Current.CancellationToken));
        Assert.Equal(Number, Assert.IsType<QrReference>(QrCodec.Decode(text)).CertificateNumber);
    }

    [Fact]
    public async Task VerifyQr_Kp1rOnline_FetchesTheRecordChecksTheHashAndVerifiesIt()
    {
        using var s = await Scenario.CreateAsync();
        var png = await s.PrintAsync("cert.png", "--reference");
        var envelope = SignedEnvelope.Parser.ParseFrom(s.EnvelopeBytes());
        var handler = new FakeGrpcHandler((path, _) => path.EndsWith("/GetCertificate", StringComparison.Ordinal)
            ? FakeGrpcHandler.Reply.Ok(new GetCertificateResponse { Envelope = envelope })
            : FakeGrpcHandler.Reply.Ok(new VerifyCertificateResult { Valid = true, CertificateNumber = Number, IssuingParticipant = "BW" }));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("verify", "--qr", png);

        Assert.Equal(0, exit);
        Assert.Equal(2, handler.Calls.Count);
        Assert.Equal(new GetCertificateRequest { IssuingParticipant = "BW", CertificateNumber = Number }, GetCertificateRequest.Parser.ParseFrom(handler.Calls[0].Request));
        Assert.Equal(envelope, VerifyCertificateRequest.Parser.ParseFrom(handler.Calls[1].Request).Envelope);
        Assert.Null(Assert.Single(run.Connections).ClientCertificatePath);
    }

    [Fact]
    public async Task VerifyQr_Kp1rWhoseRecordDiffers_IsRecordMismatchAndExitsTwo()
    {
        using var s = await Scenario.CreateAsync();
        var png = await s.PrintAsync("cert.png", "--reference");
        var other = SignedEnvelope.Parser.ParseFrom(s.EnvelopeBytes());
        other.Payload = ByteString.CopyFrom([.. other.Payload.Span, 0x00]);
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(new GetCertificateResponse { Envelope = other }));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("verify", "--qr", png);

        Assert.Equal(2, exit);
        Assert.Contains("reason: RECORD_MISMATCH", run.Output.ToString(), StringComparison.Ordinal);
        Assert.Single(handler.Calls);
    }

    [Fact]
    public async Task VerifyQr_Kp1rNotRecorded_IsNotRecordedAndExitsTwo()
    {
        using var s = await Scenario.CreateAsync();
        var png = await s.PrintAsync("cert.png", "--reference");
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Fail(Grpc.Core.StatusCode.NotFound, "no such certificate"));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("verify", "--qr", png);

        Assert.Equal(2, exit);
        Assert.Contains("reason: NOT_RECORDED", run.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyQr_Kp1rOffline_SaysOnlineOnlyAndExitsOne()
    {
        using var s = await Scenario.CreateAsync();
        var png = await s.PrintAsync("cert.png", "--reference");
        var run = new CliRun();

        var exit = await run.InvokeAsync(["verify", "--qr", png, .. s.Offline]);

        Assert.Equal(1, exit);
        Assert.Contains("can only be verified online", run.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyQr_ImageWithoutQr_SaysSoAndExitsOne()
    {
        using var folder = new TempFolder();
        using (var blank = new SKBitmap(300, 300))
        {
            blank.Erase(SKColors.White);
            using var data = blank.Encode(SKEncodedImageFormat.Png, 100);
            await File.WriteAllBytesAsync(folder.File("blank.png"), data.ToArray(), TestContext.Current.CancellationToken);
        }
        var run = new CliRun();

        var exit = await run.InvokeAsync("verify", "--qr", folder.File("blank.png"));

        Assert.Equal(1, exit);
        Assert.Contains($"error: no QR code found in {folder.File("blank.png")}", run.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task Print_OutWithoutPdfOrPng_FailsWithExitOne()
    {
        using var s = await Scenario.CreateAsync();
        var run = new CliRun();

        var exit = await run.InvokeAsync("certificates", "print", s.Envelope, "--out", s.Folder.File("cert.txt"));

        Assert.Equal(1, exit);
        Assert.Contains("must end in .pdf or .png", run.Error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(s.Folder.File("cert.txt")));
    }

    [Fact]
    public void QrSymbol_VectorSizedText_IsAlphanumericModeAtLevelQ()
    {
        var text = QrCodec.EncodeEnvelope(new byte[943]);

        var symbol = QrSymbol.Encode(text);

        Assert.Equal("ALPHANUMERIC", symbol.Mode);
        Assert.InRange(symbol.Version, 1, 40);
    }

    [Fact]
    public void QrSymbol_LargestKp1Text_FitsVersion40()
    {
        // The most compressed bytes a KP1 may carry, incompressible: exactly 2,420 characters.
        var text = "KP1:" + Base45.Encode(RandomNumberGenerator.GetBytes(QrCodec.MaxCompressedBytes));

        var symbol = QrSymbol.Encode(text);

        Assert.Equal(40, symbol.Version);
        Assert.Throws<CliException>(() => QrSymbol.Encode(text + "00"));
    }

    [Fact]
    public async Task VerifyFolder_Json_SummarisesValidInvalidByReasonAndErrorsAndExitsOne()
    {
        using var s = await Scenario.CreateAsync();
        var bulk = Directory.CreateDirectory(s.Folder.File("bulk")).FullName;
        File.Copy(s.Envelope, Path.Combine(bulk, "a.envelope"));
        File.Copy(await s.PrintAsync("cert.png"), Path.Combine(bulk, "b.png"));
        File.Copy(await s.PrintAsync("cert.pdf"), Path.Combine(bulk, "c.pdf"));
        var tampered = SignedEnvelope.Parser.ParseFrom(s.EnvelopeBytes());
        var payload = tampered.Payload.ToByteArray();
        payload[^1] ^= 0x01;
        tampered.Payload = ByteString.CopyFrom(payload);
        await File.WriteAllBytesAsync(Path.Combine(bulk, "d.envelope"), tampered.ToByteArray(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(bulk, "e.png"), "not an image", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(bulk, "notes.txt"), "skipped: not a certificate file", TestContext.Current.CancellationToken);
        var run = new CliRun();

        var exit = await run.InvokeAsync(["verify", bulk, "--json", .. s.Offline, "--presented-at", "EU"]);

        Assert.Equal(1, exit);
        var json = JsonNode.Parse(run.Output.ToString())!;
        var summary = json["summary"]!;
        Assert.Equal(5, (int)summary["total"]!);
        Assert.Equal(3, (int)summary["valid"]!);
        Assert.Equal(1, (int)summary["invalid"]!);
        Assert.Equal(1, (int)summary["errors"]!);
        Assert.Equal(1, (int)summary["invalidByReason"]!["BAD_SIGNATURE"]!);
        var files = json["files"]!.AsArray();
        Assert.Equal(["a.envelope", "b.png", "c.pdf", "d.envelope", "e.png"], files.Select(f => Path.GetFileName((string)f!["path"]!)));
        Assert.Equal(["VALID", "VALID", "VALID", "INVALID", "ERROR"], files.Select(f => (string)f!["status"]!));
        Assert.Equal(["envelope", "KP1", "KP1", "envelope", ""], files.Select(f => (string)f!["form"]!));
        Assert.Equal(Number, (string)files[1]!["result"]!["certificateNumber"]!);
        Assert.Contains("is not a PNG, JPEG or PDF image", (string)files[4]!["error"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyManyFiles_SomeInvalid_PrintsTheSummaryTableAndExitsTwo()
    {
        using var s = await Scenario.CreateAsync();
        var png = await s.PrintAsync("cert.png");
        var tampered = SignedEnvelope.Parser.ParseFrom(s.EnvelopeBytes());
        tampered.Signatures[0].Sig = ByteString.CopyFrom(new byte[64]);
        await File.WriteAllBytesAsync(s.Folder.File("bad.envelope"), tampered.ToByteArray(), TestContext.Current.CancellationToken);
        var run = new CliRun();

        var exit = await run.InvokeAsync(["verify", s.Envelope, png, s.Folder.File("bad.envelope"), .. s.Offline]);

        Assert.Equal(2, exit);
        var output = run.Output.ToString();
        Assert.Contains($"VALID    {s.Envelope}: {Number} (envelope)", output, StringComparison.Ordinal);
        Assert.Contains($"VALID    {png}: {Number} (KP1)", output, StringComparison.Ordinal);
        Assert.Contains($"INVALID  {s.Folder.File("bad.envelope")}: BAD_SIGNATURE (envelope)", output, StringComparison.Ordinal);
        var rows = output.Split('\n').Select(l => string.Join(' ', l.Split([' ', '│', '|'], StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Contains("VALID 2", rows);
        Assert.Contains("INVALID (any) 1", rows);
        Assert.Contains("INVALID BAD_SIGNATURE 1", rows);
        Assert.Contains("ERROR not checked 0", rows);
    }

    [Fact]
    public async Task VerifyFolder_AllValid_ExitsZero()
    {
        using var s = await Scenario.CreateAsync();
        var bulk = Directory.CreateDirectory(s.Folder.File("bulk")).FullName;
        File.Copy(s.Envelope, Path.Combine(bulk, "a.envelope"));
        File.Copy(await s.PrintAsync("cert.pdf"), Path.Combine(bulk, "b.pdf"));
        var run = new CliRun();

        var exit = await run.InvokeAsync(["verify", bulk, "--json", .. s.Offline]);

        Assert.Equal(0, exit);
        Assert.Equal(2, (int)JsonNode.Parse(run.Output.ToString())!["summary"]!["valid"]!);
    }

    [Fact]
    public async Task VerifyFolder_Empty_SaysSoAndExitsOne()
    {
        using var folder = new TempFolder();
        var run = new CliRun();

        var exit = await run.InvokeAsync("verify", folder.Path);

        Assert.Equal(1, exit);
        Assert.Contains("no file to verify", run.Error.ToString(), StringComparison.Ordinal);
    }
}
