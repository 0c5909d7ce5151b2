using System.Net;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Transparency;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Server.Application;
using KpRegistry.Server.Security;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// The transparency log against the real server: entries sequenced with each change, checkpoints
/// signed by the log key, tiles fetched with a plain HTTP client, proofs in verifications.
/// </summary>
public sealed class TransparencyLogTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    /// <summary>A generous cap on waiting for the next checkpoint (published at most once a second); never an assertion on time.</summary>
    private static readonly TimeSpan WaitCap = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Tiles_FetchedOverPlainHttps_RecomputeThePublishedRoot()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        var issued = new List<IssueCertificateResponse>();
        for (int i = 0; i < 3; i++)
        {
            issued.Add(await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() }));
        }
        long last = issued.Max(i => i.LogIndex);
        using HttpClient http = PlainClient(registry.Server);

        Checkpoint checkpoint = await WaitForCheckpointAsync(http, registry.Server, last + 1);
        var tiles = new Dictionary<Tile, byte[]>();
        foreach (Tile tile in Tile.OfTree(checkpoint.Size))
        {
            tiles[tile] = await GetBytesAsync(http, registry.Server, "/log/" + tile.Path);
        }
        byte[] root = MerkleTree.Root(new TileHashSource(new DictionaryTiles(tiles), checkpoint.Size), checkpoint.Size);

        Assert.Equal(checkpoint.RootHash, root);
        // The entry bundles hash to the level-0 tiles, and hold the issued envelopes as issued.
        var leaves = new List<byte[]>();
        foreach (Tile tile in Tile.OfTree(checkpoint.Size).Where(t => t.Level == 0))
        {
            foreach (byte[] entry in Tiles.ParseEntryBundle(await GetBytesAsync(http, registry.Server, "/log/" + tile.EntriesPath)))
            {
                leaves.Add(entry);
            }
        }
        Assert.Equal(checkpoint.Size, leaves.Count);
        Assert.Equal(root, MerkleTree.RootOf(leaves.Select(e => MerkleHash.Leaf(e))));
        foreach (IssueCertificateResponse response in issued)
        {
            LogEntry entry = LogEntries.Parse(leaves[(int)response.LogIndex]);
            Assert.Equal(LogEntryKind.CertificateRecorded, entry.Kind);
            Assert.Equal(response.Record.CertificateNumber, entry.Certificate.CertificateNumber);
            Assert.Equal(response.Envelope.ToByteString(), entry.Certificate.Envelope);
        }
    }

    [Fact]
    public async Task VerifyCertificate_Recorded_CarriesAnInclusionProofToASignedCheckpoint()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        IssueCertificateResponse issued = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });

        VerifyCertificateResult result = await WaitForAsync(
            () => registry.Verification().VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = issued.Envelope }).ResponseAsync,
            r => r.Checkpoint.Length > 0);

        Assert.True(result.Valid, string.Join("; ", result.Details));
        Assert.Equal(issued.LogIndex, result.LogIndex);
        LogTrust trust = new(Transparency().Origin, NoteVerifiers.Create(Transparency().VerifierKey), WitnessPolicy.None);
        TransparencyCheck check = trust.VerifyCheckpoint(result.Checkpoint);
        Assert.True(check.IsValid, check.Failure);
        byte[] entry = (await Log().GetEntriesAsync(new GetEntriesRequest { Start = issued.LogIndex, Count = 1 })).Entries[0].ToByteArray();
        Assert.Equal(issued.Envelope.ToByteString(), LogEntries.Parse(entry).Certificate.Envelope);
        Assert.True(MerkleTree.VerifyInclusion(result.LogIndex, check.Checkpoint!.Size, MerkleHash.Leaf(entry),
            [.. result.InclusionProof.Select(p => p.ToByteArray())], check.Checkpoint.RootHash));
        // The same proof as a tlog-proof file verifies offline.
        var proof = new TlogProof(result.LogIndex, [.. result.InclusionProof.Select(p => p.ToByteArray())], result.Checkpoint);
        Assert.True(TlogProof.Parse(proof.Format()).Verify(MerkleHash.Leaf(entry), trust).IsValid);
    }

    [Fact]
    public async Task GetConsistencyProof_BetweenTwoCheckpoints_Verifies()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        IssueCertificateResponse first = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        GetCheckpointResponse older = await WaitForAsync(() => Log().GetCheckpointAsync(new GetCheckpointRequest()).ResponseAsync, c => c.TreeSize > first.LogIndex);
        IssueCertificateResponse second = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        GetCheckpointResponse newer = await WaitForAsync(() => Log().GetCheckpointAsync(new GetCheckpointRequest()).ResponseAsync, c => c.TreeSize > second.LogIndex);

        GetConsistencyProofResponse proof = await Log().GetConsistencyProofAsync(new GetConsistencyProofRequest { First = older.TreeSize, Second = newer.TreeSize });

        Assert.True(MerkleTree.VerifyConsistency(older.TreeSize, newer.TreeSize, older.RootHash.ToByteArray(), newer.RootHash.ToByteArray(),
            [.. proof.Proof.Select(p => p.ToByteArray())]));
        Assert.False(MerkleTree.VerifyConsistency(older.TreeSize, newer.TreeSize, MerkleHash.Leaf([1]), newer.RootHash.ToByteArray(),
            [.. proof.Proof.Select(p => p.ToByteArray())]));
    }

    [Fact]
    public async Task CancellationAndKeyRevocation_AppearAsEntries()
    {
        Key key = await registry.EnsureKeyAsync("NA", KeyAlgorithm.Ed25519);
        IssueCertificateResponse issued = await registry.Certificates("NA-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid("NA") });
        await registry.Certificates("NA-authority").CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "NA", CertificateNumber = issued.Record.CertificateNumber, Reason = "shipment split",
        });
        await registry.Registry("admin").RevokeKeyAsync(new RevokeKeyRequest { KeyId = key.KeyId, Reason = "key file leaked" });

        await WaitForAsync(() => Log().GetCheckpointAsync(new GetCheckpointRequest()).ResponseAsync, c => c.TreeSize >= issued.LogIndex + 3);
        GetEntriesResponse entries = await Log().GetEntriesAsync(new GetEntriesRequest { Start = issued.LogIndex, Count = 1000 });
        var parsed = entries.Entries.Select(e => LogEntries.Parse(e.Span)).ToList();

        Assert.Contains(parsed, e => e.Kind == LogEntryKind.CertificateCancelled
            && e.CertificateEvent.CertificateNumber == issued.Record.CertificateNumber && e.CertificateEvent.Reason == "shipment split");
        Assert.Contains(parsed, e => e.Kind == LogEntryKind.KeyRevoked && e.KeyEvent.KeyId == key.KeyId
            && e.KeyEvent.Reason == "key file leaked" && e.KeyEvent.CompromisedSince.Length > 0);
    }

    [Fact]
    public async Task Restart_LogEntryChangedBehindTheServersBack_RefusesToStart()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        var fixture = new Func<string, Certificates.CertificatesClient>(name => new Certificates.CertificatesClient(server.ChannelAs(name)));
        var keys = new Registry.RegistryClient(server.ChannelAs("BW-authority"));
        await keys.CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.Ed25519 });
        IssueCertificateResponse issued = await fixture("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        TransparencyLog log = server.Services.GetRequiredService<TransparencyLog>();
        await WaitForAsync(() => Task.FromResult(log.Latest!), c => c.TreeSize > issued.LogIndex);
        await server.StopAsync();

        // The operator (or whoever holds the database) rewrites the certificate: ten carats fewer.
        Certificate altered = Certificate.Parser.ParseFrom(issued.Envelope.Payload);
        altered.TotalCaratsHundredths -= 1000;
        var forged = issued.Envelope.Clone();
        forged.Payload = altered.ToByteString();
        LogEntry entry = LogEntries.Parse(ReadEntry(server, issued.LogIndex));
        entry.Certificate.Envelope = forged.ToByteString();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "registry.db")};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand update = connection.CreateCommand();
            update.CommandText = "UPDATE log_entries SET entry = $entry WHERE leaf_index = $index; UPDATE certificates SET envelope = $envelope WHERE certificate_number = $number";
            update.Parameters.AddWithValue("$entry", entry.ToByteArray());
            update.Parameters.AddWithValue("$index", issued.LogIndex);
            update.Parameters.AddWithValue("$envelope", forged.ToByteArray());
            update.Parameters.AddWithValue("$number", issued.Record.CertificateNumber);
            Assert.Equal(2, update.ExecuteNonQuery());
        }

        LogTamperedException refused = await Assert.ThrowsAsync<LogTamperedException>(server.StartAsync);
        Assert.Contains("no longer hash to the published checkpoint", refused.Message);
    }

    [Fact]
    public async Task GetInclusionProof_IndexAtTheTreeSize_InvalidArgument()
    {
        GetCheckpointResponse latest = await Log().GetCheckpointAsync(new GetCheckpointRequest());
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
            Log().GetInclusionProofAsync(new GetInclusionProofRequest { Index = latest.TreeSize, TreeSize = latest.TreeSize }).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, refused.StatusCode);
    }

    [Fact]
    public async Task Tile_NonCanonicalPathOrBeyondTheTree_NotFound()
    {
        using HttpClient http = PlainClient(registry.Server);
        using HttpResponseMessage padded = await http.GetAsync(new Uri(registry.Server.Address, "/log/tile/0/x000/000"));
        using HttpResponseMessage beyond = await http.GetAsync(new Uri(registry.Server.Address, "/log/tile/0/999"));
        Assert.Equal(HttpStatusCode.NotFound, padded.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
    }

    private TransparencyLog Transparency() => registry.Server.Services.GetRequiredService<TransparencyLog>();

    private Log.LogClient Log() => new(registry.As("anonymous"));

    private static byte[] ReadEntry(RegistryServer server, long index)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "registry.db")};Pooling=False");
        connection.Open();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT entry FROM log_entries WHERE leaf_index = $index";
        select.Parameters.AddWithValue("$index", index);
        return (byte[])select.ExecuteScalar()!;
    }

    /// <summary>An HTTP/1.1 client trusting the development CA, with no client certificate: what curl is.</summary>
    private static HttpClient PlainClient(RegistryServer server)
    {
        X509Certificate2 ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(server.CertificatesDirectory, DevelopmentPki.CaCertificateFile));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && CaTrust.ChainsTo(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), ca, DateTimeOffset.UtcNow);
        return new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
    }

    private static async Task<byte[]> GetBytesAsync(HttpClient http, RegistryServer server, string path)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri(server.Address, path));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new Version(1, 1), response.Version);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<Checkpoint> WaitForCheckpointAsync(HttpClient http, RegistryServer server, long size)
    {
        string note = await WaitForAsync(async () =>
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri(server.Address, "/log/checkpoint"));
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            return await response.Content.ReadAsStringAsync();
        }, n => Checkpoint.Parse(SignedNote.Parse(n).Text).Size >= size);
        var trust = new LogTrust(server.Services.GetRequiredService<TransparencyLog>().Origin,
            NoteVerifiers.Create(server.Services.GetRequiredService<TransparencyLog>().VerifierKey), WitnessPolicy.None);
        TransparencyCheck check = trust.VerifyCheckpoint(note);
        Assert.True(check.IsValid, check.Failure);
        return check.Checkpoint!;
    }

    /// <summary>Polls until <paramref name="done"/> holds, with a generous cap; the cap is a failure, never a timing assertion.</summary>
    internal static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        using var cap = new CancellationTokenSource(WaitCap);
        while (true)
        {
            T value = await read();
            if (done(value))
            {
                return value;
            }
            await Task.Delay(50, cap.Token);
        }
    }

    private sealed class DictionaryTiles(Dictionary<Tile, byte[]> tiles) : ITileReader
    {
        public byte[] ReadTile(Tile tile) => tiles[tile];
    }
}
