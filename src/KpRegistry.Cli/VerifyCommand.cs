using System.CommandLine;
using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.Cli;

/// <summary><c>kpreg verify ENVELOPE_FILE</c>: exit 0 for VALID, 2 for INVALID, 1 for an error.</summary>
internal static class VerifyCommand
{
    public static Command Build(KpregContext context, CommonOptions common)
    {
        var file = new Argument<string>("ENVELOPE_FILE") { Description = "A signed certificate envelope (binary protobuf), as written by certificates issue" };
        var presentedAt = CommonOptions.ParticipantOption("--presented-at", "The participant where the certificate is presented; a certificate destined elsewhere is INVALID", required: false);
        var command = new Command("verify", "Verify a signed certificate with the registry (public: no client certificate is sent)") { file, presentedAt };
        command.SetRun(context, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var envelope = ParseEnvelope(path, await KpregCli.ReadFileAsync(path, "envelope file", ct).ConfigureAwait(false));
            var request = new VerifyCertificateRequest { Envelope = envelope, PresentedAtParticipant = parse.GetValue(presentedAt) ?? "" };

            // Verification is public: whatever --as or --cert say, the call is anonymous.
            using var channel = context.Connect(common, parse, anonymous: true);
            var result = await new Verification.VerificationClient(channel).VerifyCertificateAsync(request, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), result);
            return result.Valid ? KpregCli.ExitOk : KpregCli.ExitInvalid;
        });
        return command;
    }

    internal static SignedEnvelope ParseEnvelope(string path, byte[] content)
    {
        try
        {
            return SignedEnvelope.Parser.ParseFrom(content);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new CliException($"{path} is not a signed envelope (binary protobuf): {e.Message}");
        }
    }
}
