using System.Text;
using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Domain.Tests.Transparency;

/// <summary>CompactRange, MonitorState and LogMonitor: the monitor's memory and its decision.</summary>
public class LogMonitorTests
{
    private const string Origin = "example.org/log";

    private static byte[] Entry(long i) => Encoding.UTF8.GetBytes($"entry {i}");

    private static MemoryTree TreeOf(long size, Func<long, byte[]>? entry = null)
    {
        var tree = new MemoryTree();
        for (long i = 0; i < size; i++)
        {
            tree.Append(MerkleHash.Leaf((entry ?? Entry)(i)));
        }
        return tree;
    }

    /// <summary>A checkpoint note; the monitor's state keeps the note but never judges its signature (LogTrust does, before).</summary>
    private static string Note(long size, byte[] root) =>
        new Checkpoint(Origin, size, root).Format() + "\n" + SignedNote.Dash + " " + Origin + " " + Convert.ToBase64String(new byte[68]) + "\n";

    private static MonitorState StateAt(long size)
    {
        var range = new CompactRange();
        for (long i = 0; i < size; i++)
        {
            range.Append(MerkleHash.Leaf(Entry(i)));
        }
        return new MonitorState(Note(size, range.Root()), range);
    }

    [Fact]
    public void CompactRange_LeavesAppended_RootIsTheTreesAtEverySize()
    {
        var range = new CompactRange();
        MemoryTree tree = TreeOf(300);
        Assert.Equal(MerkleHash.Empty(), range.Root());
        for (long size = 1; size <= 300; size++)
        {
            range.Append(MerkleHash.Leaf(Entry(size - 1)));
            Assert.Equal(tree.Root(size), range.Root());
            Assert.Equal(long.PopCount(size), range.SubtreeRoots.Count);
        }
    }

    [Fact]
    public void CompactRange_WrongNumberOfSubtreeRoots_Refused()
    {
        Assert.Throws<TransparencyFormatException>(() => new CompactRange(3, [MerkleHash.Leaf([1])]));
    }

    [Fact]
    public void MonitorState_FormatThenParse_SameCheckpointAndRange()
    {
        MonitorState state = StateAt(77);

        MonitorState parsed = MonitorState.Parse(state.Format());

        Assert.Equal(state.CheckpointNote, parsed.CheckpointNote);
        Assert.Equal(77, parsed.Checkpoint.Size);
        Assert.Equal(state.Range.SubtreeRoots, parsed.Range.SubtreeRoots);
    }

    [Fact]
    public void MonitorState_RootNotTheRanges_Damaged()
    {
        MonitorState state = StateAt(5);
        string other = state.Format().Replace(Convert.ToBase64String(state.Checkpoint.RootHash), Convert.ToBase64String(MerkleHash.Leaf([1])), StringComparison.Ordinal);

        var damaged = Assert.Throws<TransparencyFormatException>(() => MonitorState.Parse(other));
        Assert.Contains("the state is damaged", damaged.Message);
    }

    [Fact]
    public void LogMonitor_TreeExtended_ConsistentAndTheNewStateFollowsOn()
    {
        MemoryTree tree = TreeOf(40);
        var monitor = new LogMonitor(StateAt(13), Note(40, tree.Root()), new Checkpoint(Origin, 40, tree.Root()));

        Assert.True(monitor.NeedsConsistencyProof);
        Assert.Null(monitor.CheckConsistency(MerkleTree.ConsistencyProof(tree, 13, 40)));
        for (long i = 13; i < 40; i++)
        {
            monitor.Append(Entry(i));
        }
        Assert.Null(monitor.Finish(out MonitorState? next));
        Assert.Equal(40, next!.Checkpoint.Size);
        Assert.Equal(tree.Root(), next.Range.Root());
    }

    [Fact]
    public void LogMonitor_FirstRun_ReadsTheWholeLog()
    {
        MemoryTree tree = TreeOf(9);
        var monitor = new LogMonitor(null, Note(9, tree.Root()), new Checkpoint(Origin, 9, tree.Root()));

        Assert.Equal(0, monitor.From);
        Assert.False(monitor.NeedsConsistencyProof);
        Assert.Null(monitor.CheckConsistency([]));
        for (long i = 0; i < 9; i++)
        {
            monitor.Append(Entry(i));
        }
        Assert.Null(monitor.Finish(out MonitorState? next));
        Assert.NotNull(next);
    }

    [Fact]
    public void LogMonitor_HistoryRewritten_AlarmOnTheConsistencyProof()
    {
        // Entry 3 changed: a tree of 40 that does not extend the saved tree of 13.
        MemoryTree rewritten = TreeOf(40, i => i == 3 ? Encoding.UTF8.GetBytes("forged") : Entry(i));
        var monitor = new LogMonitor(StateAt(13), Note(40, rewritten.Root()), new Checkpoint(Origin, 40, rewritten.Root()));

        string? alarm = monitor.CheckConsistency(MerkleTree.ConsistencyProof(rewritten, 13, 40));

        Assert.Contains("is not consistent with the saved one", alarm);
    }

    [Fact]
    public void LogMonitor_SameSizeAnotherRoot_Alarm()
    {
        MemoryTree rewritten = TreeOf(13, i => i == 0 ? Encoding.UTF8.GetBytes("forged") : Entry(i));
        var monitor = new LogMonitor(StateAt(13), Note(13, rewritten.Root()), new Checkpoint(Origin, 13, rewritten.Root()));

        Assert.Contains("two trees of 13 entries", monitor.CheckConsistency([]));
    }

    [Fact]
    public void LogMonitor_LogShrank_Alarm()
    {
        MemoryTree smaller = TreeOf(12);
        var monitor = new LogMonitor(StateAt(13), Note(12, smaller.Root()), new Checkpoint(Origin, 12, smaller.Root()));

        Assert.Contains("the log shrank", monitor.CheckConsistency([]));
    }

    [Fact]
    public void LogMonitor_EntriesServedAreNotTheTrees_AlarmAndNoState()
    {
        MemoryTree tree = TreeOf(20);
        var monitor = new LogMonitor(StateAt(13), Note(20, tree.Root()), new Checkpoint(Origin, 20, tree.Root()));
        Assert.Null(monitor.CheckConsistency(MerkleTree.ConsistencyProof(tree, 13, 20)));
        for (long i = 13; i < 20; i++)
        {
            monitor.Append(i == 15 ? Encoding.UTF8.GetBytes("another entry") : Entry(i));
        }

        Assert.Contains("do not hash to the new checkpoint's root", monitor.Finish(out MonitorState? next));
        Assert.Null(next);
    }

    [Theory]
    [InlineData("BW", true)]
    [InlineData("EU", false)]
    public void Concerns_KeyEvent_OnlyItsParticipant(string participant, bool expected)
    {
        var entry = new LogEntry { Kind = LogEntryKind.KeyRevoked, KeyEvent = new KeyEvent { Participant = "BW", KeyId = "k1" } };

        Assert.Equal(expected, LogMonitor.Concerns(entry, participant));
    }

    [Fact]
    public void Concerns_CertificateDestinedToTheParticipant_True()
    {
        var certificate = new Contracts.Certificate.V1.Certificate { IssuingParticipant = "NA", DestinationParticipant = "BW", CertificateNumber = "NA-1" };
        var envelope = new Contracts.Common.V1.SignedEnvelope { Payload = Google.Protobuf.MessageExtensions.ToByteString(certificate) };
        var entry = new LogEntry
        {
            Kind = LogEntryKind.CertificateRecorded,
            Certificate = new CertificateRecorded { IssuingParticipant = "NA", CertificateNumber = "NA-1", Envelope = Google.Protobuf.MessageExtensions.ToByteString(envelope) },
        };

        Assert.True(LogMonitor.Concerns(entry, "BW"));
        Assert.False(LogMonitor.Concerns(entry, "EU"));
        Assert.Contains("CertificateRecorded NA NA-1 to BW", LogMonitor.Describe(entry));
    }
}
