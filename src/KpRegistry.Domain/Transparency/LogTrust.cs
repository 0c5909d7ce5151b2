namespace KpRegistry.Domain.Transparency;

/// <summary>The outcome of checking a checkpoint or a proof: accepted, or the precise reason not.</summary>
public sealed record TransparencyCheck(bool IsValid, string? Failure, Checkpoint? Checkpoint, WitnessPolicyResult? Witnesses)
{
    internal static TransparencyCheck Fail(string failure, WitnessPolicyResult? witnesses = null) => new(false, failure, null, witnesses);
}

/// <summary>
/// What a verifier trusts about one log: its origin, its checkpoint key, and the witness policy.
/// One decision for the client library, the CLI (online and offline) and the monitor.
/// </summary>
public sealed class LogTrust
{
    public LogTrust(string origin, NoteVerifier logKey, WitnessPolicy witnesses)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentNullException.ThrowIfNull(logKey);
        ArgumentNullException.ThrowIfNull(witnesses);
        if (logKey is not Ed25519NoteVerifier)
        {
            throw new ArgumentException("The log signs its checkpoints with Ed25519 (type 0x01).", nameof(logKey));
        }
        Origin = origin;
        LogKey = logKey;
        Witnesses = witnesses;
    }

    public string Origin { get; }

    public NoteVerifier LogKey { get; }

    public WitnessPolicy Witnesses { get; }

    /// <summary>
    /// Accepts a checkpoint note only when it parses, the log's key signed it, its origin is this
    /// log's, and the witness policy is met; otherwise says which of these failed (naming the
    /// missing witnesses).
    /// </summary>
    public TransparencyCheck VerifyCheckpoint(string noteText)
    {
        ArgumentNullException.ThrowIfNull(noteText);
        SignedNote note;
        Checkpoint checkpoint;
        try
        {
            note = SignedNote.Parse(noteText);
            checkpoint = Checkpoint.Parse(note.Text);
        }
        catch (TransparencyFormatException e)
        {
            return TransparencyCheck.Fail($"The checkpoint is malformed: {e.Message}");
        }
        switch (note.Verify([LogKey], out _))
        {
            case NoteVerificationStatus.NoTrustedSignature:
                return TransparencyCheck.Fail($"The checkpoint carries no signature by the log key {LogKey.Name}.");
            case NoteVerificationStatus.InvalidSignature:
                return TransparencyCheck.Fail($"The log signature on the checkpoint ({LogKey.Name}) does not verify.");
        }
        if (checkpoint.Origin != Origin)
        {
            return TransparencyCheck.Fail($"The checkpoint's origin is '{checkpoint.Origin}', not '{Origin}'.");
        }
        WitnessPolicyResult witnesses = Witnesses.Check(note);
        if (!witnesses.IsSatisfied)
        {
            return TransparencyCheck.Fail($"The witness policy is not met: {witnesses.Describe()}.", witnesses);
        }
        return new TransparencyCheck(true, null, checkpoint, witnesses);
    }
}
