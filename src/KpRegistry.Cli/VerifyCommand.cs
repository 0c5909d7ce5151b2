using System.CommandLine;
using Google.Protobuf;
using KpRegistry.Client;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Domain.Wire;

namespace KpRegistry.Cli;

/// <summary>
/// <c>kpreg verify ENVELOPE_FILE [--offline --trust-list TL.bin [--revocations RL.bin] --pin ID]</c>:
/// exit 0 for VALID, 2 for INVALID, 1 for an error. Offline, the same decision runs here over the
/// signed lists, with the same output; nothing goes over the network.
/// </summary>
internal static class VerifyCommand
{
    public static Command Build(KpregContext context, CommonOptions common)
    {
        var file = new Argument<string>("ENVELOPE_FILE") { Description = "A signed certificate envelope (binary protobuf), as written by certificates issue or sign" };
        var presentedAt = CommonOptions.ParticipantOption("--presented-at", "The participant where the certificate is presented; a certificate destined elsewhere is INVALID", required: false);
        var offline = new Option<bool>("--offline") { Description = "Verify here, with no network, from a trust list (and revocation list) fetched earlier" };
        var trustList = new Option<string>("--trust-list") { Description = "With --offline: the signed trust list (trust-list fetch --out)", HelpName = "TL.bin" };
        var revocations = new Option<string>("--revocations") { Description = "With --offline: the signed full revocation list (revocations fetch --out)", HelpName = "RL.bin" };
        var pin = TrustListCommands.PinOption(required: false, "With --offline: the first registry key's id, as published out of band; the trust list must chain to it");
        var proof = new Option<string>("--proof") { Description = "With --offline: a tlog-proof of the certificate's log entry (certificates proof --out), checked against --log-key and the witness policy", HelpName = "x.proof" };
        var (logKey, witnesses, threshold) = LogCommands.TrustOptions();
        logKey.Required = false;
        var command = new Command("verify", "Verify a signed certificate with the registry (public: no client certificate is sent), or --offline from its signed lists")
        {
            file, presentedAt, offline, trustList, revocations, pin, proof, logKey, witnesses, threshold,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            byte[] envelopeBytes = await KpregCli.ReadFileAsync(path, "envelope file", ct).ConfigureAwait(false);
            var envelope = ParseEnvelope(path, envelopeBytes);
            var presented = parse.GetValue(presentedAt);
            VerifyCertificateResult result;
            if (parse.GetValue(offline))
            {
                var trustListPath = parse.GetValue(trustList) ?? throw new CliException("--offline needs --trust-list TL.bin (kpreg trust-list fetch --out TL.bin)");
                var pinned = parse.GetValue(pin) ?? throw new CliException("--offline needs --pin FIRST_REGISTRY_KEY_ID: the trust list is trusted only when its key chain starts at the pinned key");
                var revocationsPath = parse.GetValue(revocations);
                var verifier = OfflineVerifier.Create(
                    pinned,
                    ParseEnvelope(trustListPath, await KpregCli.ReadFileAsync(trustListPath, "trust list file", ct).ConfigureAwait(false)),
                    revocationsPath is null ? null : ParseEnvelope(revocationsPath, await KpregCli.ReadFileAsync(revocationsPath, "revocation list file", ct).ConfigureAwait(false)));
                var now = context.Time.GetUtcNow();
                if (verifier.IsStale(now))
                    context.Error.WriteLine($"warning: the lists were due for renewal at {verifier.NextUpdate:yyyy-MM-ddTHH:mm:ssZ}; fetch them again (revocations since then are unknown here)");
                if (revocationsPath is null)
                    context.Error.WriteLine("warning: no --revocations: revoked keys and cancelled certificates since the trust list are unknown here");
                var decision = verifier.Verify(envelope, now, new Domain.Verification.VerificationContext { PresentedAtParticipant = presented });
                result = VerificationResultMapping.ToWire(decision);
                if (parse.GetValue(proof) is { } proofPath)
                {
                    if (parse.GetValue(logKey) is null)
                        throw new CliException("--proof needs --log-key: the log's verifier key, as published out of band");
                    string? problem = CheckLogProof(proofPath, await KpregCli.ReadFileAsync(proofPath, "proof file", ct).ConfigureAwait(false), envelopeBytes,
                        LogCommands.Trust(parse, logKey, witnesses, threshold), out string found);
                    context.Error.WriteLine(problem is null ? $"log proof: {found}" : $"log proof REFUSED: {problem}");
                    if (problem is not null)
                    {
                        Output.Print(context.Output, parse.GetValue(common.Json), result);
                        return KpregCli.ExitInvalid;
                    }
                }
            }
            else
            {
                if (parse.GetValue(trustList) is not null || parse.GetValue(revocations) is not null || parse.GetValue(pin) is not null)
                    throw new CliException("--trust-list, --revocations and --pin are for --offline verification; add --offline");
                var request = new VerifyCertificateRequest { Envelope = envelope, PresentedAtParticipant = presented ?? "" };

                // Verification is public: whatever --as or --cert say, the call is anonymous.
                using var channel = context.Connect(common, parse, anonymous: true);
                result = await new Verification.VerificationClient(channel).VerifyCertificateAsync(request, cancellationToken: ct).ConfigureAwait(false);
            }

            Output.Print(context.Output, parse.GetValue(common.Json), result);
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
