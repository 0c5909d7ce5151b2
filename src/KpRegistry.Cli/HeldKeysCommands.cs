using System.CommandLine;
using KpRegistry.Client;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Wire;

namespace KpRegistry.Cli;

/// <summary>
/// <c>kpreg keys generate | register | rotate | revoke</c>: an authority's own (held) keys, and the
/// rotation and revocation of any key. Added to the <c>keys</c> group.
/// </summary>
/// <remarks>
/// In <c>register</c> and <c>rotate</c>, <c>--key</c> after the command names the HELD signing key
/// (PKCS#8 PEM), not the client certificate's key: give the mutual-TLS identity with <c>--as NAME</c>,
/// or KPREG_CERT and KPREG_KEY, or <c>--cert/--key</c> before the command words.
/// </remarks>
internal static class HeldKeysCommands
{
    public static IEnumerable<Command> Build(KpregContext context, CommonOptions common) =>
        [Generate(context), Register(context, common), Rotate(context, common), Revoke(context, common)];

    /// <summary>The held key option; it shadows the connection's --key after these commands.</summary>
    private static Option<string> KeyOption(string description, bool required) =>
        new("--key", "--signing-key") { Description = description, Required = required, HelpName = "KEY.pem" };

    private static Command Generate(KpregContext context)
    {
        var algorithm = CommonOptions.AlgorithmOption("Key algorithm", defaultWord: "ed25519");
        var output = new Option<string>("--out") { Description = "Where to write the private key (PKCS#8 PEM, owner-only permissions); never overwritten", Required = true, HelpName = "KEY.pem" };
        var command = new Command("generate", "Generate a key pair on this machine for an authority to hold; prints the key id and the public key, never the private key")
        {
            algorithm, output,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            var path = parse.GetValue(output)!;
            using var key = SigningKey.Generate(KeyFiles.ToDomainAlgorithm(parse.GetValue(algorithm)!));
            await KeyFiles.WriteNewAsync(path, key, ct).ConfigureAwait(false);
            context.Output.WriteLine($"key id:    {key.KeyId}");
            context.Output.WriteLine($"algorithm: {parse.GetValue(algorithm)}");
            context.Output.WriteLine($"private key written to {path} (keep it; kpreg never prints it)");
            context.Output.Write(PublicKeys.ToPem(key.Spki));
            context.Output.WriteLine($"register it with: kpreg keys register --key {path} --participant CODE --as NAME-authority");
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Register(KpregContext context, CommonOptions common)
    {
        var key = KeyOption("The held private key to register (PKCS#8 PEM); it signs the proof of possession. Here --key is the held key: give the client certificate with --as, or KPREG_CERT and KPREG_KEY", required: true);
        var participant = CommonOptions.ParticipantOption("--participant", "The participant the key signs for", required: true);
        var authority = new Option<string>("--authority") { Description = "The authority the key signs for, e.g. BW-MMEWR; any of the participant's when omitted", HelpName = "CODE" };
        var command = new Command("register", "Register a key the authority holds: only its public key, with a fresh proof of possession") { key, participant, authority };
        command.SetRun(context, async (parse, ct) =>
        {
            using var signingKey = await KeyFiles.ReadAsync(parse.GetValue(key)!, "key file", ct).ConfigureAwait(false);
            var request = new RegisterKeyRequest
            {
                Statement = KeyStatementFactory.Registration(signingKey, parse.GetValue(participant)!, parse.GetValue(authority), context.Time.GetUtcNow()),
                Algorithm = WireEnums.ToWire(signingKey.Algorithm),
            };
            using var channel = context.Connect(common, parse);
            var registered = await new Registry.RegistryClient(channel).RegisterKeyAsync(request, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), registered);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Rotate(KpregContext context, CommonOptions common)
    {
        var keyId = KeyIdArgument("The ACTIVE key to retire");
        var newKey = KeyOption("A held key: the NEW private key (PKCS#8 PEM); it signs the rotation statement. Here --key is the held key: give the client certificate with --as, or KPREG_CERT and KPREG_KEY", required: false);
        var currentKey = new Option<string>("--current-key") { Description = "A held key: the CURRENT private key, which consents by signing too; an admin may omit it when the key is lost or compromised", HelpName = "CURRENT.pem" };
        var algorithm = CommonOptions.AlgorithmOption("A managed key: the new key's algorithm; the old key's when omitted", defaultWord: null);
        var command = new Command("rotate", "Replace an ACTIVE key: the new key becomes ACTIVE, the old one RETIRED (managed: the registry makes the new key; held: --key)")
        {
            keyId, newKey, currentKey, algorithm,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            var current = parse.GetValue(keyId)!;
            var newKeyPath = parse.GetValue(newKey);
            var currentKeyPath = parse.GetValue(currentKey);
            var algorithmWord = parse.GetValue(algorithm);
            if (newKeyPath is null && currentKeyPath is not null)
                throw new CliException("--current-key signs a held key's rotation: give the new key with --key too");

            using var channel = context.Connect(common, parse);
            var client = new Registry.RegistryClient(channel);
            var request = new RotateKeyRequest { KeyId = current };
            if (newKeyPath is null)
            {
                if (algorithmWord is not null)
                    request.Algorithm = Words.ToKeyAlgorithm(algorithmWord);
            }
            else
            {
                using var signingKey = await KeyFiles.ReadAsync(newKeyPath, "new key file", ct).ConfigureAwait(false);
                using var consenting = currentKeyPath is null ? null : await KeyFiles.ReadAsync(currentKeyPath, "current key file", ct).ConfigureAwait(false);
                if (consenting is not null && consenting.KeyId != current)
                    throw new CliException($"--current-key holds key {consenting.KeyId}, not {current}, the key being rotated");
                if (algorithmWord is not null && KeyFiles.ToDomainAlgorithm(algorithmWord) != signingKey.Algorithm)
                    throw new CliException($"--algorithm {algorithmWord} does not match the new key, which is {Words.Of(WireEnums.ToWire(signingKey.Algorithm))}");
                // The statement names the participant and authority of the key it replaces: ask the registry (public).
                var old = await client.GetKeyAsync(new GetKeyRequest { KeyId = current }, cancellationToken: ct).ConfigureAwait(false);
                request.Statement = KeyStatementFactory.Rotation(signingKey, consenting, old.ParticipantCode,
                    old.AuthorityCode, current, context.Time.GetUtcNow());
                request.Algorithm = WireEnums.ToWire(signingKey.Algorithm);
            }

            var response = await client.RotateKeyAsync(request, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Revoke(KpregContext context, CommonOptions common)
    {
        var keyId = KeyIdArgument("The key to revoke");
        var reason = new Option<string>("--reason") { Description = "Why, 1 to 500 characters", Required = true, HelpName = "TEXT" };
        var since = new Option<string>("--compromised-since") { Description = "RFC 3339 instant from which the key is compromised (e.g. 2026-11-01T00:00:00Z); now when omitted", HelpName = "RFC3339" };
        since.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not null && !Instants.TryParse(value, out _))
                result.AddError($"--compromised-since must be an RFC 3339 instant such as 2026-11-01T00:00:00Z, not '{value}'");
        });
        var command = new Command("revoke", "Revoke a key as compromised: certificates recorded from --compromised-since on become invalid; prints them")
        {
            keyId, reason, since,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            var request = new RevokeKeyRequest
            {
                KeyId = parse.GetValue(keyId)!,
                Reason = parse.GetValue(reason)!,
                CompromisedSince = parse.GetValue(since) ?? "",
            };
            using var channel = context.Connect(common, parse);
            var response = await new Registry.RegistryClient(channel).RevokeKeyAsync(request, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Argument<string> KeyIdArgument(string description)
    {
        var argument = new Argument<string>("KEYID")
        {
            Description = description + ": 64 hex characters (SHA-256 of the SPKI)",
            CustomParser = r => r.Tokens[0].Value.ToLowerInvariant(),
        };
        argument.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value is not null && !Domain.Keys.KeyIds.IsWellFormed(value))
                result.AddError($"KEYID must be 64 hexadecimal characters, not '{value}'");
        });
        return argument;
    }
}
