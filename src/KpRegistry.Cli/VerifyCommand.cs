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
        var purpose = new Option<string>("--purpose")
        {
            Description = "plain: is it genuine, and what is its state; import: may the goods be accepted (a certificate already RECEIVED, DETAINED or expired is refused)",
            HelpName = "PURPOSE",
            DefaultValueFactory = _ => "plain",
        };
        purpose.AcceptOnlyFromAmong("plain", "import");
        var offline = new Option<bool>("--offline") { Description = "Verify here, with no network, from a trust list (and revocation list) fetched earlier" };
        var trustList = new Option<string>("--trust-list") { Description = "With --offline: the signed trust list (trust-list fetch --out)", HelpName = "TL.bin" };
        var revocations = new Option<string>("--revocations") { Description = "With --offline: the signed full revocation list (revocations fetch --out)", HelpName = "RL.bin" };
        var pin = TrustListCommands.PinOption(required: false, "With --offline: the first registry key's id, as published out of band; the trust list must chain to it");
        var proof = new Option<string>("--proof") { Description = "With one envelope file: a tlog-proof of the certificate's log entry (certificates proof --out), checked against --log-key (offline: by default the trust list's log key) and the witness policy", HelpName = "x.proof" };
        var (logKey, witnesses, threshold) = LogCommands.TrustOptions();
        logKey.Required = false;
        var command = new Command("verify", "Verify signed certificates or printed ones (their QR code) with the registry (public: no client certificate is sent), or --offline from its signed lists; a folder or several files give a summary")
        {
            files, qr, presentedAt, purpose, offline, trustList, revocations, pin, proof, logKey, witnesses, threshold,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            var paths = parse.GetValue(files)!;
            var settings = new VerifyRun.Settings(parse.GetValue(presentedAt), parse.GetValue(purpose) == "import", parse.GetValue(offline), parse.GetValue(trustList), parse.GetValue(revocations), parse.GetValue(pin));
            using var run = new VerifyRun(context, common, parse, settings);
            run.CheckOptions();
            var json = parse.GetValue(common.Json);
            bool bulk = paths.Length > 1 || Directory.Exists(paths[0]);
            if (parse.GetValue(proof) is not null && (bulk || parse.GetValue(qr)))
                throw new CliException("--proof goes with one envelope file");
            if (bulk)
                return await BulkVerify.RunAsync(context, run, BulkVerify.Expand(paths), parse.GetValue(qr), json, ct).ConfigureAwait(false);

            var outcome = await run.CheckAsync(paths[0], parse.GetValue(qr), ct).ConfigureAwait(false);
            var result = outcome.Result!;
            if (parse.GetValue(proof) is { } proofPath)
            {
                // Offline, the verified trust list carries the log key (signed under the pinned chain);
                // an explicit --log-key still wins, for a key published out of band.
                string key = parse.GetValue(logKey) ?? run.TrustListLogKey
                    ?? throw new CliException("--proof needs --log-key (the log's verifier key, as published out of band), or --offline with a trust list that carries it");
                byte[] envelopeBytes = await KpregCli.ReadFileAsync(paths[0], "envelope file", ct).ConfigureAwait(false);
                string? problem = CheckLogProof(proofPath, await KpregCli.ReadFileAsync(proofPath, "proof file", ct).ConfigureAwait(false), envelopeBytes,
                    LogCommands.Trust(key, parse, witnesses, threshold), out string found);
                context.Error.WriteLine(problem is null ? $"log proof: {found}" : $"log proof REFUSED: {problem}");
                if (problem is not null)
                {
                    Output.Print(context.Output, json, result);
                    return KpregCli.ExitInvalid;
                }
            }
            Output.Print(context.Output, json, result);
            return result.Valid ? KpregCli.ExitOk : KpregCli.ExitInvalid;
        });
        return command;
    }

    /// <summary>
    /// Null when the tlog-proof holds the certificate's log entry (its extra data, hashed into the
    /// leaf) with exactly these envelope bytes, and proves it into a checkpoint <paramref name="trust"/>
    /// accepts; otherwise why not.
    /// </summary>
    internal static string? CheckLogProof(string path, byte[] proofBytes, byte[] envelopeBytes, Domain.Transparency.LogTrust trust, out string found)
    {
        found = "";
        Domain.Transparency.TlogProof proof;
        try
        {
            proof = Domain.Transparency.TlogProof.Parse(System.Text.Encoding.UTF8.GetString(proofBytes));
        }
        catch (Domain.Transparency.TransparencyFormatException e)
        {
            throw new CliException($"{path} is not a tlog-proof: {e.Message}");
        }
        if (proof.Extra is null)
            return "the proof carries no log entry (its extra data is empty)";
        Contracts.Transparency.V1.LogEntry entry;
        try
        {
            entry = Domain.Transparency.LogEntries.Parse(proof.Extra);
        }
        catch (Domain.Transparency.TransparencyFormatException e)
        {
            return e.Message;
        }
        if (entry.SubjectCase != Contracts.Transparency.V1.LogEntry.SubjectOneofCase.Certificate || !entry.Certificate.Envelope.Span.SequenceEqual(envelopeBytes))
            return "the proof's log entry is not this certificate as recorded";
        var check = proof.Verify(Domain.Transparency.MerkleHash.Leaf(proof.Extra), trust);
        if (!check.IsValid)
            return check.Failure;
        found = $"entry {proof.Index} of the checkpoint of {check.Checkpoint!.Size} entries ({check.Witnesses!.Describe()})";
        return null;
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
