using System.CommandLine;
using Google.Protobuf;
using KpRegistry.Client;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KeyIds = KpRegistry.Domain.Keys.KeyIds;
using KeyStatements = KpRegistry.Domain.Keys.KeyStatements;

namespace KpRegistry.Cli;

/// <summary><c>kpreg trust-list fetch</c>: the registry's signed trust list, for offline verification.</summary>
internal static class TrustListCommands
{
    public static Command Build(KpregContext context, CommonOptions common)
    {
        var group = new Command("trust-list", "The registry's signed trust list: every participant and key, for offline verification");
        group.Subcommands.Add(Fetch(context, common));
        return group;
    }

    private static Command Fetch(KpregContext context, CommonOptions common)
    {
        var output = new Option<string>("--out") { Description = "Where to write the signed trust list (binary protobuf SignedEnvelope)", Required = true, HelpName = "TL.bin" };
        var pin = PinOption(required: false, "Verify the list before writing it: the first registry key's id, as published out of band");
        var command = new Command("fetch", "Fetch the signed trust list (public: no client certificate is sent)") { output, pin };
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse, anonymous: true);
            var envelope = await new Verification.VerificationClient(channel).GetTrustListAsync(new GetTrustListRequest(), cancellationToken: ct).ConfigureAwait(false);

            TrustList list;
            string verified;
            if (parse.GetValue(pin) is { } pinned)
            {
                var checkedList = TrustListVerifier.Verify(pinned, envelope);
                list = checkedList.List;
                verified = $"verified: chain from pinned key {pinned.ToLowerInvariant()} to the signing key {checkedList.Chain.Current.KeyId}";
            }
            else
            {
                list = ParseUnverified(envelope);
                verified = "NOT verified (no --pin): kpreg verify --offline --pin checks it before use";
            }

            var path = parse.GetValue(output)!;
            await File.WriteAllBytesAsync(path, envelope.ToByteArray(), ct).ConfigureAwait(false);
            Describe(context.Output, list, envelope);
            context.Output.WriteLine($"  {verified}");
            context.Output.WriteLine($"wrote {path}");
            return KpregCli.ExitOk;
        });
        return command;
    }

    /// <summary>The --pin option: the id of the first registry key, as published out of band.</summary>
    internal static Option<string> PinOption(bool required, string description)
    {
        var option = new Option<string>("--pin") { Description = description, Required = required, HelpName = "FIRST_REGISTRY_KEY_ID" };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not null && !KeyIds.IsWellFormed(value.ToLowerInvariant()))
                result.AddError($"--pin must be a key id of 64 hexadecimal characters, not '{value}'");
        });
        return option;
    }

    /// <summary>Version, dates, counts and the registry key chain of a trust list.</summary>
    internal static void Describe(TextWriter w, TrustList list, SignedEnvelope envelope)
    {
        w.WriteLine($"trust list version {list.Version}");
        w.WriteLine($"  issued at:     {list.IssuedAt}");
        w.WriteLine($"  next update:   {(list.NextUpdate.Length == 0 ? "(none)" : list.NextUpdate)}");
        w.WriteLine($"  participants:  {list.Participants.Count(p => p.Code != Domain.Registry.RegistryParticipant.Code)}");
        w.WriteLine($"  keys:          {list.Keys.Count} ({list.Keys.Count(k => k.State == KeyState.Active)} active, "
            + $"{list.Keys.Count(k => k.State == KeyState.Retired)} retired, {list.Keys.Count(k => k.State == KeyState.Revoked)} revoked)");
        w.WriteLine($"  registry key chain ({list.RegistryKeyChain.Count} link(s), oldest first):");
        for (int i = 0; i < list.RegistryKeyChain.Count; i++)
        {
            var keyId = KeyStatements.TryParse(list.RegistryKeyChain[i], out _)?.KeyId ?? "(unreadable link)";
            w.WriteLine($"    {i + 1}  {keyId}{(i == list.RegistryKeyChain.Count - 1 ? "  (current)" : "")}");
        }
        w.WriteLine($"  signed by:     {string.Join(", ", envelope.Signatures.Select(s => s.KeyId))}");
    }

    private static TrustList ParseUnverified(SignedEnvelope envelope)
    {
        if (envelope.PayloadType != Domain.Envelopes.PayloadTypes.TrustList)
            throw new CliException($"the registry answered with payload type '{envelope.PayloadType}', not a trust list; nothing was written");
        try
        {
            return TrustList.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new CliException($"the registry's trust list does not parse: {e.Message}; nothing was written");
        }
    }
}
