using Google.Protobuf;
using KpRegistry.Cli.Tests.Support;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.Cli.Tests;

public sealed class VerifyCommandTests
{
    private static readonly SignedEnvelope Envelope = new()
    {
        Payload = ByteString.CopyFromUtf8("certificate bytes"),
        PayloadType = "application/vnd.kp.certificate.v1+protobuf",
        Signatures = { new Signature { KeyId = new string('d', 64), Sig = ByteString.CopyFrom(new byte[64]) } },
    };

    private static async Task<string> WriteEnvelopeAsync(TempFolder folder)
    {
        var path = folder.File("BW-2026-000001.envelope");
        await File.WriteAllBytesAsync(path, Envelope.ToByteArray(), TestContext.Current.CancellationToken);
        return path;
    }

    [Fact]
    public async Task Verify_Valid_PrintsValidAndExitsZero()
    {
        using var folder = new TempFolder();
        var path = await WriteEnvelopeAsync(folder);
        var result = new VerifyCertificateResult
        {
            Valid = true, IssuingParticipant = "BW", CertificateNumber = "BW-2026-000001", KeyId = new string('d', 64), KeyState = KeyState.Active,
        };
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(result));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("verify", path, "--presented-at", "eu");

        Assert.Equal(0, exit);
        Assert.StartsWith("VALID", run.Output.ToString(), StringComparison.Ordinal);
        var (methodPath, body) = Assert.Single(handler.Calls);
        Assert.Equal("/kp.verification.v1.Verification/VerifyCertificate", methodPath);
        Assert.Equal(new VerifyCertificateRequest { Envelope = Envelope, PresentedAtParticipant = "EU" }, VerifyCertificateRequest.Parser.ParseFrom(body));
    }

    [Fact]
    public async Task Verify_Invalid_PrintsEveryReasonAndDetailAndExitsTwo()
    {
        using var folder = new TempFolder();
        var path = await WriteEnvelopeAsync(folder);
        var result = new VerifyCertificateResult
        {
            Valid = false,
            Reasons = { VerificationReason.KeyRevoked, VerificationReason.WrongDestination },
            Details = { "key dddd compromised since 2026-03-01T00:00:00Z; certificate recorded 2026-03-15T23:30:00Z", "destined for EU, presented at AE" },
        };
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(result));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("verify", path);

        Assert.Equal(2, exit);
        var lines = run.Output.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("INVALID", lines[0]);
        Assert.Contains("reason: KEY_REVOKED", lines);
        Assert.Contains("reason: WRONG_DESTINATION", lines);
        Assert.Contains("detail: key dddd compromised since 2026-03-01T00:00:00Z; certificate recorded 2026-03-15T23:30:00Z", lines);
        Assert.Contains("detail: destined for EU, presented at AE", lines);
    }

    [Fact]
    public async Task Verify_InvalidWithJson_PrintsJsonAndStillExitsTwo()
    {
        using var folder = new TempFolder();
        var path = await WriteEnvelopeAsync(folder);
        var result = new VerifyCertificateResult { Valid = false, Reasons = { VerificationReason.NotRecorded } };
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(result));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("verify", path, "--json");

        Assert.Equal(2, exit);
        Assert.Contains("\"valid\": false", run.Output.ToString());
        Assert.Equal(result, JsonParser.Default.Parse<VerifyCertificateResult>(run.Output.ToString()));
    }

    [Fact]
    public async Task Verify_WithClientCertificateOptions_ConnectsAnonymously()
    {
        using var folder = new TempFolder();
        var path = await WriteEnvelopeAsync(folder);
        var run = new CliRun();

        await run.InvokeAsync("verify", path, "--as", "BW-authority", "--ca", "/pki/ca.crt");

        var settings = Assert.Single(run.Connections);
        Assert.Null(settings.ClientCertificatePath);
        Assert.Null(settings.ClientKeyPath);
        Assert.Equal("/pki/ca.crt", settings.CaPath);
    }

    [Fact]
    public async Task Verify_MissingFile_NamesTheFileAndExitsOne()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("verify", "missing.envelope");

        Assert.Equal(1, exit);
        Assert.Contains("error: envelope file not found: missing.envelope", run.Error.ToString());
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task Verify_NotAnEnvelope_NamesTheFileAndExitsOne()
    {
        using var folder = new TempFolder();
        await File.WriteAllBytesAsync(folder.File("x.envelope"), [0xff, 0xff, 0xff, 0xff], TestContext.Current.CancellationToken);
        var run = new CliRun();

        var exit = await run.InvokeAsync("verify", folder.File("x.envelope"));

        Assert.Equal(1, exit);
        Assert.Contains($"error: {folder.File("x.envelope")} is not a signed envelope", run.Error.ToString());
    }

    [Fact]
    public async Task Verify_ServerUnavailable_PrintsStatusAndExitsOne()
    {
        using var folder = new TempFolder();
        var path = await WriteEnvelopeAsync(folder);
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Fail(Grpc.Core.StatusCode.Unavailable, "shutting down"));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("verify", path);

        Assert.Equal(1, exit);
        Assert.Contains("error: Unavailable: shutting down", run.Error.ToString());
        Assert.Empty(run.Output.ToString());
    }
}
