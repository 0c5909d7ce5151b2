using System.Text;
using KpRegistry.Crypto;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Witness;

/// <summary>The HTTP answer to one add-checkpoint request.</summary>
internal sealed record WitnessResponse(int StatusCode, string ContentType, string Body)
{
    public static WitnessResponse Text(int status, string body) => new(status, "text/plain; charset=utf-8", body);

    /// <summary>409 with the latest cosigned size, as tlog-witness requires.</summary>
    public static WitnessResponse Conflict(long latestSize) => new(StatusCodes.Status409Conflict, "text/x.tlog.size", $"{latestSize}\n");
}

/// <summary>
/// tlog-witness add-checkpoint, in the order the specification gives its checks: 404 unknown
/// origin, 403 no trusted log signature, 400 old size above the checkpoint's, 409 old size not the
/// latest cosigned (or the same size with another root), 422 consistency proof that does not
/// verify; then the new state is persisted and the cosignature returned. Malformed requests are
/// 400. A refusal changes nothing.
/// </summary>
internal sealed class Witness : IDisposable
{
    /// <summary>The most consistency proof lines a client may send (tlog-witness).</summary>
    public const int MaxProofLines = 63;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly Dictionary<string, List<NoteVerifier>> _logs;
    private readonly CosignatureSigner _cosigner;
    private readonly WitnessStore _store;
    private readonly TimeProvider _time;
    private readonly SigningKey _key;

    /// <summary>Takes ownership of <paramref name="key"/>: it is wiped when the witness stops.</summary>
    public Witness(Dictionary<string, List<NoteVerifier>> logs, string name, SigningKey key, WitnessStore store, TimeProvider time)
    {
        _logs = logs;
        _key = key;
        _cosigner = new CosignatureSigner(name, key);
        _store = store;
        _time = time;
    }

    public NoteVerifierKey VerifierKey => _cosigner.VerifierKey;

    public void Dispose() => _key.Dispose();

    public WitnessResponse AddCheckpoint(byte[] body)
    {
        if (!TryParseRequest(body, out long oldSize, out List<byte[]> proof, out SignedNote? note, out Checkpoint? checkpoint, out string? problem))
        {
            return WitnessResponse.Text(StatusCodes.Status400BadRequest, problem + "\n");
        }
        if (!_logs.TryGetValue(checkpoint.Origin, out List<NoteVerifier>? logKeys))
        {
            return WitnessResponse.Text(StatusCodes.Status404NotFound, "unknown log origin\n");
        }
        if (note.Verify(logKeys, out _) != NoteVerificationStatus.Verified)
        {
            return WitnessResponse.Text(StatusCodes.Status403Forbidden, "no valid signature by a trusted key of this log\n");
        }
        if (oldSize > checkpoint.Size)
        {
            return WitnessResponse.Text(StatusCodes.Status400BadRequest, "old size is above the checkpoint size\n");
        }
        AdvanceDecision decision = _store.Advance(checkpoint.Origin, stored => Decide(stored, oldSize, proof, checkpoint));
        if (decision.NewState is null)
        {
            return decision.Response;
        }
        // Persisted above, before answering, as the specification requires.
        NoteSignature cosignature = _cosigner.Cosign(checkpoint, _time.GetUtcNow().ToUnixTimeSeconds());
        return WitnessResponse.Text(StatusCodes.Status200OK, cosignature.ToLine());
    }

    private static AdvanceDecision Decide(LogState? stored, long oldSize, List<byte[]> proof, Checkpoint checkpoint)
    {
        long latestSize = stored?.Size ?? 0;
        // Never cosigned: the recorded tree is the empty one.
        byte[] latestRoot = stored?.RootHash ?? MerkleHash.Empty();
        if (oldSize != latestSize)
        {
            return new AdvanceDecision(WitnessResponse.Conflict(latestSize), null);
        }
        if (oldSize == checkpoint.Size)
        {
            if (!MerkleHash.AreEqual(latestRoot, checkpoint.RootHash))
            {
                return new AdvanceDecision(WitnessResponse.Conflict(latestSize), null);
            }
            if (proof.Count != 0)
            {
                return new AdvanceDecision(WitnessResponse.Text(StatusCodes.Status422UnprocessableEntity, "a proof between equal sizes is empty\n"), null);
            }
        }
        else if (oldSize == 0)
        {
            if (proof.Count != 0)
            {
                return new AdvanceDecision(WitnessResponse.Text(StatusCodes.Status422UnprocessableEntity, "the proof from size 0 is empty\n"), null);
            }
        }
        else if (!MerkleTree.VerifyConsistency(oldSize, checkpoint.Size, latestRoot, checkpoint.RootHash, proof))
        {
            return new AdvanceDecision(WitnessResponse.Text(StatusCodes.Status422UnprocessableEntity, "the consistency proof does not verify\n"), null);
        }
        return new AdvanceDecision(WitnessResponse.Text(StatusCodes.Status200OK, ""), new LogState(checkpoint.Size, checkpoint.RootHash));
    }

    /// <summary>The request: "old N", up to 63 base64 hash lines, an empty line, then the checkpoint note.</summary>
    private static bool TryParseRequest(
        byte[] body,
        out long oldSize,
        out List<byte[]> proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SignedNote? note,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Checkpoint? checkpoint,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        oldSize = 0;
        proof = [];
        note = null;
        checkpoint = null;
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            problem = "the request is not UTF-8";
            return false;
        }
        // The first blank line ends the proof; the note has its own blank line further on.
        int blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0)
        {
            problem = "the request has no empty line before the checkpoint";
            return false;
        }
        string[] lines = text[..blank].Split('\n');
        if (!lines[0].StartsWith("old ", StringComparison.Ordinal)
            || !C2spText.TryParseDecimal(lines[0][4..], out oldSize))
        {
            problem = "the first line is 'old' and a decimal size with no leading zeroes";
            return false;
        }
        if (lines.Length - 1 > MaxProofLines)
        {
            problem = $"more than {MaxProofLines} consistency proof lines";
            return false;
        }
        foreach (string line in lines[1..])
        {
            if (!C2spText.TryDecodeBase64(line, out byte[] hash) || hash.Length != MerkleHash.Size)
            {
                problem = "a consistency proof line is not the base64 of a 32-byte hash";
                return false;
            }
            proof.Add(hash);
        }
        try
        {
            note = SignedNote.Parse(text[(blank + 2)..]);
            checkpoint = Checkpoint.Parse(note.Text);
        }
        catch (TransparencyFormatException e)
        {
            problem = $"the checkpoint is malformed: {e.Message}";
            return false;
        }
        problem = null;
        return true;
    }
}
