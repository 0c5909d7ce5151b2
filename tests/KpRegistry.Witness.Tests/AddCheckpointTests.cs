using System.Net;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Witness.Tests;

/// <summary>tlog-witness add-checkpoint: each status code by its own test, against the real witness.</summary>
public sealed class AddCheckpointTests : IAsyncLifetime
{
    private WitnessServer _witness = null!;
    private readonly MemoryTree _tree = WitnessServer.Tree(40);

    public async ValueTask InitializeAsync() => _witness = await WitnessServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _witness.DisposeAsync();
        _witness.LogKey.Dispose();
    }

    private async Task<(HttpStatusCode Status, string Body, string? ContentType)> Send(HttpResponseMessage response)
    {
        using (response)
        {
            return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task AddCheckpoint_FromZero_Returns200WithAVerifyingTimestampedCosignature()
    {
        var (status, body, _) = await Send(await _witness.AddAsync(_tree, 0, 10));

        Assert.Equal(HttpStatusCode.OK, status);
        string note = _witness.CheckpointNote(_tree, 10);
        SignedNote cosigned = SignedNote.Parse(note + body);
        NoteVerifier witnessKey = NoteVerifiers.Create(_witness.WitnessKey);
        Assert.Equal(NoteVerificationStatus.Verified, cosigned.Verify([witnessKey], out _));
        NoteSignature line = Assert.Single(cosigned.Signatures, s => s.KeyName == WitnessServer.WitnessName);
        Assert.True(CosignatureV1.TryReadTimestamp(line.Signature, out long timestamp));
        Assert.Equal(_witness.Time.GetUtcNow().ToUnixTimeSeconds(), timestamp);
    }

    [Fact]
    public async Task AddCheckpoint_ConsistentGrowth_Returns200AndAdvances()
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(await _witness.AddAsync(_tree, 0, 10))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(await _witness.AddAsync(_tree, 10, 25))).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(await _witness.AddAsync(_tree, 25, 25))).Status);

        var (status, body, _) = await Send(await _witness.AddAsync(_tree, 10, 30));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("25\n", body);
    }

    [Fact]
    public async Task AddCheckpoint_UnknownOrigin_Returns404()
    {
        string note = _witness.CheckpointNote(_tree, 10, origin: "other.test/log");
        var (status, _, _) = await Send(await _witness.AddCheckpointAsync(WitnessServer.RequestBody(0, [], note)));
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task AddCheckpoint_SignedByAnotherKey_Returns403()
    {
        using SigningKey impostor = SigningKey.Generate(KeyAlgorithm.Ed25519);
        string note = new NoteSigner(WitnessServer.Origin, impostor).SignNote(new Checkpoint(WitnessServer.Origin, 10, _tree.Root(10)).Format()).Format();

        var (status, _, _) = await Send(await _witness.AddCheckpointAsync(WitnessServer.RequestBody(0, [], note)));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Null(Store().Get(WitnessServer.Origin));
    }

    [Fact]
    public async Task AddCheckpoint_OldSizeAboveCheckpointSize_Returns400()
    {
        var (status, _, _) = await Send(await _witness.AddCheckpointAsync(WitnessServer.RequestBody(11, [], _witness.CheckpointNote(_tree, 10))));
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Theory]
    [InlineData("old 01\n\n")]
    [InlineData("old 0\nnot base64\n\n")]
    [InlineData("0\n\n")]
    [InlineData("old 0\n")]
    public async Task AddCheckpoint_MalformedRequest_Returns400(string header)
    {
        var (status, _, _) = await Send(await _witness.AddCheckpointAsync(header + _witness.CheckpointNote(_tree, 10)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task AddCheckpoint_StaleOldSize_Returns409WithTheLatestSize()
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(await _witness.AddAsync(_tree, 0, 12))).Status);

        var (status, body, contentType) = await Send(await _witness.AddAsync(_tree, 0, 20));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("text/x.tlog.size", contentType);
        Assert.Equal("12\n", body);
    }

    [Fact]
    public async Task AddCheckpoint_BadConsistencyProof_Returns422AndKeepsTheState()
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(await _witness.AddAsync(_tree, 0, 10))).Status);
        var proof = MerkleTree.ConsistencyProof(_tree, 10, 20).Select(h => (byte[])h.Clone()).ToList();
        proof[0][0] ^= 1;

        var (status, _, _) = await Send(await _witness.AddCheckpointAsync(WitnessServer.RequestBody(10, proof, _witness.CheckpointNote(_tree, 20))));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(10, Store().Get(WitnessServer.Origin)!.Size);
    }

    [Fact]
    public async Task AddCheckpoint_RewrittenHistory_Returns422()
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(await _witness.AddAsync(_tree, 0, 10))).Status);
        // The log rewrites entry 3 and proves its new tree consistent with the rewritten one.
        MemoryTree rewritten = WitnessServer.Tree(40, variant: 1);

        var (status, _, _) = await Send(await _witness.AddAsync(rewritten, 10, 20));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
    }

    [Fact]
    public async Task AddCheckpoint_SameSizeAnotherRoot_Returns409()
    {
        // tlog-witness: "If the old size matches the checkpoint size, the witness MUST check that the
        // root hashes are also identical. If they don't match, the witness MUST respond with a 409".
        Assert.Equal(HttpStatusCode.OK, (await Send(await _witness.AddAsync(_tree, 0, 10))).Status);
        MemoryTree rewritten = WitnessServer.Tree(10, variant: 2);

        var (status, body, contentType) = await Send(await _witness.AddAsync(rewritten, 10, 10));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("text/x.tlog.size", contentType);
        Assert.Equal("10\n", body);
        Assert.Equal(_tree.Root(10), Store().Get(WitnessServer.Origin)!.RootHash);
    }

    [Fact]
    public async Task AddCheckpoint_NonEmptyProofFromZero_Returns422()
    {
        var proof = MerkleTree.ConsistencyProof(_tree, 5, 10);
        var (status, _, _) = await Send(await _witness.AddCheckpointAsync(WitnessServer.RequestBody(0, proof, _witness.CheckpointNote(_tree, 10))));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
    }

    private WitnessStore Store() => new(Path.Combine(_witness.Folder, "witness.db"));
}
