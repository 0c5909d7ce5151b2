using System.CommandLine;
using KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Cli;

/// <summary><c>kpreg participants list | show | admit | set-status | add-authority | remove-authority | set-zones | set-embargo | set-licensing</c>.</summary>
internal static class ParticipantsCommands
{
    public static Command Build(KpregContext context, CommonOptions common)
    {
        var group = new Command("participants", "Participants of the Kimberley Process and their status");
        group.Subcommands.Add(List(context, common));
        group.Subcommands.Add(Show(context, common));
        group.Subcommands.Add(Admit(context, common));
        group.Subcommands.Add(SetStatus(context, common));
        group.Subcommands.Add(AddAuthority(context, common));
        group.Subcommands.Add(RemoveAuthority(context, common));
        group.Subcommands.Add(SetZones(context, common));
        group.Subcommands.Add(SetEmbargo(context, common));
        group.Subcommands.Add(SetLicensing(context, common));
        return group;
    }

    private static Command List(KpregContext context, CommonOptions common)
    {
        var command = new Command("list", "Every participant with its status today");
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse);
            var response = await new Registry.RegistryClient(channel)
                .ListParticipantsAsync(new ListParticipantsRequest(), cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Show(KpregContext context, CommonOptions common)
    {
        var code = CommonOptions.ParticipantArgument("CODE", "Participant code, e.g. BW");
        var command = new Command("show", "One participant with its status history and authorities") { code };
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse);
            var response = await new Registry.RegistryClient(channel)
                .GetParticipantAsync(new GetParticipantRequest { Code = parse.GetValue(code) }, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command Admit(KpregContext context, CommonOptions common)
    {
        var code = CommonOptions.ParticipantArgument("CODE", "Code of the new participant, e.g. BW, or EU for the Union");
        var name = new Option<string>("--name") { Description = "English name", Required = true };
        var from = CommonOptions.DateOption("--from", "ACTIVE from this date; today when omitted");
        var reason = new Option<string>("--reason") { Description = "The plenary decision or other reason" };
        var maxValidity = new Option<uint>("--max-validity-days") { Description = "Longest certificate validity in days; 0 for none" };
        var command = new Command("admit", "Admit a participant (admin)") { code, name, from, reason, maxValidity };
        command.SetRun(context, async (parse, ct) =>
        {
            var request = new AdmitParticipantRequest
            {
                Code = parse.GetValue(code),
                Name = parse.GetValue(name),
                EffectiveFrom = parse.GetValue(from) ?? "",
                Reason = parse.GetValue(reason) ?? "",
                MaxValidityDays = parse.GetValue(maxValidity),
            };
            using var channel = context.Connect(common, parse);
            var response = await new Registry.RegistryClient(channel)
                .AdmitParticipantAsync(request, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command SetStatus(KpregContext context, CommonOptions common)
    {
        var code = CommonOptions.ParticipantArgument("CODE", "Participant code");
        var status = new Argument<string>("STATUS") { Description = "The new status: " + string.Join(", ", Words.StatusWords) };
        status.AcceptOnlyFromAmong(Words.StatusWords);
        var from = CommonOptions.DateOption("--from", "The new status holds from this date; today when omitted");
        var reason = new Option<string>("--reason") { Description = "Why, e.g. the plenary decision" };
        var command = new Command("set-status", "Append a status period to a participant's history (admin)") { code, status, from, reason };
        command.SetRun(context, async (parse, ct) =>
        {
            var request = new SetParticipantStatusRequest
            {
                Code = parse.GetValue(code),
                Status = Words.ToParticipantStatus(parse.GetValue(status)!),
                EffectiveFrom = parse.GetValue(from) ?? "",
                Reason = parse.GetValue(reason) ?? "",
            };
            using var channel = context.Connect(common, parse);
            var response = await new Registry.RegistryClient(channel)
                .SetParticipantStatusAsync(request, cancellationToken: ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    /// <summary>Runs one administration RPC that answers with the participant, and prints it.</summary>
    private static Command Administer(KpregContext context, CommonOptions common, Command command,
        Func<ParseResult, Registry.RegistryClient, CancellationToken, Task<Participant>> call)
    {
        command.SetRun(context, async (parse, ct) =>
        {
            using var channel = context.Connect(common, parse);
            Participant response = await call(parse, new Registry.RegistryClient(channel), ct).ConfigureAwait(false);
            Output.Print(context.Output, parse.GetValue(common.Json), response);
            return KpregCli.ExitOk;
        });
        return command;
    }

    private static Command AddAuthority(KpregContext context, CommonOptions common)
    {
        var code = CommonOptions.ParticipantArgument("CODE", "Participant code, e.g. EU");
        var authority = new Argument<string>("AUTHORITY") { Description = "Authority code: the participant's code, '-', then A-Z, 0-9, '-' (e.g. EU-BE)" };
        var name = new Option<string>("--name") { Description = "The authority's name", Required = true };
        var command = new Command("add-authority", "Register an issuing or importing authority of a participant (admin)") { code, authority, name };
        return Administer(context, common, command, async (parse, client, ct) => await client.AddAuthorityAsync(new AddAuthorityRequest
        {
            ParticipantCode = parse.GetValue(code), Code = parse.GetValue(authority)!.ToUpperInvariant(), Name = parse.GetValue(name)!,
        }, cancellationToken: ct).ConfigureAwait(false));
    }

    private static Command RemoveAuthority(KpregContext context, CommonOptions common)
    {
        var code = CommonOptions.ParticipantArgument("CODE", "Participant code, e.g. EU");
        var authority = new Argument<string>("AUTHORITY") { Description = "Authority code, e.g. EU-BE" };
        var on = CommonOptions.DateOption("--from", "The first day it is no longer an authority; today when omitted");
        var reason = new Option<string>("--reason") { Description = "Why" };
        var command = new Command("remove-authority", "End an authority; what it issued before stays valid (admin)") { code, authority, on, reason };
        return Administer(context, common, command, async (parse, client, ct) => await client.RemoveAuthorityAsync(new RemoveAuthorityRequest
        {
            ParticipantCode = parse.GetValue(code), Code = parse.GetValue(authority)!.ToUpperInvariant(), EffectiveOn = parse.GetValue(on) ?? "", Reason = parse.GetValue(reason) ?? "",
        }, cancellationToken: ct).ConfigureAwait(false));
    }

    private static Command SetZones(KpregContext context, CommonOptions common)
    {
        var code = CommonOptions.ParticipantArgument("CODE", "Participant code, e.g. CF");
        var zones = new Argument<string[]>("ZONE") { Description = "The approved zones from --from on; none to approve none", Arity = ArgumentArity.ZeroOrMore };
        var from = CommonOptions.DateOption("--from", "The zones hold from this date; today when omitted");
        var reason = new Option<string>("--reason") { Description = "Why, e.g. the administrative decision" };
        var command = new Command("set-zones", "Set the approved zones of origin of an ACTIVE_RESTRICTED participant (admin)") { code, zones, from, reason };
        return Administer(context, common, command, async (parse, client, ct) =>
        {
            var request = new SetZonesRequest { ParticipantCode = parse.GetValue(code), EffectiveFrom = parse.GetValue(from) ?? "", Reason = parse.GetValue(reason) ?? "" };
            request.Zones.AddRange(parse.GetValue(zones) ?? []);
            return await client.SetZonesAsync(request, cancellationToken: ct).ConfigureAwait(false);
        });
    }

    private static Command SetEmbargo(KpregContext context, CommonOptions common)
    {
        var code = CommonOptions.ParticipantArgument("CODE", "The issuer whose rough diamonds the embargo covers");
        var from = CommonOptions.DateOption("--from", "First day of the embargo; today when omitted");
        var to = CommonOptions.DateOption("--to", "First day after the embargo; open-ended when omitted");
        var destinations = new Option<string[]>("--destination") { Description = "Only towards this participant (repeatable); every destination when omitted", AllowMultipleArgumentsPerToken = true };
        var origins = new Option<string[]>("--origin") { Description = "Only for this origin (repeatable); every origin when omitted", AllowMultipleArgumentsPerToken = true };
        var reason = new Option<string>("--reason") { Description = "The measure, e.g. a UN Security Council resolution", Required = true };
        var supersedes = new Option<ulong>("--supersedes") { Description = "The id of the embargo this one replaces (to lift or change it)" };
        var command = new Command("set-embargo", "Record a dated embargo on an issuer (admin)") { code, from, to, destinations, origins, reason, supersedes };
        return Administer(context, common, command, async (parse, client, ct) =>
        {
            var request = new SetEmbargoRequest
            {
                IssuingParticipant = parse.GetValue(code), EffectiveFrom = parse.GetValue(from) ?? "", EffectiveTo = parse.GetValue(to) ?? "",
                Reason = parse.GetValue(reason)!, SupersedesId = parse.GetValue(supersedes),
            };
            request.Destinations.AddRange((parse.GetValue(destinations) ?? []).Select(d => d.ToUpperInvariant()));
            request.Origins.AddRange((parse.GetValue(origins) ?? []).Select(o => o.ToUpperInvariant()));
            return await client.SetEmbargoAsync(request, cancellationToken: ct).ConfigureAwait(false);
        });
    }

    private static Command SetLicensing(KpregContext context, CommonOptions common)
    {
        var code = CommonOptions.ParticipantArgument("CODE", "Participant code");
        var value = new Argument<string>("LICENSES") { Description = "yes: exporters are licensed and certificates must carry the licence number; no: not" };
        value.AcceptOnlyFromAmong("yes", "no");
        var reason = new Option<string>("--reason") { Description = "Why" };
        var command = new Command("set-licensing", "Set whether a participant licenses its exporters (admin)") { code, value, reason };
        return Administer(context, common, command, async (parse, client, ct) => await client.SetLicensingAsync(new SetLicensingRequest
        {
            ParticipantCode = parse.GetValue(code), LicensesExporters = parse.GetValue(value) == "yes", Reason = parse.GetValue(reason) ?? "",
        }, cancellationToken: ct).ConfigureAwait(false));
    }
}
