using System.CommandLine;
using KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Cli;

/// <summary><c>kpreg participants list | show | admit | set-status</c>.</summary>
internal static class ParticipantsCommands
{
    public static Command Build(KpregContext context, CommonOptions common)
    {
        var group = new Command("participants", "Participants of the Kimberley Process and their status");
        group.Subcommands.Add(List(context, common));
        group.Subcommands.Add(Show(context, common));
        group.Subcommands.Add(Admit(context, common));
        group.Subcommands.Add(SetStatus(context, common));
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
}
