using Google.Protobuf;
using KpRegistry.Cli.Tests.Support;
using KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Cli.Tests;

public sealed class KeysCommandsTests
{
    [Fact]
    public async Task Create_UnknownAlgorithmWord_FailsListingTheWords()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("keys", "create", "--participant", "BW", "--algorithm", "rsa-2048");

        Assert.Equal(1, exit);
        var error = run.Error.ToString();
        Assert.Contains("'rsa-2048'", error);
        Assert.Contains("ml-dsa-65", error);
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task Create_AlgorithmOmitted_RequestsEd25519()
    {
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(new Key { KeyId = new string('a', 64), ParticipantCode = "BW" }));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("keys", "create", "--participant", "BW", "--authority", "BW-MMEWR", "--as", "BW-authority");

        Assert.Equal(0, exit);
        var request = CreateKeyRequest.Parser.ParseFrom(Assert.Single(handler.Calls).Request);
        Assert.Equal(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.Ed25519, AuthorityCode = "BW-MMEWR" }, request);
    }

    [Fact]
    public async Task Show_Pem_PrintsOnlyThePublicKeyPem()
    {
        var spki = Convert.FromBase64String("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=");
        var key = new Key { KeyId = new string('b', 64), Spki = ByteString.CopyFrom(spki), Algorithm = KeyAlgorithm.Ed25519 };
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(key));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("keys", "show", new string('B', 64), "--pem");

        Assert.Equal(0, exit);
        Assert.Equal(new string('b', 64), GetKeyRequest.Parser.ParseFrom(Assert.Single(handler.Calls).Request).KeyId);
        Assert.Equal(
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----",
            run.Output.ToString().Trim());
    }
}
