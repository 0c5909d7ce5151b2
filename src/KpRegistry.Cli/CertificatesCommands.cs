using System.CommandLine;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;

namespace KpRegistry.Cli;

/// <summary><c>kpreg certificates sample | issue | get | confirm | resolve | replace | list</c>; sign, submit and cancel are in <see cref="HeldCertificatesCommands"/>.</summary>
internal static class CertificatesCommands
{
    public static Command Build(KpregContext context, CommonOptions common)
    {
        var group = new Command("certificates", "Kimberley Process certificates: write a sample, issue, sign locally, submit, look up, cancel, print");
        group.Subcommands.Add(Sample(context, common));
        group.Subcommands.Add(Issue(context, common));
        group.Subcommands.Add(Get(context, common));
        group.Subcommands.Add(Confirm(context, common));
        group.Subcommands.Add(Resolve(context, common));
        group.Subcommands.Add(Replace(context, common));
        group.Subcommands.Add(List(context, common));
        group.Subcommands.Add(Proof(context, common));
        foreach (var command in HeldCertificatesCommands.Build(context, common))
            group.Subcommands.Add(command);
        group.Subcommands.Add(Paper.PrintCommand.Build(context));
        return group;
    }

    private static Command Sample(KpregContext context, CommonOptions common)
    {
        var issuer = CommonOptions.ParticipantOption("--issuer", "The issuing participant, e.g. BW", required: true);
        var destination = CommonOptions.ParticipantOption("--destination", "The destination participant, e.g. EU", required: true);
        var number = new Option<string>("--number") { Description = "Certificate number, beginning with the issuer's code; ISSUER-YEAR-NNNNNN (random) when omitted", HelpName = "NUMBER" };
        var authority = new Option<string>("--authority") { Description = "Issuing authority as registered for the issuer; ISSUER-KP when omitted", HelpName = "CODE" };
        var output = new Option<string>("--out") { Description = "Write the JSON to this file instead of standard output", HelpName = "FILE" };
        var command = new Command("sample", "Write a valid certificate (every Annex I field filled) as protobuf JSON, to edit and issue")
        {
            issuer, destination, number, authority, output,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            var today = DateOnly.FromDateTime(context.Time.GetUtcNow().UtcDateTime);
            var certificate = SampleCertificate.Create(
                parse.GetValue(issuer)!, parse.GetValue(destination)!, today, parse.GetValue(number), parse.GetValue(authority));
            var json = Output.JsonFormatter.Format(certificate);
            var path = parse.GetValue(output);
            if (path is null)
            {
                context.Output.WriteLine(json);
            }
            else
            {
                await File.WriteAllTextAsync(path, json + "\n", ct).ConfigureAwait(false);
                context.Output.WriteLine($"wrote {path} (certificate {certificate.CertificateNumber}); issue it with: kpreg certificates issue {path}");
            }

            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Issue(KpregContext context, CommonOptions common)
    {
        var file = new Argument<string>("FILE") { Description = "The certificate as protobuf JSON (see certificates sample)" };
        var algorithm = CommonOptions.AlgorithmOption("Sign with the participant's managed key of this algorithm; the registry's preference when omitted", defaultWord: null);
        var output = new Option<string>("--out") { Description = "Where to write the signed envelope (binary protobuf); <number>.envelope when omitted", HelpName = "ENVELOPE_FILE" };
        var command = new Command("issue", "Have the registry sign and record a certificate (authority)") { file, algorithm, output };
        command.SetRun(context, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var certificate = ParseCertificate(path, await KpregCli.ReadFileAsync(path, "certificate file", ct).ConfigureAwait(false));
            var request = new IssueCertificateRequest { Certificate = certificate };
            if (parse.GetValue(algorithm) is { } word)
                request.Algorithm = Words.ToSigningAlgorithm(word);

            using var channel = context.Connect(common, parse);
            var response = await new Certificates.CertificatesClient(channel).IssueCertificateAsync(request, cancellationToken: ct).ConfigureAwait(false);
            return await WriteSignedAsync(context, parse, common, output, response, certificate, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Get(KpregContext context, CommonOptions common)
    {
        var issuer = CommonOptions.ParticipantArgument("ISSUER", "The issuing participant, e.g. BW");
        var number = new Argument<string>("NUMBER") { Description = "The certificate number, e.g. BW-2026-000001" };
        var output = new Option<string>("--out") { Description = "Also write the recorded envelope (binary protobuf) to this file", HelpName = "FILE" };
        var command = new Command("get", "The recorded certificate and its state") { issuer, number, output };
        command.SetRun(context, async (parse, ct) =>
        {
            var request = new GetCertificateRequest { IssuingParticipant = parse.GetValue(issuer), CertificateNumber = parse.GetValue(number) };
            using var channel = context.Connect(common, parse);
            var response = await new Certificates.CertificatesClient(channel).GetCertificateAsync(request, cancellationToken: ct).ConfigureAwait(false);

            var json = parse.GetValue(common.Json);
            Output.Print(context.Output, json, response);
            if (parse.GetValue(output) is { } path)
            {
                if (response.Envelope is null)
                    throw new CliException("the registry answered without a signed envelope; nothing was written");
                await File.WriteAllBytesAsync(path, response.Envelope.ToByteArray(), ct).ConfigureAwait(false);
                (json ? context.Error : context.Output).WriteLine($"wrote {path}");
            }

            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Proof(KpregContext context, CommonOptions common)
    {
        var issuer = CommonOptions.ParticipantArgument("ISSUER", "The issuing participant, e.g. BW");
        var number = new Argument<string>("NUMBER") { Description = "The certificate number, e.g. BW-2026-000001" };
        var output = new Option<string>("--out") { Description = "Where to write the C2SP tlog-proof of the certificate's log entry", Required = true, HelpName = "x.proof" };
        var command = new Command("proof", "Write an offline proof (C2SP tlog-proof) that the certificate is in the registry's transparency log") { issuer, number, output };
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse, anonymous: true);
            var found = await new Certificates.CertificatesClient(channel).GetCertificateAsync(
                new GetCertificateRequest { IssuingParticipant = parse.GetValue(issuer), CertificateNumber = parse.GetValue(number) }, cancellationToken: ct).ConfigureAwait(false);
            var result = await new KpRegistry.Contracts.Verification.V1.Verification.VerificationClient(channel).VerifyCertificateAsync(
                new KpRegistry.Contracts.Verification.V1.VerifyCertificateRequest { Envelope = found.Envelope }, cancellationToken: ct).ConfigureAwait(false);
            if (!result.HasLogIndex || result.Checkpoint.Length == 0)
            {
                throw new CliException("the certificate is not in a published checkpoint yet (one follows within a second or so); try again");
            }
            // The entry's bytes go in the proof's extra data: the verifier hashes them into the leaf
            // (so the inclusion proof authenticates them) and checks they hold this very envelope.
            var entries = await new KpRegistry.Contracts.Transparency.V1.Log.LogClient(channel).GetEntriesAsync(
                new KpRegistry.Contracts.Transparency.V1.GetEntriesRequest { Start = result.LogIndex, Count = 1 }, cancellationToken: ct).ConfigureAwait(false);
            var proof = new KpRegistry.Domain.Transparency.TlogProof(result.LogIndex, [.. result.InclusionProof.Select(p => p.ToByteArray())], result.Checkpoint,
                entries.Entries[0].ToByteArray());
            string path = parse.GetValue(output)!;
            await File.WriteAllTextAsync(path, proof.Format(), ct).ConfigureAwait(false);
            context.Output.WriteLine($"log index {result.LogIndex} of a checkpoint of {KpRegistry.Domain.Transparency.Checkpoint.Parse(KpRegistry.Domain.Transparency.SignedNote.Parse(result.Checkpoint).Text).Size} entries");
            context.Output.WriteLine($"wrote {path}");
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Confirm(KpregContext context, CommonOptions common)
    {
        var issuer = CommonOptions.ParticipantArgument("ISSUER", "The issuing participant, e.g. BW");
        var number = new Argument<string>("NUMBER") { Description = "The certificate number, e.g. BW-2026-000001" };
        var authority = new Option<string>("--authority") { Description = "The importing authority, e.g. EU-BE", HelpName = "CODE", Required = true };
        var received = CommonOptions.DateOption("--received", "The date the shipment arrived; today when omitted");
        var parcels = new Option<uint>("--parcels") { Description = "The number of parcels that arrived", HelpName = "N", Required = true };
        var carats = new Option<string>("--carats") { Description = "The weight on arrival in carats, to two decimals, e.g. 1450.50", HelpName = "CARATS", Required = true };
        var broken = new Option<string[]>("--broken-seal") { Description = "A seal id found broken; repeat for each", HelpName = "SEAL_ID", AllowMultipleArgumentsPerToken = false };
        var sealsBroken = new Option<bool>("--seals-broken") { Description = "The seals were found broken (implied by --broken-seal)" };
        var remarks = new Option<string>("--remarks") { Description = "Remarks of the importing authority", HelpName = "TEXT" };
        var algorithm = CommonOptions.AlgorithmOption("Sign with the importing participant's managed key of this algorithm; the registry's preference when omitted", defaultWord: null);
        var command = new Command("confirm", "Confirm the arrival of a shipment (importing authority): RECEIVED when it matches the certificate, DETAINED naming each difference")
        {
            issuer, number, authority, received, parcels, carats, broken, sealsBroken, remarks, algorithm,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            string[] brokenIds = parse.GetValue(broken) ?? [];
            var confirmation = new ImportConfirmation
            {
                FormatVersion = 1,
                IssuingParticipant = parse.GetValue(issuer),
                CertificateNumber = parse.GetValue(number),
                ImportingAuthority = parse.GetValue(authority),
                DateReceived = parse.GetValue(received) ?? Domain.Certificates.CertificateDates.ToText(DateOnly.FromDateTime(context.Time.GetUtcNow().UtcDateTime)),
                ParcelsReceived = parse.GetValue(parcels),
                CaratsReceivedHundredths = Hundredths(parse.GetValue(carats)!),
                SealsIntact = !parse.GetValue(sealsBroken) && brokenIds.Length == 0,
                Remarks = parse.GetValue(remarks) ?? "",
            };
            confirmation.BrokenSealIds.AddRange(brokenIds);
            var request = new ConfirmImportRequest { Confirmation = confirmation };
            if (parse.GetValue(algorithm) is { } word)
                request.Algorithm = Words.ToSigningAlgorithm(word);

            using var channel = context.Connect(common, parse);
            var response = await new Certificates.CertificatesClient(channel).ConfirmImportAsync(request, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    /// <summary>"1450.50" carats as 145050 hundredths; at most two decimals, never floating point.</summary>
    internal static ulong Hundredths(string carats)
    {
        string[] parts = carats.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 || !parts[0].All(char.IsAsciiDigit)
            || (parts.Length == 2 && (parts[1].Length is 0 or > 2 || !parts[1].All(char.IsAsciiDigit)))
            || !ulong.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong whole)
            || whole > ulong.MaxValue / 100)
        {
            throw new CliException($"--carats must be a weight in carats with at most two decimals, such as 1450.50, not '{carats}'");
        }
        ulong fraction = parts.Length == 2 ? ulong.Parse(parts[1].PadRight(2, '0'), System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (whole * 100) + fraction;
    }

    private static Command Resolve(KpregContext context, CommonOptions common)
    {
        var issuer = CommonOptions.ParticipantArgument("ISSUER", "The issuing participant, e.g. BW");
        var number = new Argument<string>("NUMBER") { Description = "The certificate number, e.g. BW-2026-000001" };
        var decision = new Option<string>("--decision") { Description = "release (RECEIVED) or refuse (REFUSED, on the revocation list)", HelpName = "DECISION", Required = true };
        decision.AcceptOnlyFromAmong("release", "refuse");
        var reason = new Option<string>("--reason") { Description = "Why, 1 to 500 characters", HelpName = "TEXT", Required = true };
        var command = new Command("resolve", "Resolve a DETAINED shipment (destination authority or admin)") { issuer, number, decision, reason };
        command.SetRun(context, async (parse, ct) =>
        {
            var request = new ResolveDetentionRequest
            {
                IssuingParticipant = parse.GetValue(issuer),
                CertificateNumber = parse.GetValue(number),
                Decision = parse.GetValue(decision) == "release" ? DetentionDecision.Release : DetentionDecision.Refuse,
                Reason = parse.GetValue(reason),
            };
            using var channel = context.Connect(common, parse);
            var response = await new Certificates.CertificatesClient(channel).ResolveDetentionAsync(request, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Replace(KpregContext context, CommonOptions common)
    {
        var file = new Argument<string>("FILE") { Description = "The new certificate as protobuf JSON, with a new number and replacesCertificateNumber naming the old one" };
        var reason = new Option<string>("--reason") { Description = "Why the old one is replaced, 1 to 500 characters", HelpName = "TEXT", Required = true };
        var algorithm = CommonOptions.AlgorithmOption("Sign with the participant's managed key of this algorithm; the registry's preference when omitted", defaultWord: null);
        var output = new Option<string>("--out") { Description = "Where to write the signed envelope; <number>.envelope when omitted", HelpName = "ENVELOPE_FILE" };
        var command = new Command("replace", "Issue a replacement certificate; the old one becomes REPLACED and goes on the revocation list (issuing authority)")
        {
            file, reason, algorithm, output,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var certificate = ParseCertificate(path, await KpregCli.ReadFileAsync(path, "certificate file", ct).ConfigureAwait(false));
            var request = new ReplaceCertificateRequest { Certificate = certificate, Reason = parse.GetValue(reason) };
            if (parse.GetValue(algorithm) is { } word)
                request.Algorithm = Words.ToSigningAlgorithm(word);

            using var channel = context.Connect(common, parse);
            var response = await new Certificates.CertificatesClient(channel).ReplaceCertificateAsync(request, cancellationToken: ct).ConfigureAwait(false);
            return await WriteSignedAsync(context, parse, common, output, response, certificate, ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Issue and replace alike: the signed envelope the registry returned, written where --out says, and the record printed.</summary>
    private static async Task<int> WriteSignedAsync(KpregContext context, ParseResult parse, CommonOptions common, Option<string> output,
        IssueCertificateResponse response, Certificate certificate, CancellationToken ct)
    {
        if (response.Envelope is null)
            throw new CliException("the registry answered without a signed envelope; nothing was written");
        var json = parse.GetValue(common.Json);
        var envelopePath = parse.GetValue(output) ?? DefaultEnvelopePath(response.Record?.CertificateNumber ?? certificate.CertificateNumber);
        await File.WriteAllBytesAsync(envelopePath, response.Envelope.ToByteArray(), ct).ConfigureAwait(false);
        Output.Print(context.Output, json, response);
        (json ? context.Error : context.Output).WriteLine($"wrote {envelopePath}; verify it with: kpreg verify {envelopePath}");
        return KpregCli.ExitOk;
    }

    private static Command List(KpregContext context, CommonOptions common)
    {
        var issuer = CommonOptions.ParticipantOption("--issuer", "Only certificates of this issuer", required: false);
        var destination = CommonOptions.ParticipantOption("--destination", "Only certificates destined for this participant", required: false);
        var state = new Option<string>("--state") { Description = "Only certificates in this state", HelpName = "STATE" };
        state.AcceptOnlyFromAmong(Words.CertificateStateWords);
        var from = CommonOptions.DateOption("--from", "Only certificates issued on or after this date");
        var to = CommonOptions.DateOption("--to", "Only certificates issued on or before this date");
        var pageSize = new Option<uint>("--page-size") { Description = "At most this many (1 to 500); 100 when omitted", HelpName = "N" };
        var pageToken = new Option<string>("--page-token") { Description = "The next_page_token of the previous page", HelpName = "TOKEN" };
        var command = new Command("list", "The certificates the caller may see: an authority its exports and imports (advance notice of what is on its way), an admin all")
        {
            issuer, destination, state, from, to, pageSize, pageToken,
        };
        command.SetRun(context, async (parse, ct) =>
        {
            var request = new ListCertificatesRequest
            {
                IssuingParticipant = parse.GetValue(issuer) ?? "",
                DestinationParticipant = parse.GetValue(destination) ?? "",
                State = parse.GetValue(state) is { } word ? Words.ToCertificateState(word) : CertificateState.Unspecified,
                IssuedFrom = parse.GetValue(from) ?? "",
                IssuedTo = parse.GetValue(to) ?? "",
                PageSize = parse.GetValue(pageSize),
                PageToken = parse.GetValue(pageToken) ?? "",
            };
            using var channel = context.Connect(common, parse);
            var response = await new Certificates.CertificatesClient(channel).ListCertificatesAsync(request, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    /// <summary>The certificate in a protobuf JSON file; unknown fields are refused, not dropped.</summary>
    internal static Certificate ParseCertificate(string path, byte[] content)
    {
        try
        {
            return JsonParser.Default.Parse<Certificate>(System.Text.Encoding.UTF8.GetString(content));
        }
        catch (Exception e) when (e is InvalidJsonException or InvalidProtocolBufferException)
        {
            throw new CliException($"{path} is not a certificate in protobuf JSON: {e.Message}");
        }
    }

    /// <summary>"BW-2026-000001.envelope"; a '/' in the number (allowed there) would name a folder.</summary>
    internal static string DefaultEnvelopePath(string number) =>
        (number.Length == 0 ? "certificate" : number.Replace('/', '_')) + ".envelope";
}
