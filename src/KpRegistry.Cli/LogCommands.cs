using System.CommandLine;
using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Cli;

/// <summary><c>kpreg log key</c>, <c>kpreg log checkpoint</c> and <c>kpreg log monitor</c>: the registry's transparency log (docs/TRANSPARENCY.md).</summary>
internal static class LogCommands
{
    public static Command Build(KpregContext context, CommonOptions common)
    {
        var group = new Command("log", "The registry's transparency log: its key and its checkpoints");
        group.Subcommands.Add(Key(context, common));
        group.Subcommands.Add(CheckpointCommand(context, common));
        group.Subcommands.Add(LogMonitorCommand.Build(context, common));
        return group;
    }

    private static Command Key(KpregContext context, CommonOptions common)
    {
        var command = new Command("key", "Print the log's checkpoint verifier key as the registry announces it (compare it with the one published out of band)");
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse, anonymous: true);
            GetCheckpointResponse response = await new Log.LogClient(channel).GetCheckpointAsync(new GetCheckpointRequest(), cancellationToken: ct).ConfigureAwait(false);
            context.Output.WriteLine(response.LogVerifierKey);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command CheckpointCommand(KpregContext context, CommonOptions common)
    {
        var (logKey, witnesses, threshold) = TrustOptions();
        var command = new Command("checkpoint", "Fetch the latest checkpoint and accept it only with the log's signature and the witness policy (k of the given witnesses)")
        {
            logKey, witnesses, threshold,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            LogTrust trust = Trust(parse, logKey, witnesses, threshold);
            using var channel = context.Connect(common, parse, anonymous: true);
            GetCheckpointResponse response = await new Log.LogClient(channel).GetCheckpointAsync(new GetCheckpointRequest(), cancellationToken: ct).ConfigureAwait(false);
            TransparencyCheck check = trust.VerifyCheckpoint(response.Checkpoint);
            context.Output.Write(response.Checkpoint);
            if (!check.IsValid)
            {
                context.Output.WriteLine($"REFUSED: {check.Failure}");
                return KpregCli.ExitInvalid;
            }
            context.Output.WriteLine($"ACCEPTED: {check.Checkpoint!.Size} entries, root {Convert.ToBase64String(check.Checkpoint.RootHash)}; {check.Witnesses!.Describe()}");
            return KpregCli.ExitOk;
        });
        return command;
    }

    /// <summary>The options naming what a verifier trusts about the log: its key, the witnesses, k.</summary>
    internal static (Option<string> LogKey, Option<string[]> Witnesses, Option<int> Threshold) TrustOptions()
    {
        var logKey = new Option<string>("--log-key") { Description = "The log's verifier key (name+hash+base64), as published out of band", Required = true, HelpName = "KEY" };
        var witnesses = new Option<string[]>("--witness") { Description = "A witness's verifier key (name+hash+base64, type 0x04); repeat for each", HelpName = "KEY", AllowMultipleArgumentsPerToken = false };
        var threshold = new Option<int>("--threshold") { Description = "How many of the --witness keys must cosign (default: all of them)", HelpName = "K", DefaultValueFactory = _ => -1 };
        return (logKey, witnesses, threshold);
    }

    /// <summary>The <see cref="LogTrust"/> the options describe; the origin is the log key's name.</summary>
    internal static LogTrust Trust(ParseResult parse, Option<string> logKey, Option<string[]> witnesses, Option<int> threshold) =>
        Trust(parse.GetValue(logKey)!, parse, witnesses, threshold);

    /// <summary>As above, with the log key from elsewhere (a verified trust list).</summary>
    internal static LogTrust Trust(string logKey, ParseResult parse, Option<string[]> witnesses, Option<int> threshold)
    {
        try
        {
            NoteVerifier log = NoteVerifiers.FromVerifierKey(logKey);
            var witnessKeys = (parse.GetValue(witnesses) ?? []).Select(NoteVerifiers.FromVerifierKey).ToList();
            int k = parse.GetValue(threshold);
            if (k > witnessKeys.Count)
            {
                throw new CliException($"--threshold {k} is more than the {witnessKeys.Count} witness key(s) given");
            }
            return new LogTrust(log.Name, log, new WitnessPolicy(witnessKeys, k < 0 ? witnessKeys.Count : k));
        }
        catch (Exception e) when (e is TransparencyFormatException or CryptoFormatException or ArgumentException)
        {
            throw new CliException($"a log or witness key is not usable: {e.Message}");
        }
    }
}
