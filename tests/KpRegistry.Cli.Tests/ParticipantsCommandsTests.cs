using KpRegistry.Cli.Tests.Support;
using KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Cli.Tests;

public sealed class ParticipantsCommandsTests
{
    [Fact]
    public async Task SetStatus_UnknownStatusWord_FailsListingTheWords()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("participants", "set-status", "BW", "asleep");

        Assert.Equal(1, exit);
        var error = run.Error.ToString();
        Assert.Contains("'asleep'", error);
        Assert.Contains("active-restricted", error);
        Assert.Contains("self-suspended", error);
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task SetStatus_BadDate_FailsNamingTheOption()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("participants", "set-status", "BW", "suspended", "--from", "15/03/2026");

        Assert.Equal(1, exit);
        Assert.Contains("--from must be a date YYYY-MM-DD, not '15/03/2026'", run.Error.ToString());
    }

    [Fact]
    public async Task SetStatus_ValidWords_SendsTheRequest()
    {
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(new Participant { Code = "BW", Name = "Botswana", Status = ParticipantStatus.SelfSuspended }));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("participants", "set-status", "bw", "self-suspended", "--from", "2026-04-01", "--reason", "Plenary 2026", "--as", "admin");

        Assert.Equal(0, exit);
        var (path, body) = Assert.Single(handler.Calls);
        Assert.Equal("/kp.registry.v1.Registry/SetParticipantStatus", path);
        Assert.Equal(
            new SetParticipantStatusRequest { Code = "BW", Status = ParticipantStatus.SelfSuspended, EffectiveFrom = "2026-04-01", Reason = "Plenary 2026" },
            SetParticipantStatusRequest.Parser.ParseFrom(body));
        Assert.Contains("self-suspended", run.Output.ToString());
    }

    [Fact]
    public async Task Admit_WithoutName_FailsAtParse()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("participants", "admit", "BW");

        Assert.Equal(1, exit);
        Assert.Contains("--name", run.Error.ToString());
    }

    [Fact]
    public async Task Admit_CodeNotTwoLetters_FailsAtParse()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("participants", "admit", "BWA", "--name", "Botswana");

        Assert.Equal(1, exit);
        Assert.Contains("two letters", run.Error.ToString());
    }

    [Fact]
    public async Task List_Json_PrintsProtobufJson()
    {
        var response = new ListParticipantsResponse { Participants = { new Participant { Code = "BW", Name = "Botswana", Status = ParticipantStatus.Active } } };
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(response));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("participants", "list", "--json");

        Assert.Equal(0, exit);
        Assert.Equal(response, Google.Protobuf.JsonParser.Default.Parse<ListParticipantsResponse>(run.Output.ToString()));
    }
}
