using System.Net;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Witness.Tests;

/// <summary>Atomicity and persistence of the witness's state, and its key file.</summary>
public sealed class WitnessStateTests
{
    [Fact]
    public async Task AddCheckpoint_ManyConcurrentRequestsFromOneSize_ExactlyOneAdvancesAndNoneRollsBack()
    {
        await using WitnessServer witness = await WitnessServer.StartAsync();
        MemoryTree tree = WitnessServer.Tree(60);
        Assert.Equal(HttpStatusCode.OK, (await witness.AddAsync(tree, 0, 10)).StatusCode);

        // Twenty requests all claiming the witness is at 10, each to a different new size: without
        // an atomic check-and-store several would be cosigned and the last write would win,
        // possibly rolling a larger size back to a smaller one.
        long[] sizes = [.. Enumerable.Range(11, 20).Select(i => (long)i)];
        HttpResponseMessage[] responses = await Task.WhenAll(sizes.Select(s => Task.Run(() => witness.AddAsync(tree, 10, s))));

        long[] cosigned = [.. sizes.Where((_, i) => responses[i].StatusCode == HttpStatusCode.OK)];
        long winner = Assert.Single(cosigned);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        LogState stored = new WitnessStore(Path.Combine(witness.Folder, "witness.db")).Get(WitnessServer.Origin)!;
        Assert.Equal(winner, stored.Size);
        Assert.Equal(tree.Root(winner), stored.RootHash);
        witness.LogKey.Dispose();
    }

    [Fact]
    public async Task AddCheckpoint_ConcurrentChainOfGrowth_EndsAtTheLargestCosignedSize()
    {
        await using WitnessServer witness = await WitnessServer.StartAsync();
        MemoryTree tree = WitnessServer.Tree(60);
        Assert.Equal(HttpStatusCode.OK, (await witness.AddAsync(tree, 0, 10)).StatusCode);

        // 10 -> 20 and 20 -> 30 and 10 -> 15 race; whatever order they land in, the stored size
        // never goes below one that was cosigned.
        var requests = new (long Old, long New)[] { (10, 20), (20, 30), (10, 15), (15, 40) };
        HttpResponseMessage[] responses = await Task.WhenAll(requests.Select(r => Task.Run(() => witness.AddAsync(tree, r.Old, r.New))));

        long largestCosigned = requests.Where((_, i) => responses[i].StatusCode == HttpStatusCode.OK).Max(r => r.New);
        Assert.Equal(largestCosigned, new WitnessStore(Path.Combine(witness.Folder, "witness.db")).Get(WitnessServer.Origin)!.Size);
        witness.LogKey.Dispose();
    }

    [Fact]
    public async Task Restart_SameFolder_KeepsTheKeyAndTheState()
    {
        string folder;
        string firstKey;
        var logKey = KpRegistry.Crypto.SigningKey.Generate(KpRegistry.Domain.Keys.KeyAlgorithm.Ed25519);
        MemoryTree tree = WitnessServer.Tree(20);
        await using (WitnessServer first = await WitnessServer.StartAsync(logKey: logKey))
        {
            folder = first.Folder;
            first.DeleteFolderOnDispose = false;
            firstKey = first.WitnessKey.ToString();
            Assert.Equal(HttpStatusCode.OK, (await first.AddAsync(tree, 0, 12)).StatusCode);
        }
        await using WitnessServer second = await WitnessServer.StartAsync(folder, logKey);

        Assert.Equal(firstKey, second.WitnessKey.ToString());
        HttpResponseMessage stale = await second.AddAsync(tree, 0, 15);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("12\n", await stale.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        logKey.Dispose();
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task FirstStart_KeyFile_IsOwnerOnly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only.");
        await using WitnessServer witness = await WitnessServer.StartAsync();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(witness.KeyFile));
        Assert.StartsWith(WitnessServer.WitnessName + "+", witness.WitnessKey.ToString(), StringComparison.Ordinal);
        Assert.Equal(NoteSignatureTypes.CosignatureV1, witness.WitnessKey.SignatureType);
        witness.LogKey.Dispose();
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Start_KeyFileReadableByOthers_IsRefused()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only.");
        string folder;
        await using (WitnessServer witness = await WitnessServer.StartAsync())
        {
            folder = witness.Folder;
            witness.DeleteFolderOnDispose = false;
            witness.LogKey.Dispose();
        }
        File.SetUnixFileMode(Path.Combine(folder, "witness-key.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        await Assert.ThrowsAsync<InvalidOperationException>(() => WitnessServer.StartAsync(folder));
        Directory.Delete(folder, recursive: true);
    }
}
