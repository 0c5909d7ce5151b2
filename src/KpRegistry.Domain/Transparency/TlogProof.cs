using System.Text;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// A C2SP tlog-proof: an offline-checkable proof that an entry is in the log, as text:
/// <c>c2sp.org/tlog-proof@v1</c>, an optional <c>extra</c> line, <c>index N</c>, the inclusion proof
/// (one base64 hash a line), a blank line, and the checkpoint note verbatim (with its cosignatures).
/// </summary>
public sealed class TlogProof
{
    /// <summary>The first line of every proof.</summary>
    public const string Header = "c2sp.org/tlog-proof@v1";

    public TlogProof(long index, IReadOnlyList<byte[]> inclusionProof, string checkpointNote, byte[]? extra = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(inclusionProof);
        ArgumentNullException.ThrowIfNull(checkpointNote);
        if (inclusionProof.Any(h => h is null || h.Length != MerkleHash.Size))
        {
            throw new ArgumentException($"Each proof element is a {MerkleHash.Size}-byte hash.", nameof(inclusionProof));
        }
        if (extra is { Length: 0 })
        {
            throw new ArgumentException("Extra data, when present, is not empty.", nameof(extra));
        }
        Index = index;
        InclusionProof = inclusionProof;
        CheckpointNote = checkpointNote;
        Extra = extra;
    }

    /// <summary>Opaque, unauthenticated application data: never trusted.</summary>
    public byte[]? Extra { get; }

    public long Index { get; }

    public IReadOnlyList<byte[]> InclusionProof { get; }

    /// <summary>The checkpoint as a signed note, exactly as the log (and witnesses) signed it.</summary>
    public string CheckpointNote { get; }

    /// <exception cref="TransparencyFormatException">Not a tlog-proof.</exception>
    public static TlogProof Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0)
        {
            throw new TransparencyFormatException("A tlog-proof has a blank line before its checkpoint.");
        }
        string[] lines = text[..blank].Split('\n');
        string note = text[(blank + 2)..];
        if (lines[0] != Header)
        {
            throw new TransparencyFormatException($"A tlog-proof starts with the line {Header}.");
        }
        int next = 1;
        byte[]? extra = null;
        if (next < lines.Length && lines[next].StartsWith("extra ", StringComparison.Ordinal))
        {
            if (!C2spText.TryDecodeBase64(lines[next]["extra ".Length..], out byte[] decoded))
            {
                throw new TransparencyFormatException("The extra line of a tlog-proof is base64.");
            }
            extra = decoded;
            next++;
        }
        if (next >= lines.Length || !lines[next].StartsWith("index ", StringComparison.Ordinal)
            || !C2spText.TryParseDecimal(lines[next]["index ".Length..], out long index))
        {
            throw new TransparencyFormatException("A tlog-proof has an index line: 'index', a space, a decimal with no leading zeroes.");
        }
        next++;
        var proof = new List<byte[]>();
        for (; next < lines.Length; next++)
        {
            if (!C2spText.TryDecodeBase64(lines[next], out byte[] hash) || hash.Length != MerkleHash.Size)
            {
                throw new TransparencyFormatException("Each inclusion proof line of a tlog-proof is the base64 of a 32-byte hash.");
            }
            proof.Add(hash);
        }
        return new TlogProof(index, proof, note, extra);
    }

    public string Format()
    {
        var text = new StringBuilder(Header).Append('\n');
        if (Extra is not null)
        {
            text.Append("extra ").Append(Convert.ToBase64String(Extra)).Append('\n');
        }
        text.Append("index ").Append(C2spText.FormatDecimal(Index)).Append('\n');
        foreach (byte[] hash in InclusionProof)
        {
            text.Append(Convert.ToBase64String(hash)).Append('\n');
        }
        return text.Append('\n').Append(CheckpointNote).ToString();
    }

    /// <summary>
    /// Accepts the proof only when the checkpoint passes <paramref name="trust"/> (log key, origin,
    /// witness policy) and the inclusion proof puts <paramref name="leafHash"/> at <see cref="Index"/>
    /// of that checkpoint's tree.
    /// </summary>
    public TransparencyCheck Verify(ReadOnlySpan<byte> leafHash, LogTrust trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        TransparencyCheck checkpoint = trust.VerifyCheckpoint(CheckpointNote);
        if (!checkpoint.IsValid)
        {
            return checkpoint;
        }
        Checkpoint head = checkpoint.Checkpoint!;
        if (!MerkleTree.VerifyInclusion(Index, head.Size, leafHash, InclusionProof, head.RootHash))
        {
            return TransparencyCheck.Fail($"The inclusion proof does not put the entry at index {Index} of the tree of {head.Size}.", checkpoint.Witnesses);
        }
        return checkpoint;
    }
}
