using System.CommandLine;
using Google.Protobuf;
using KpRegistry.Client;
using KpRegistry.Contracts.Certificate.V1;

namespace KpRegistry.Cli;

/// <summary>
/// <c>kpreg certificates sign | submit | cancel</c>: an authority that holds its own key signs on
/// its own machine, then submits; an authority cancels. Added to the <c>certificates</c> group.
/// </summary>
internal static class HeldCertificatesCommands
{
    public static IEnumerable<Command> Build(KpregContext context, CommonOptions common) =>
        [Sign(context), Submit(context, common), Cancel(context, common)];

    private static Command Sign(KpregContext context)
    {
        var file = new Argument<string>("FILE") { Description = "The certificate as protobuf JSON (see certificates sample)" };
        var key = new Option<string>("--key", "--signing-key") { Description = "The held private key to sign with (PKCS#8 PEM)", Required = true, HelpName = "KEY.pem" };
        var output = new Option<string>("--out") { Description = "Where to write the signed envelope (binary protobuf); <number>.envelope when omitted", HelpName = "ENVELOPE" };
        var command = new Command("sign", "Sign a certificate locally with a held key (no server); submit the envelope afterwards") { file, key, output };
        command.SetRun(context, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var certificate = CertificatesCommands.ParseCertificate(path, await KpregCli.ReadFileAsync(path, "certificate file", ct).ConfigureAwait(false));
            using var signingKey = await KeyFiles.ReadAsync(parse.GetValue(key)!, "key file", ct).ConfigureAwait(false);
            var envelope = CertificateSigner.Sign(certificate, signingKey);
            var envelopePath = parse.GetValue(output) ?? CertificatesCommands.DefaultEnvelopePath(certificate.CertificateNumber);
            await File.WriteAllBytesAsync(envelopePath, envelope.ToByteArray(), ct).ConfigureAwait(false);
            context.Output.WriteLine($"signed certificate {certificate.CertificateNumber} with key {signingKey.KeyId}");
            context.Output.WriteLine($"wrote {envelopePath}; submit it with: kpreg certificates submit {envelopePath}");
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Submit(KpregContext context, CommonOptions common)
    {
        var file = new Argument<string>("ENVELOPE") { Description = "The signed certificate envelope (binary protobuf), as certificates sign wrote it" };
        var command = new Command("submit", "Submit a certificate signed with a held key; the registry verifies and records it exactly as sent (authority)") { file };
        command.SetRun(context, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var envelope = VerifyCommand.ParseEnvelope(path, await KpregCli.ReadFileAsync(path, "envelope file", ct).ConfigureAwait(false));
            using var channel = context.Connect(common, parse);
            var response = await new Certificates.CertificatesClient(channel)
                .SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = envelope }, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Cancel(KpregContext context, CommonOptions common)
    {
        var issuer = CommonOptions.ParticipantArgument("ISSUER", "The issuing participant, e.g. BW");
        var number = new Argument<string>("NUMBER") { Description = "The certificate number, e.g. BW-2026-000001" };
        var reason = new Option<string>("--reason") { Description = "Why, 1 to 500 characters (lost, stolen, shipment called off)", Required = true, HelpName = "TEXT" };
        var command = new Command("cancel", "Cancel a recorded certificate; it goes on the revocation list (authority of the issuer, or admin)") { issuer, number, reason };
        command.SetRun(context, async (parse, ct) =>
        {
            var request = new CancelCertificateRequest
            {
                IssuingParticipant = parse.GetValue(issuer)!,
                CertificateNumber = parse.GetValue(number)!,
                Reason = parse.GetValue(reason)!,
            };
            using var channel = context.Connect(common, parse);
            var record = await new Certificates.CertificatesClient(channel).CancelCertificateAsync(request, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), record);
            return KpregCli.ExitOk;
        });
        return command;
    }
}
