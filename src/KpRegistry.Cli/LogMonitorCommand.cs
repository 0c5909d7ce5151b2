using System.CommandLine;
using Google.Protobuf;
using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Cli;

/// <summary>
/// <c>kpreg log monitor --participant BW</c>: follows the log from the checkpoint saved in a state
/// file, checks that the new checkpoint extends it, and lists every new entry in the participant's
/// name, so a nation sees anything done in its name that it did not do (docs/TRANSPARENCY.md).
/// </summary>
internal static class LogMonitorCommand
{
    /// <summary>
    /// Exit code of an alarm: the log showed a history inconsistent with the saved checkpoint (or
    /// entries that are not its tree's). Distinct from 1 (a failed call) and 2 (a checkpoint the
    /// policy refused), because this one is evidence of a rewritten log.
    /// </summary>
    public const int ExitAlarm = 3;

    private const int EntriesPerCall = 1000;

    public static Command Build(KpregContext context, CommonOptions common)
    {
        var (logKey, witnesses, threshold) = LogCommands.TrustOptions();
        var participant = new Option<string>("--participant") { Description = "The participant whose entries to list (issuer, or destination of a certificate)", Required = true, HelpName = "CODE" };
        var stateFile = new Option<string>("--state") { Description = "The file keeping the last verified checkpoint (default: log-monitor-<CODE>.state); none yet: the whole log is read", HelpName = "FILE" };
        var command = new Command("monitor", "Follow the log from the saved checkpoint: check the new one extends it, list the new entries in the participant's name, then save it")
        {
            participant, stateFile, logKey, witnesses, threshold,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            LogTrust trust = LogCommands.Trust(parse, logKey, witnesses, threshold);
            string code = parse.GetValue(participant)!;
            string path = parse.GetValue(stateFile) ?? $"log-monitor-{code}.state";
            MonitorState? saved = await ReadStateAsync(path, trust, ct).ConfigureAwait(false);

            using var channel = context.Connect(common, parse, anonymous: true);
            var log = new Log.LogClient(channel);
            GetCheckpointResponse latest = await log.GetCheckpointAsync(new GetCheckpointRequest(), cancellationToken: ct).ConfigureAwait(false);
            TransparencyCheck check = trust.VerifyCheckpoint(latest.Checkpoint);
            if (!check.IsValid)
            {
                context.Error.WriteLine($"REFUSED: {check.Failure} (the state file {path} is left as it was)");
                return KpregCli.ExitInvalid;
            }

            var monitor = new LogMonitor(saved, latest.Checkpoint, check.Checkpoint!);
            IReadOnlyList<byte[]> proof = [];
            if (monitor.NeedsConsistencyProof)
            {
                GetConsistencyProofResponse consistency = await log.GetConsistencyProofAsync(
                    new GetConsistencyProofRequest { First = monitor.From, Second = monitor.Next.Size }, cancellationToken: ct).ConfigureAwait(false);
                proof = [.. consistency.Proof.Select(p => p.ToByteArray())];
            }
            if (monitor.CheckConsistency(proof) is { } inconsistent)
            {
                return Alarm(context, inconsistent, saved, latest.Checkpoint, path);
            }

            var listed = new List<string>();
            while (monitor.From + monitor.Read < monitor.Next.Size)
            {
                long start = monitor.From + monitor.Read;
                GetEntriesResponse page = await log.GetEntriesAsync(new GetEntriesRequest
                {
                    Start = start,
                    Count = (int)Math.Min(EntriesPerCall, monitor.Next.Size - start),
                }, cancellationToken: ct).ConfigureAwait(false);
                if (page.Entries.Count == 0 || page.Start != start)
                {
                    throw new CliException($"the registry served no entries from {start}, below its checkpoint's size {monitor.Next.Size}");
                }
                foreach (ByteString bytes in page.Entries.Take((int)(monitor.Next.Size - start)))
                {
                    long index = monitor.From + monitor.Read;
                    monitor.Append(bytes.Span);
                    if (Listing(bytes, code) is { } line)
                    {
                        listed.Add($"{index} {line}");
                    }
                }
            }
            if (monitor.Finish(out MonitorState? next) is { } mismatch)
            {
                return Alarm(context, mismatch, saved, latest.Checkpoint, path);
            }

            foreach (string line in listed)
            {
                context.Output.WriteLine(line);
            }
            await WriteStateAsync(path, next!, ct).ConfigureAwait(false);
            context.Output.WriteLine($"CONSISTENT: entries {monitor.From} to {monitor.Next.Size} of {monitor.Next.Origin} checked, {listed.Count} in {code}'s name; {check.Witnesses!.Describe()}; checkpoint saved to {path}");
            return KpregCli.ExitOk;
        });
        return command;
    }

    /// <summary>The line for an entry in the participant's name, or null; an entry that is not a LogEntry is always listed.</summary>
    private static string? Listing(ByteString bytes, string participant)
    {
        LogEntry entry;
        try
        {
            entry = LogEntries.Parse(bytes.Span);
        }
        catch (TransparencyFormatException)
        {
            return "UNREADABLE: not a log entry (it may be in anyone's name)";
        }
        return LogMonitor.Concerns(entry, participant) ? LogMonitor.Describe(entry) : null;
    }

    private static int Alarm(KpregContext context, string reason, MonitorState? saved, string newNote, string path)
    {
        context.Error.WriteLine($"ALARM: {reason}.");
        context.Error.WriteLine("The saved checkpoint:");
        context.Error.Write(saved?.CheckpointNote ?? "(none: the empty tree)\n");
        context.Error.WriteLine("The registry's new checkpoint:");
        context.Error.Write(newNote);
        context.Error.WriteLine($"Keep both as evidence. The state file {path} is left as it was.");
        return ExitAlarm;
    }

    private static async Task<MonitorState?> ReadStateAsync(string path, LogTrust trust, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        MonitorState state;
        try
        {
            state = MonitorState.Parse(await File.ReadAllTextAsync(path, ct).ConfigureAwait(false));
        }
        catch (TransparencyFormatException e)
        {
            throw new CliException($"the state file {path} is not usable: {e.Message}");
        }
        if (state.Checkpoint.Origin != trust.Origin)
        {
            throw new CliException($"the state file {path} follows the log '{state.Checkpoint.Origin}', not '{trust.Origin}' (the --log-key's)");
        }
        return state;
    }

    /// <summary>Written beside the old file and moved over it, so a crash never leaves half a state.</summary>
    private static async Task WriteStateAsync(string path, MonitorState state, CancellationToken ct)
    {
        string temporary = path + ".new";
        await File.WriteAllTextAsync(temporary, state.Format(), ct).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
