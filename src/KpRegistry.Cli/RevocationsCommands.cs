using System.CommandLine;
using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.Cli;

/// <summary><c>kpreg revocations fetch</c> and <c>watch</c>: the registry's signed revocation list, full, as a delta, or live.</summary>
internal static class RevocationsCommands
{
    public static Command Build(KpregContext context, CommonOptions common)
    {
        var group = new Command("revocations", "The registry's signed revocation list: revoked keys, cancelled and replaced certificates");
        group.Subcommands.Add(Fetch(context, common));
        group.Subcommands.Add(Watch(context, common));
        return group;
    }

    private static Command Watch(KpregContext context, CommonOptions common)
    {
        var since = new Option<ulong>("--since") { Description = "Replay the entries newer than this version first (0, the default: all), then follow", HelpName = "N" };
        var count = new Option<int>("--count") { Description = "Stop after this many signed lists (the replay counts as one); 0, the default, follows until Ctrl+C", HelpName = "N" };
        var command = new Command("watch", "Follow revocations live: the replay, then each new entry as the registry records it (public)") { since, count };
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse, anonymous: true);
            using var call = new Verification.VerificationClient(channel)
                .WatchRevocations(new WatchRevocationsRequest { SinceVersion = parse.GetValue(since) }, cancellationToken: ct);
            int wanted = parse.GetValue(count);
            int received = 0;
            while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
            {
                SignedEnvelope envelope = call.ResponseStream.Current;
                RevocationList list = RevocationList.Parser.ParseFrom(envelope.Payload);
                Describe(context.Output, list, envelope);
                foreach (RevocationEntry entry in list.Entries)
                {
                    context.Output.WriteLine("  " + Line(entry));
                }
                await context.Output.FlushAsync(ct).ConfigureAwait(false);
                if (wanted > 0 && ++received >= wanted)
                {
                    break;
                }
            }
            return KpregCli.ExitOk;
        });
        return command;
    }

    /// <summary>One entry on one line: its version, what it revokes, since when and why.</summary>
    internal static string Line(RevocationEntry entry) => entry.Kind switch
    {
        RevocationKind.Key => $"v{entry.Version} key {entry.KeyId} revoked, compromised since {entry.CompromisedSince}: {entry.Reason}",
        RevocationKind.CertificateCancelled => $"v{entry.Version} certificate {entry.IssuingParticipant}/{entry.CertificateNumber} cancelled: {entry.Reason}",
        RevocationKind.CertificateReplaced => $"v{entry.Version} certificate {entry.IssuingParticipant}/{entry.CertificateNumber} replaced: {entry.Reason}",
        _ => $"v{entry.Version} {entry.Kind}: {entry.Reason}",
    };

    private static Command Fetch(KpregContext context, CommonOptions common)
    {
        var since = new Option<ulong>("--since") { Description = "Only the entries newer than this version (a delta); 0, the default, for the full list", HelpName = "N" };
        var output = new Option<string>("--out") { Description = "Where to write the signed revocation list (binary protobuf SignedEnvelope)", Required = true, HelpName = "RL.bin" };
        var command = new Command("fetch", "Fetch the signed revocation list (public: no client certificate is sent)") { since, output };
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse, anonymous: true);
            var envelope = await new Verification.VerificationClient(channel)
                .GetRevocationListAsync(new GetRevocationListRequest { SinceVersion = parse.GetValue(since) }, cancellationToken: ct).ConfigureAwait(false);
            if (envelope.PayloadType != Domain.Envelopes.PayloadTypes.Revocations)
                throw new CliException($"the registry answered with payload type '{envelope.PayloadType}', not a revocation list; nothing was written");
            RevocationList list;
            try
            {
                list = RevocationList.Parser.ParseFrom(envelope.Payload);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new CliException($"the registry's revocation list does not parse: {e.Message}; nothing was written");
            }

            var path = parse.GetValue(output)!;
            await File.WriteAllBytesAsync(path, envelope.ToByteArray(), ct).ConfigureAwait(false);
            Describe(context.Output, list, envelope);
            context.Output.WriteLine("  NOT verified here: kpreg verify --offline --trust-list TL.bin --revocations RL.bin --pin ID checks it against the trust list's key chain");
            context.Output.WriteLine($"wrote {path}");
            return KpregCli.ExitOk;
        });
        return command;
    }

    /// <summary>Versions, dates, entry counts by kind and the signing key ids of a revocation list.</summary>
    internal static void Describe(TextWriter w, RevocationList list, SignedEnvelope envelope)
    {
        w.WriteLine(list.SinceVersion == 0
            ? $"revocation list version {list.Version} (full)"
            : $"revocation list version {list.Version} (delta: the entries after version {list.SinceVersion})");
        w.WriteLine($"  issued at:     {list.IssuedAt}");
        w.WriteLine($"  next update:   {(list.NextUpdate.Length == 0 ? "(none)" : list.NextUpdate)}");
        w.WriteLine($"  entries:       {list.Entries.Count} ({list.Entries.Count(e => e.Kind == RevocationKind.Key)} keys revoked, "
            + $"{list.Entries.Count(e => e.Kind == RevocationKind.CertificateCancelled)} certificates cancelled, "
            + $"{list.Entries.Count(e => e.Kind == RevocationKind.CertificateReplaced)} replaced)");
        w.WriteLine($"  signed by:     {string.Join(", ", envelope.Signatures.Select(s => s.KeyId))}");
    }
}
