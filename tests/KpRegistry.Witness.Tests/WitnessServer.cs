using System.Text;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Transparency;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KpRegistry.Witness.Tests;

/// <summary>
/// The real witness on Kestrel at a loopback port, with its key and SQLite file in a fresh folder,
/// following one log whose key and tree the test holds.
/// </summary>
internal sealed class WitnessServer : IAsyncDisposable
{
    public const string Origin = "registry.test/log";
    public const string WitnessName = "witness.test/w1";

    private readonly WebApplication _app;

    private WitnessServer(WebApplication app, string folder, SigningKey logKey, FakeTimeProvider time)
    {
        _app = app;
        Folder = folder;
        LogKey = logKey;
        Log = new NoteSigner(Origin, logKey);
        Time = time;
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public string Folder { get; }

    public SigningKey LogKey { get; }

    public NoteSigner Log { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    /// <summary>Whether disposing deletes the folder (key and database); a test that restarts the same witness turns it off for the first run.</summary>
    public bool DeleteFolderOnDispose { get; set; } = true;

    public NoteVerifierKey WitnessKey => _app.Services.GetRequiredService<Witness>().VerifierKey;

    public string KeyFile => Path.Combine(Folder, "witness-key.pem");

    /// <summary>Starts a witness; with <paramref name="folder"/> and <paramref name="logKey"/> of an earlier one, the same witness again.</summary>
    public static async Task<WitnessServer> StartAsync(string? folder = null, SigningKey? logKey = null)
    {
        folder ??= Directory.CreateTempSubdirectory("kp-witness-").FullName;
        logKey ??= SigningKey.Generate(KeyAlgorithm.Ed25519);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Witness:Name", WitnessName,
            "--Witness:KeyFile", Path.Combine(folder, "witness-key.pem"),
            "--Witness:Database", Path.Combine(folder, "witness.db"),
            "--Witness:Logs:0:Origin", Origin,
            "--Witness:Logs:0:VerifierKey", new NoteSigner(Origin, logKey).VerifierKey.ToString(),
        ];
        WebApplication app = WitnessApp.Build(args, builder => builder.Services.AddSingleton<TimeProvider>(time));
        await app.StartAsync();
        return new WitnessServer(app, folder, logKey, time);
    }

    /// <summary>The log's signed checkpoint of the first <paramref name="size"/> leaves of <paramref name="tree"/>.</summary>
    public string CheckpointNote(MemoryTree tree, long size, string origin = Origin) =>
        Log.SignNote(new Checkpoint(origin, size, tree.Root(size)).Format()).Format();

    public static string RequestBody(long oldSize, IEnumerable<byte[]> proof, string note)
    {
        var body = new StringBuilder($"old {oldSize}\n");
        foreach (byte[] hash in proof)
        {
            body.Append(Convert.ToBase64String(hash)).Append('\n');
        }
        return body.Append('\n').Append(note).ToString();
    }

    public Task<HttpResponseMessage> AddCheckpointAsync(string body) =>
        Http.PostAsync("/add-checkpoint", new StringContent(body, new UTF8Encoding(false), "text/plain"));

    /// <summary>Submits the checkpoint of <paramref name="size"/> with the proof from <paramref name="oldSize"/> (none from 0).</summary>
    public Task<HttpResponseMessage> AddAsync(MemoryTree tree, long oldSize, long size) =>
        AddCheckpointAsync(RequestBody(
            oldSize,
            oldSize == 0 ? [] : MerkleTree.ConsistencyProof(tree, oldSize, size),
            CheckpointNote(tree, size)));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (DeleteFolderOnDispose)
        {
            // Pooled SQLite connections hold the file open until the pool lets go of them.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Folder, recursive: true);
        }
    }

    public static MemoryTree Tree(long size, int variant = 0)
    {
        var tree = new MemoryTree();
        for (long i = 0; i < size; i++)
        {
            tree.Append(MerkleHash.Leaf(Encoding.UTF8.GetBytes($"entry {i}" + (variant != 0 && i == 3 ? $" rewritten {variant}" : ""))));
        }
        return tree;
    }
}
