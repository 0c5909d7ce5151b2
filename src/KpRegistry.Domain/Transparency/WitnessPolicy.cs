namespace KpRegistry.Domain.Transparency;

/// <summary>What a checkpoint's cosignatures amount to under a <see cref="WitnessPolicy"/>.</summary>
/// <param name="IsSatisfied">At least the threshold of configured witnesses cosigned, and no configured witness's line failed.</param>
/// <param name="Cosigned">The witnesses whose cosignature verified.</param>
/// <param name="Missing">The witnesses with no cosignature on the note.</param>
/// <param name="Invalid">The witnesses whose cosignature line did not verify (a forged or damaged line: the note is rejected).</param>
public sealed record WitnessPolicyResult(
    bool IsSatisfied,
    int Threshold,
    IReadOnlyList<string> Cosigned,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Invalid)
{
    /// <summary>One sentence for an operator: how many of how many, and who is missing.</summary>
    public string Describe()
    {
        string text = $"{Cosigned.Count} of {Cosigned.Count + Missing.Count + Invalid.Count} witnesses cosigned (policy needs {Threshold})";
        if (Missing.Count > 0)
        {
            text += $"; missing: {string.Join(", ", Missing)}";
        }
        if (Invalid.Count > 0)
        {
            text += $"; invalid cosignature from: {string.Join(", ", Invalid)}";
        }
        return text;
    }
}

/// <summary>
/// k of n: a checkpoint is accepted only with valid cosignatures from at least
/// <see cref="Threshold"/> of the configured <see cref="Witnesses"/>. Cosignatures from other keys
/// are ignored (signed-note), so a log cannot pad the count with witnesses nobody chose.
/// </summary>
public sealed class WitnessPolicy
{
    public WitnessPolicy(IReadOnlyList<NoteVerifier> witnesses, int threshold)
    {
        ArgumentNullException.ThrowIfNull(witnesses);
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, witnesses.Count);
        if (witnesses.Select(w => (w.Name, w.KeyId)).Distinct().Count() != witnesses.Count)
        {
            throw new ArgumentException("A witness is configured twice.", nameof(witnesses));
        }
        Witnesses = witnesses;
        Threshold = threshold;
    }

    /// <summary>No witnesses and a threshold of 0: the log's own signature is all there is.</summary>
    public static WitnessPolicy None { get; } = new([], 0);

    public IReadOnlyList<NoteVerifier> Witnesses { get; }

    public int Threshold { get; }

    /// <summary>Judges the cosignature lines of <paramref name="note"/> (whose log signature is checked elsewhere).</summary>
    public WitnessPolicyResult Check(SignedNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var cosigned = new List<string>();
        var missing = new List<string>();
        var invalid = new List<string>();
        foreach (NoteVerifier witness in Witnesses)
        {
            var lines = note.Signatures.Where(s => s.KeyName == witness.Name && s.KeyId == witness.KeyId).ToList();
            if (lines.Count == 0)
            {
                missing.Add(witness.Name);
            }
            else if (lines.All(s => witness.Verify(note.Text, s.Signature)))
            {
                cosigned.Add(witness.Name);
            }
            else
            {
                invalid.Add(witness.Name);
            }
        }
        return new WitnessPolicyResult(cosigned.Count >= Threshold && invalid.Count == 0, Threshold, cosigned, missing, invalid);
    }
}
