using Google.Protobuf;
using KpRegistry.Cli.Tests.Support;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;

namespace KpRegistry.Cli.Tests;

/// <summary>certificates sign | submit | cancel, and verify --offline with lists the test signs.</summary>
public sealed class HeldCertificatesCommandsTests
{
    private const string Number = "BW-2026-000321";

    /// <summary>A held BW key, a sample certificate signed with it by kpreg, and signed lists listing the key.</summary>
    private sealed class Scenario : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public SignedLists Lists { get; } = new();
        public SigningKey Key { get; private set; } = null!;
        public string Envelope => Folder.File(Number + ".envelope");
        public string TrustList => Folder.File("tl.bin");
        public string Revocations => Folder.File("rl.bin");

        public static async Task<Scenario> CreateAsync()
        {
            var s = new Scenario();
            var run = new CliRun();
            Assert.Equal(0, await run.InvokeAsync("keys", "generate", "--out", s.Folder.File("bw.pem")));
            Assert.Equal(0, await run.InvokeAsync("certificates", "sample", "--issuer", "BW", "--destination", "EU", "--authority", SignedLists.BwAuthority,
                "--number", Number, "--out", s.Folder.File("bw.json")));
            s.Key = SigningKey.ImportPkcs8Pem(await File.ReadAllTextAsync(s.Folder.File("bw.pem"), TestContext.Current.CancellationToken));
            s.Lists.WithKey("BW", s.Key.KeyId, s.Key.Spki, KeyAlgorithm.Ed25519);
            await File.WriteAllBytesAsync(s.TrustList, s.Lists.SignedTrustList().ToByteArray(), TestContext.Current.CancellationToken);
            return s;
        }

        public void Dispose()
        {
            Key?.Dispose();
            Lists.Dispose();
            Folder.Dispose();
        }
    }

    [Fact]
    public async Task Sign_ThenVerifyOffline_IsValidAndExitsZero()
    {
        using var s = await Scenario.CreateAsync();
        var run = new CliRun();

        Assert.Equal(0, await run.InvokeAsync("certificates", "sign", s.Folder.File("bw.json"), "--key", s.Folder.File("bw.pem"), "--out", s.Envelope));
        var exit = await run.InvokeAsync("verify", s.Envelope, "--offline", "--trust-list", s.TrustList, "--pin", s.Lists.Pin, "--presented-at", "EU");

        Assert.Equal(0, exit);
        var output = run.Output.ToString();
        Assert.Contains("VALID", output);
        Assert.DoesNotContain("INVALID", output);
        Assert.Contains(s.Key.KeyId, output);
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task Sign_TamperedThenVerifyOffline_IsBadSignatureAndExitsTwo()
    {
        using var s = await Scenario.CreateAsync();
        var run = new CliRun();
        Assert.Equal(0, await run.InvokeAsync("certificates", "sign", s.Folder.File("bw.json"), "--key", s.Folder.File("bw.pem"), "--out", s.Envelope));
        var envelope = SignedEnvelope.Parser.ParseFrom(await File.ReadAllBytesAsync(s.Envelope, TestContext.Current.CancellationToken));
        var certificate = Certificate.Parser.ParseFrom(envelope.Payload);
        certificate.NumberOfParcels += 1;
        envelope.Payload = certificate.ToByteString();
        await File.WriteAllBytesAsync(s.Envelope, envelope.ToByteArray(), TestContext.Current.CancellationToken);

        var exit = await run.InvokeAsync("verify", s.Envelope, "--offline", "--trust-list", s.TrustList, "--pin", s.Lists.Pin);

        Assert.Equal(2, exit);
        Assert.Contains("INVALID", run.Output.ToString());
        Assert.Contains("reason: BAD_SIGNATURE", run.Output.ToString());
    }

    [Fact]
    public async Task VerifyOffline_CertificateCancelledOnTheRevocationList_IsInvalid()
    {
        using var s = await Scenario.CreateAsync();
        var run = new CliRun();
        Assert.Equal(0, await run.InvokeAsync("certificates", "sign", s.Folder.File("bw.json"), "--key", s.Folder.File("bw.pem"), "--out", s.Envelope));
        var envelope = SignedEnvelope.Parser.ParseFrom(await File.ReadAllBytesAsync(s.Envelope, TestContext.Current.CancellationToken));
        var entry = new RevocationEntry
        {
            Version = 1, Kind = RevocationKind.CertificateCancelled, IssuingParticipant = "BW", CertificateNumber = Number,
            PayloadSha256 = ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(envelope.Payload.Span)),
            CertificateRecordedAt = "2026-03-15T22:00:00Z", Reason = "stolen in transit",
        };
        await File.WriteAllBytesAsync(s.Revocations, s.Lists.SignedRevocations(1, entry).ToByteArray(), TestContext.Current.CancellationToken);

        var exit = await run.InvokeAsync("verify", s.Envelope, "--offline", "--trust-list", s.TrustList, "--revocations", s.Revocations, "--pin", s.Lists.Pin);

        Assert.Equal(2, exit);
        Assert.Contains("reason: CERTIFICATE_CANCELLED", run.Output.ToString());
    }

    [Fact]
    public async Task VerifyOffline_WrongPin_FailsWithExitOne()
    {
        using var s = await Scenario.CreateAsync();
        var run = new CliRun();
        Assert.Equal(0, await run.InvokeAsync("certificates", "sign", s.Folder.File("bw.json"), "--key", s.Folder.File("bw.pem"), "--out", s.Envelope));

        var exit = await run.InvokeAsync("verify", s.Envelope, "--offline", "--trust-list", s.TrustList, "--pin", s.Key.KeyId);

        Assert.Equal(1, exit);
        Assert.Contains("not the pinned first registry key", run.Error.ToString());
    }

    [Fact]
    public async Task VerifyOffline_WithoutPin_FailsWithExitOne()
    {
        using var s = await Scenario.CreateAsync();
        var run = new CliRun();
        Assert.Equal(0, await run.InvokeAsync("certificates", "sign", s.Folder.File("bw.json"), "--key", s.Folder.File("bw.pem"), "--out", s.Envelope));

        var exit = await run.InvokeAsync("verify", s.Envelope, "--offline", "--trust-list", s.TrustList);

        Assert.Equal(1, exit);
        Assert.Contains("--pin", run.Error.ToString());
    }

    [Fact]
    public async Task Verify_TrustListWithoutOffline_FailsWithoutConnecting()
    {
        using var s = await Scenario.CreateAsync();
        var run = new CliRun();
        Assert.Equal(0, await run.InvokeAsync("certificates", "sign", s.Folder.File("bw.json"), "--key", s.Folder.File("bw.pem"), "--out", s.Envelope));

        var exit = await run.InvokeAsync("verify", s.Envelope, "--trust-list", s.TrustList);

        Assert.Equal(1, exit);
        Assert.Contains("add --offline", run.Error.ToString());
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task Submit_SendsTheEnvelopeExactlyAsSigned()
    {
        using var s = await Scenario.CreateAsync();
        var run = new CliRun();
        Assert.Equal(0, await run.InvokeAsync("certificates", "sign", s.Folder.File("bw.json"), "--key", s.Folder.File("bw.pem"), "--out", s.Envelope));
        var record = new CertificateRecord { IssuingParticipant = "BW", CertificateNumber = Number, State = CertificateState.Issued, KeyId = s.Key.KeyId };
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(new SubmitCertificateResponse { Record = record }));
        run.Channel = _ => handler.Channel();

        var exit = await run.InvokeAsync("certificates", "submit", s.Envelope, "--as", "BW-authority");

        Assert.Equal(0, exit);
        var (path, body) = Assert.Single(handler.Calls);
        Assert.Equal("/kp.certificate.v1.Certificates/SubmitCertificate", path);
        Assert.Equal(await File.ReadAllBytesAsync(s.Envelope, TestContext.Current.CancellationToken),
            SubmitCertificateRequest.Parser.ParseFrom(body).Envelope.ToByteArray());
        Assert.Contains($"certificate {Number}", run.Output.ToString());
    }

    [Fact]
    public async Task Cancel_SendsIssuerNumberAndReason()
    {
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(new CertificateRecord { IssuingParticipant = "BW", CertificateNumber = Number, State = CertificateState.Cancelled }));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("certificates", "cancel", "bw", Number, "--reason", "shipment called off", "--as", "BW-authority");

        Assert.Equal(0, exit);
        Assert.Equal(new CancelCertificateRequest { IssuingParticipant = "BW", CertificateNumber = Number, Reason = "shipment called off" },
            CancelCertificateRequest.Parser.ParseFrom(Assert.Single(handler.Calls).Request));
        Assert.Contains("cancelled", run.Output.ToString());
    }

    [Fact]
    public async Task TrustListFetch_WithPin_VerifiesWritesAndPrintsTheChain()
    {
        using var s = await Scenario.CreateAsync();
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(s.Lists.SignedTrustList()));
        var run = new CliRun { Channel = _ => handler.Channel() };
        var output = s.Folder.File("fetched.bin");

        var exit = await run.InvokeAsync("trust-list", "fetch", "--out", output, "--pin", s.Lists.Pin, "--as", "BW-authority");

        Assert.Equal(0, exit);
        Assert.Equal("/kp.verification.v1.Verification/GetTrustList", Assert.Single(handler.Calls).Path);
        Assert.Null(Assert.Single(run.Connections).ClientCertificatePath);
        var printed = run.Output.ToString();
        Assert.Contains("trust list version 3", printed);
        Assert.Contains("participants:  3", printed);
        Assert.Contains($"1  {s.Lists.Pin}", printed);
        Assert.Contains("(current)", printed);
        Assert.Contains("verified", printed);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task TrustListFetch_WrongPin_FailsAndWritesNothing()
    {
        using var s = await Scenario.CreateAsync();
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(s.Lists.SignedTrustList()));
        var run = new CliRun { Channel = _ => handler.Channel() };
        var output = s.Folder.File("fetched.bin");

        var exit = await run.InvokeAsync("trust-list", "fetch", "--out", output, "--pin", new string('e', 64));

        Assert.Equal(1, exit);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task RevocationsFetch_Since_RequestsTheDeltaAndPrintsCounts()
    {
        using var s = await Scenario.CreateAsync();
        var entry = new RevocationEntry { Version = 5, Kind = RevocationKind.Key, KeyId = s.Key.KeyId, CompromisedSince = "2026-03-01T00:00:00Z" };
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(s.Lists.SignedRevocations(5, entry)));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("revocations", "fetch", "--since", "4", "--out", s.Revocations);

        Assert.Equal(0, exit);
        Assert.Equal(4ul, GetRevocationListRequest.Parser.ParseFrom(Assert.Single(handler.Calls).Request).SinceVersion);
        Assert.Contains("revocation list version 5", run.Output.ToString());
        Assert.Contains("1 keys revoked", run.Output.ToString());
        Assert.True(File.Exists(s.Revocations));
    }
}
