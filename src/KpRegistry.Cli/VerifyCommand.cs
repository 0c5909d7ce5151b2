using System.CommandLine;
using Google.Protobuf;
using KpRegistry.Client;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Domain.Wire;

namespace KpRegistry.Cli;

/// <summary>
/// <c>kpreg verify FILE... [--qr] [--offline --trust-list TL.bin [--revocations RL.bin] --pin ID]</c>:
/// exit 0 for VALID, 2 for INVALID, 1 for an error. Offline, the same decision runs here over the
/// signed lists, with the same output; nothing goes over the network. A file may be a photo, scan
/// or PDF of a printed certificate (its QR is read); a folder or several files are verified in bulk
/// (<see cref="BulkVerify"/>).
/// </summary>
internal static class VerifyCommand
{
    public static Command Build(KpregContext context, CommonOptions common)
    {
        var files = new Argument<string[]>("FILES")
        {
            Description = "Signed certificate envelopes (binary protobuf), as written by certificates issue or sign; "
                + "photos, scans or PDFs of printed certificates (.png, .jpg, .jpeg, .pdf: the QR code is read); or folders of them",
            Arity = ArgumentArity.OneOrMore,
        };
        var qr = new Option<bool>("--qr") { Description = "Read every file as a photo, scan or PDF of a printed certificate and verify what its QR code carries (implied for .png, .jpg, .jpeg, .pdf)" };
        var presentedAt = CommonOptions.ParticipantOption("--presented-at", "The participant where the certificate is presented; a certificate destined elsewhere is INVALID", required: false);
        var offline = new Option<bool>("--offline") { Description = "Verify here, with no network, from a trust list (and revocation list) fetched earlier" };
        var trustList = new Option<string>("--trust-list") { Description = "With --offline: the signed trust list (trust-list fetch --out)", HelpName = "TL.bin" };
        var revocations = new Option<string>("--revocations") { Description = "With --offline: the signed full revocation list (revocations fetch --out)", HelpName = "RL.bin" };
        var pin = TrustListCommands.PinOption(required: false, "With --offline: the first registry key's id, as published out of band; the trust list must chain to it");
        var command = new Command("verify", "Verify signed certificates or printed ones (their QR code) with the registry (public: no client certificate is sent), or --offline from its signed lists; a folder or several files give a summary")
        {
            files, qr, presentedAt, offline, trustList, revocations, pin,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            var paths = parse.GetValue(files)!;
            var settings = new VerifyRun.Settings(parse.GetValue(presentedAt), parse.GetValue(offline), parse.GetValue(trustList), parse.GetValue(revocations), parse.GetValue(pin));
            using var run = new VerifyRun(context, common, parse, settings);
            run.CheckOptions();
            var json = parse.GetValue(common.Json);
            if (paths.Length > 1 || Directory.Exists(paths[0]))
                return await BulkVerify.RunAsync(context, run, BulkVerify.Expand(paths), parse.GetValue(qr), json, ct).ConfigureAwait(false);

            var outcome = await run.CheckAsync(paths[0], parse.GetValue(qr), ct).ConfigureAwait(false);
            var result = outcome.Result!;
            Output.Print(context.Output, json, result);
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
