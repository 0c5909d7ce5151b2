using System.CommandLine;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Paper;

namespace KpRegistry.Cli.Paper;

/// <summary>
/// <c>kpreg certificates print ENVELOPE --out cert.pdf|cert.png [--reference]</c>: the paper
/// certificate, A4, with a QR code carrying <c>KP1:</c> (the envelope) or, when that does not fit
/// a QR of version 40 at level Q, <c>KP1R:</c> (a reference checked online). Offline: no server.
/// </summary>
internal static class PrintCommand
{
    public static Command Build(KpregContext context)
    {
        var file = new Argument<string>("ENVELOPE") { Description = "The signed certificate envelope (binary protobuf), as certificates issue, sign or get --out wrote it" };
        var output = new Option<string>("--out") { Description = "The file to write: .pdf (A4) or .png (A4 at 150 dpi)", HelpName = "FILE", Required = true };
        var reference = new Option<bool>("--reference") { Description = "Put a KP1R reference (checked online) in the QR even when the envelope fits as KP1" };
        var command = new Command("print", "Print a signed certificate on A4 (PDF or PNG) with a QR code that kpreg verify --qr checks") { file, output, reference };
        command.SetRun(context, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var outPath = parse.GetValue(output)!;
            var extension = Path.GetExtension(outPath).ToLowerInvariant();
            if (extension is not (".pdf" or ".png"))
                throw new CliException($"--out {outPath}: the file name must end in .pdf or .png");
            var envelope = VerifyCommand.ParseEnvelope(path, await KpregCli.ReadFileAsync(path, "envelope file", ct).ConfigureAwait(false));
            var certificate = CertificateOf(path, envelope);

            var (text, isReference) = QrText(envelope, certificate, parse.GetValue(reference), context.Error);
            var symbol = QrSymbol.Encode(text);
            var sheet = new CertificateSheet(certificate, envelope, symbol, isReference);
            var bytes = extension == ".pdf"
                ? PdfCanvas.Render(sheet, $"Kimberley Process Certificate {certificate.CertificateNumber}")
                : SkiaCanvas.Render(sheet);
            await File.WriteAllBytesAsync(outPath, bytes, ct).ConfigureAwait(false);
            context.Output.WriteLine($"wrote {outPath}: certificate {certificate.CertificateNumber}, QR {(isReference ? "KP1R (reference)" : "KP1 (signed envelope)")}, version {symbol.Version}, level {QrCodec.ErrorCorrectionLevel}, {text.Length} characters");
            return KpregCli.ExitOk;
        });
        return command;
    }

    /// <summary>KP1 when it fits (and no reference was asked for), otherwise KP1R, saying why on <paramref name="error"/>.</summary>
    internal static (string Text, bool Reference) QrText(SignedEnvelope envelope, Certificate certificate, bool forceReference, TextWriter error)
    {
        var bytes = envelope.ToByteArray();
        if (!forceReference)
        {
            if (bytes.Length <= QrCodec.MaxEnvelopeBytes)
            {
                var kp1 = QrCodec.EncodeEnvelope(bytes);
                if (QrCodec.Fits(kp1))
                    return (kp1, false);
                error.WriteLine($"note: the envelope ({bytes.Length} bytes) takes {kp1.Length} QR characters as KP1; a QR holds {QrCodec.MaxTextLength} at level {QrCodec.ErrorCorrectionLevel}. The QR carries a KP1R reference instead: verifying it needs the registry (online).");
            }
            else
            {
                error.WriteLine($"note: the envelope ({bytes.Length} bytes) is too large for a KP1 QR; the QR carries a KP1R reference instead: verifying it needs the registry (online).");
            }
        }
        try
        {
            return (QrCodec.EncodeReference(certificate.IssuingParticipant, certificate.CertificateNumber, envelope.Payload.Span), true);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"cannot print a KP1R reference for this certificate: {e.Message}");
        }
    }

    private static Certificate CertificateOf(string path, SignedEnvelope envelope)
    {
        if (envelope.PayloadType != PayloadTypes.Certificate)
            throw new CliException($"{path} carries {(envelope.PayloadType.Length == 0 ? "no payload type" : envelope.PayloadType)}, not a certificate ({PayloadTypes.Certificate})");
        if (envelope.Signatures.Count == 0)
            throw new CliException($"{path} is not signed: only a signed certificate can be printed");
        try
        {
            return Certificate.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new CliException($"{path}: the payload is not a certificate: {e.Message}");
        }
    }
}
