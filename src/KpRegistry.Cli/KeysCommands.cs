using System.CommandLine;
using KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Cli;

/// <summary><c>kpreg keys create | list | show</c>; generate, register, rotate and revoke are in <see cref="HeldKeysCommands"/>.</summary>
internal static class KeysCommands
{
    public static Command Build(KpregContext context, CommonOptions common)
    {
        var group = new Command("keys", "Participants' signing keys: the registry's (public parts only) and keys an authority holds");
        group.Subcommands.Add(Create(context, common));
        group.Subcommands.Add(List(context, common));
        group.Subcommands.Add(Show(context, common));
        foreach (var command in HeldKeysCommands.Build(context, common))
            group.Subcommands.Add(command);
        return group;
    }

    private static Command Create(KpregContext context, CommonOptions common)
    {
        var participant = CommonOptions.ParticipantOption("--participant", "The participant the key signs for", required: true);
        var algorithm = CommonOptions.AlgorithmOption("Key algorithm", defaultWord: "ed25519");
        var authority = new Option<string>("--authority") { Description = "The authority the key signs for, e.g. BW-MMEWR; any of the participant's when omitted", HelpName = "CODE" };
        var command = new Command("create", "Create a managed key: the registry generates it and keeps the private key") { participant, algorithm, authority };
        command.SetRun(context, async (parse, ct) =>
        {
            var request = new CreateKeyRequest
            {
                ParticipantCode = parse.GetValue(participant),
                Algorithm = Words.ToKeyAlgorithm(parse.GetValue(algorithm)!),
                AuthorityCode = parse.GetValue(authority) ?? "",
            };
            using var channel = context.Connect(common, parse);
            var key = await new Registry.RegistryClient(channel).CreateKeyAsync(request, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), key);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command List(KpregContext context, CommonOptions common)
    {
        var participant = CommonOptions.ParticipantOption("--participant", "Only this participant's keys", required: false);
        var command = new Command("list", "Keys, newest first") { participant };
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse);
            var response = await new Registry.RegistryClient(channel)
                .ListKeysAsync(new ListKeysRequest { ParticipantCode = parse.GetValue(participant) ?? "" }, cancellationToken: ct)
                .ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Show(KpregContext context, CommonOptions common)
    {
        var keyId = new Argument<string>("KEYID") { Description = "Key id: 64 lowercase hex characters (SHA-256 of the SPKI)" };
        var pem = new Option<bool>("--pem") { Description = "Print only the public key as SPKI PEM, for OpenSSL" };
        var command = new Command("show", "One key by id") { keyId, pem };
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse);
            var key = await new Registry.RegistryClient(channel)
                .GetKeyAsync(new GetKeyRequest { KeyId = parse.GetValue(keyId)!.ToLowerInvariant() }, cancellationToken: ct)
                .ConfigureAwait(false);
            if (parse.GetValue(pem))
                context.Output.WriteLine(Output.PublicKeyPem(key));
            else
                Output.Print(context.Output, parse.GetValue(common.Json), key);
            return KpregCli.ExitOk;
        });
        return command;
    }
}
