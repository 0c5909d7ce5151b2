using KpRegistry.Cli.Tests.Support;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Crypto;
using ExpectedKeyStatement = KpRegistry.Domain.Keys.ExpectedKeyStatement;
using KeyStatements = KpRegistry.Domain.Keys.KeyStatements;
using DomainAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;
using KeyAlgorithm = KpRegistry.Contracts.Registry.V1.KeyAlgorithm;

namespace KpRegistry.Cli.Tests;

public sealed class HeldKeysCommandsTests
{
    [Theory]
    [InlineData("ed25519", DomainAlgorithm.Ed25519)]
    [InlineData("ecdsa-p256", DomainAlgorithm.EcdsaP256)]
    [InlineData("ml-dsa-65", DomainAlgorithm.MlDsa65)]
    public async Task Generate_WritesPkcs8ThatSigningKeyReads_AndPrintsNoPrivateKey(string word, DomainAlgorithm algorithm)
    {
        using var folder = new TempFolder();
        var run = new CliRun();

        var exit = await run.InvokeAsync("keys", "generate", "--algorithm", word, "--out", folder.File("bw.pem"));

        Assert.Equal(0, exit);
        var pem = await File.ReadAllTextAsync(folder.File("bw.pem"), TestContext.Current.CancellationToken);
        using var key = SigningKey.ImportPkcs8Pem(pem);
        Assert.Equal(algorithm, key.Algorithm);
        var printed = run.Output.ToString() + run.Error.ToString();
        Assert.Contains(key.KeyId, printed);
        Assert.Contains(PublicKeys.ToPem(key.Spki).Trim(), printed);
        Assert.DoesNotContain("PRIVATE KEY-----", printed);
        var body = pem.Split('\n')[1];
        Assert.DoesNotContain(body, printed);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.File("bw.pem")));
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task Generate_ExistingFile_RefusesAndLeavesItUntouched()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("bw.pem"), "keep me", TestContext.Current.CancellationToken);
        var run = new CliRun();

        var exit = await run.InvokeAsync("keys", "generate", "--out", folder.File("bw.pem"));

        Assert.Equal(1, exit);
        Assert.Contains("never overwrites", run.Error.ToString());
        Assert.Equal("keep me", await File.ReadAllTextAsync(folder.File("bw.pem"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Register_HeldKey_SendsAFreshProofOfPossessionThatTheDomainAccepts()
    {
        using var folder = new TempFolder();
        using var key = await GenerateAsync(folder, "bw.pem", "ecdsa-p256");
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(new Key { KeyId = key.KeyId, ParticipantCode = "BW" }));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("keys", "register", "--key", folder.File("bw.pem"), "--participant", "bw", "--authority", "BW-MMGE", "--as", "BW-authority");

        Assert.Equal(0, exit);
        var (path, body) = Assert.Single(handler.Calls);
        Assert.Equal("/kp.registry.v1.Registry/RegisterKey", path);
        var request = RegisterKeyRequest.Parser.ParseFrom(body);
        Assert.Equal(KeyAlgorithm.EcdsaP256, request.Algorithm);
        var statement = KeyStatements.TryParse(request.Statement, out var problem) ?? throw new Xunit.Sdk.XunitException(problem);
        Assert.Equal("BW-MMGE", statement.AuthorityCode);
        Assert.Empty(KeyStatements.Check(request.Statement, statement, SignatureVerifiers.Create(key.Algorithm, key.Spki),
            new ExpectedKeyStatement(KeyStatementPurpose.Register, "BW", null), run.Time.GetUtcNow()));
        // --key after the command is the held key; the client certificate came from --as.
        var connection = Assert.Single(run.Connections);
        Assert.EndsWith("BW-authority.key", connection.ClientKeyPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_HeldKeyWithCurrentKey_SendsAStatementSignedByBoth()
    {
        using var folder = new TempFolder();
        using var current = await GenerateAsync(folder, "current.pem", "ed25519");
        using var next = await GenerateAsync(folder, "next.pem", "ml-dsa-65");
        var handler = new FakeGrpcHandler((path, _) => path.EndsWith("/GetKey", StringComparison.Ordinal)
            ? FakeGrpcHandler.Reply.Ok(new Key { KeyId = current.KeyId, ParticipantCode = "BW", AuthorityCode = "BW-MMGE" })
            : FakeGrpcHandler.Reply.Ok(new RotateKeyResponse { NewKey = new Key { KeyId = next.KeyId }, RetiredKey = new Key { KeyId = current.KeyId } }));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("keys", "rotate", current.KeyId, "--key", folder.File("next.pem"), "--current-key", folder.File("current.pem"), "--as", "BW-authority");

        Assert.Equal(0, exit);
        Assert.Equal(["/kp.registry.v1.Registry/GetKey", "/kp.registry.v1.Registry/RotateKey"], handler.Calls.Select(c => c.Path));
        var request = RotateKeyRequest.Parser.ParseFrom(handler.Calls[1].Request);
        Assert.Equal(current.KeyId, request.KeyId);
        Assert.Equal(KeyAlgorithm.MlDsa65, request.Algorithm);
        var statement = KeyStatements.TryParse(request.Statement, out var problem) ?? throw new Xunit.Sdk.XunitException(problem);
        Assert.Empty(KeyStatements.Check(request.Statement, statement, SignatureVerifiers.Create(next.Algorithm, next.Spki),
            new ExpectedKeyStatement(KeyStatementPurpose.Rotate, "BW", current.KeyId), run.Time.GetUtcNow()));
        Assert.True(KeyStatements.IsSignedBy(request.Statement, current.KeyId, SignatureVerifiers.Create(current.Algorithm, current.Spki)));
        Assert.Equal("BW-MMGE", statement.AuthorityCode);
        Assert.Contains("retired key:", run.Output.ToString());
    }

    [Fact]
    public async Task Rotate_CurrentKeyFileOfAnotherKey_FailsWithoutRotating()
    {
        using var folder = new TempFolder();
        using var other = await GenerateAsync(folder, "other.pem", "ed25519");
        using var next = await GenerateAsync(folder, "next.pem", "ed25519");
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(new RotateKeyResponse()));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("keys", "rotate", new string('a', 64), "--key", folder.File("next.pem"), "--current-key", folder.File("other.pem"), "--as", "BW-authority");

        Assert.Equal(1, exit);
        Assert.Contains("not " + new string('a', 64), run.Error.ToString());
        Assert.Empty(handler.Calls);
    }

    [Fact]
    public async Task Rotate_ManagedKey_SendsNoStatement()
    {
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(new RotateKeyResponse()));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("keys", "rotate", new string('c', 64), "--algorithm", "ecdsa-p256", "--as", "admin");

        Assert.Equal(0, exit);
        var request = RotateKeyRequest.Parser.ParseFrom(Assert.Single(handler.Calls).Request);
        Assert.Equal(new RotateKeyRequest { KeyId = new string('c', 64), Algorithm = KeyAlgorithm.EcdsaP256 }, request);
    }

    [Fact]
    public async Task Revoke_PrintsTheAffectedCertificates()
    {
        var keyId = new string('d', 64);
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(new RevokeKeyResponse
        {
            Key = new Key { KeyId = keyId, ParticipantCode = "BW", State = KeyState.Revoked, CompromisedSince = "2026-03-01T00:00:00Z" },
            AffectedCertificates = { "BW/BW-2026-000007", "BW/BW-2026-000009" },
        }));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("keys", "revoke", keyId, "--reason", "laptop stolen", "--compromised-since", "2026-03-01T00:00:00Z", "--as", "admin");

        Assert.Equal(0, exit);
        Assert.Equal(new RevokeKeyRequest { KeyId = keyId, Reason = "laptop stolen", CompromisedSince = "2026-03-01T00:00:00Z" },
            RevokeKeyRequest.Parser.ParseFrom(Assert.Single(handler.Calls).Request));
        var output = run.Output.ToString();
        Assert.Contains("BW/BW-2026-000007", output);
        Assert.Contains("BW/BW-2026-000009", output);
    }

    [Theory]
    [InlineData("last tuesday")]
    [InlineData("2026-11-01")]
    [InlineData("2026-11-01T00:00:00")] // no offset: the registry reads the same strict RFC 3339
    [InlineData("11/01/2026 00:00:00 +00:00")]
    public async Task Revoke_CompromisedSinceNotAnInstant_FailsAtParse(string since)
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("keys", "revoke", new string('d', 64), "--reason", "x", "--compromised-since", since);

        Assert.Equal(1, exit);
        Assert.Contains("RFC 3339", run.Error.ToString());
        Assert.Empty(run.Connections);
    }

    private static async Task<SigningKey> GenerateAsync(TempFolder folder, string name, string algorithm)
    {
        var run = new CliRun();
        Assert.Equal(0, await run.InvokeAsync("keys", "generate", "--algorithm", algorithm, "--out", folder.File(name)));
        return SigningKey.ImportPkcs8Pem(await File.ReadAllTextAsync(folder.File(name), TestContext.Current.CancellationToken));
    }
}
