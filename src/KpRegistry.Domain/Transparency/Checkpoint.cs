using System.Text;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// The text of a C2SP checkpoint (tlog-checkpoint): the origin, the tree size, the base64 root hash,
/// then optional non-empty extension lines, each line ending in a newline.
/// </summary>
public sealed class Checkpoint
{
    public Checkpoint(string origin, long size, byte[] rootHash, IReadOnlyList<string>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(rootHash);
        if (origin.Length == 0 || origin.Contains('\n') || origin.Any(char.IsControl))
        {
            throw new ArgumentException("The origin is one non-empty line.", nameof(origin));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (rootHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"The root hash is {MerkleHash.Size} bytes.", nameof(rootHash));
        }
        extensions ??= [];
        if (extensions.Any(e => e.Length == 0 || e.Contains('\n') || e.Any(char.IsControl)))
        {
            throw new ArgumentException("An extension line is one non-empty line.", nameof(extensions));
        }
        Origin = origin;
        Size = size;
        RootHash = rootHash;
        Extensions = extensions;
    }

    public string Origin { get; }

    public long Size { get; }

    public byte[] RootHash { get; }

    public IReadOnlyList<string> Extensions { get; }

    /// <summary>Reads the note text of a checkpoint (as <see cref="SignedNote.Text"/> holds it).</summary>
    /// <exception cref="TransparencyFormatException">Not a checkpoint text.</exception>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n'))
        {
            throw new TransparencyFormatException("A checkpoint's lines each end in a newline.");
        }
        string[] lines = text[..^1].Split('\n');
        if (lines.Length < 3 || lines.Any(l => l.Length == 0))
        {
            throw new TransparencyFormatException("A checkpoint is at least three non-empty lines: origin, size, root hash.");
        }
        if (lines.Any(l => l.Any(char.IsControl)))
        {
            throw new TransparencyFormatException("A checkpoint has no control characters but newlines.");
        }
        if (!C2spText.TryParseDecimal(lines[1], out long size))
        {
            throw new TransparencyFormatException("A checkpoint's tree size is a decimal with no leading zeroes.");
        }
        if (!C2spText.TryDecodeBase64(lines[2], out byte[] root) || root.Length != MerkleHash.Size)
        {
            throw new TransparencyFormatException("A checkpoint's root hash is the base64 of 32 bytes.");
        }
        return new Checkpoint(lines[0], size, root, lines[3..]);
    }

    /// <summary>The note text: each line followed by a newline.</summary>
    public string Format()
    {
        var text = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(C2spText.FormatDecimal(Size)).Append('\n')
            .Append(Convert.ToBase64String(RootHash)).Append('\n');
        foreach (string extension in Extensions)
        {
            text.Append(extension).Append('\n');
        }
        return text.ToString();
    }
}
