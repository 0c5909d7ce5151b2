using System.Text;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// What a monitor remembers between runs: the last checkpoint it verified (the signed note as the
/// log served it, kept as evidence) and the compact range of that tree, so it can check the next
/// entries against the next checkpoint without the whole tree. As text:
/// <code>
/// kpregistry.log-monitor/v1
/// range &lt;base64 subtree root&gt;     (one per set bit of the size, largest first)
///
/// &lt;the checkpoint note, verbatim&gt;
/// </code>
/// </summary>
public sealed class MonitorState
{
    /// <summary>The first line of every state file.</summary>
    public const string Header = "kpregistry.log-monitor/v1";

    /// <exception cref="TransparencyFormatException">The range does not hash to the checkpoint's root, or the note is not a checkpoint.</exception>
    public MonitorState(string checkpointNote, CompactRange range)
    {
        ArgumentNullException.ThrowIfNull(checkpointNote);
        ArgumentNullException.ThrowIfNull(range);
        Checkpoint = Checkpoint.Parse(SignedNote.Parse(checkpointNote).Text);
        if (range.Size != Checkpoint.Size || !MerkleHash.AreEqual(range.Root(), Checkpoint.RootHash))
        {
            throw new TransparencyFormatException($"The saved range ({range.Size} leaves) does not hash to the saved checkpoint's root (size {Checkpoint.Size}): the state is damaged.");
        }
        CheckpointNote = checkpointNote;
        Range = range;
    }

    /// <summary>The checkpoint note exactly as it was verified.</summary>
    public string CheckpointNote { get; }

    public Checkpoint Checkpoint { get; }

    /// <summary>The compact range of the checkpoint's tree (a copy is taken before appending).</summary>
    public CompactRange Range { get; }

    public string Format()
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (byte[] hash in Range.SubtreeRoots)
        {
            text.Append("range ").Append(Convert.ToBase64String(hash)).Append('\n');
        }
        return text.Append('\n').Append(CheckpointNote).ToString();
    }

    /// <exception cref="TransparencyFormatException">Not a state file, or a damaged one.</exception>
    public static MonitorState Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0)
        {
            throw new TransparencyFormatException("A monitor state has a blank line before its checkpoint.");
        }
        string[] lines = text[..blank].Split('\n');
        if (lines[0] != Header)
        {
            throw new TransparencyFormatException($"A monitor state starts with the line {Header}.");
        }
        var hashes = new List<byte[]>();
        foreach (string line in lines.Skip(1))
        {
            if (!line.StartsWith("range ", StringComparison.Ordinal) || !C2spText.TryDecodeBase64(line["range ".Length..], out byte[] hash))
            {
                throw new TransparencyFormatException("Each line before the blank line of a monitor state is 'range' and a base64 hash.");
            }
            hashes.Add(hash);
        }
        string note = text[(blank + 2)..];
        Checkpoint checkpoint = Checkpoint.Parse(SignedNote.Parse(note).Text);
        return new MonitorState(note, new CompactRange(checkpoint.Size, hashes));
    }
}
