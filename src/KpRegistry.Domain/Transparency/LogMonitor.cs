using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Transparency.V1;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// One run of a monitor, from the checkpoint it saved (or the empty tree) to a new checkpoint the
/// verifier's policy accepted: the new tree must extend the saved one (RFC 9162 consistency proof),
/// and the entries read in between must be exactly the new tree's leaves (appended to the saved
/// compact range, they give the new root). Any failure is an alarm: the log showed this monitor a
/// history that is not the one it showed before. The new state exists only when every check passed.
/// </summary>
public sealed class LogMonitor
{
    private readonly MonitorState? saved;
    private readonly string nextNote;
    private readonly CompactRange range;
    private bool consistent;

    public LogMonitor(MonitorState? saved, string nextNote, Checkpoint next)
    {
        ArgumentNullException.ThrowIfNull(nextNote);
        ArgumentNullException.ThrowIfNull(next);
        this.saved = saved;
        this.nextNote = nextNote;
        Next = next;
        range = saved is null ? new CompactRange() : new CompactRange(saved.Range.Size, saved.Range.SubtreeRoots);
    }

    public Checkpoint Next { get; }

    /// <summary>The size of the saved tree: the first entry to read.</summary>
    public long From => saved?.Checkpoint.Size ?? 0;

    /// <summary>True when a consistency proof from <see cref="From"/> to the new size is needed (0 &lt; From &lt; new size).</summary>
    public bool NeedsConsistencyProof => From > 0 && From < Next.Size;

    /// <summary>
    /// Checks the new checkpoint against the saved one; <paramref name="proof"/> is the consistency
    /// proof from <see cref="From"/> (ignored when <see cref="NeedsConsistencyProof"/> is false).
    /// Returns the alarm, or null when the new tree extends the saved one.
    /// </summary>
    public string? CheckConsistency(IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (saved is not null)
        {
            Checkpoint old = saved.Checkpoint;
            if (old.Origin != Next.Origin)
            {
                return $"the saved checkpoint is of the log '{old.Origin}', the new one of '{Next.Origin}'";
            }
            if (Next.Size < old.Size)
            {
                return $"the log shrank: the saved checkpoint has {old.Size} entries, the new one {Next.Size}";
            }
            if (Next.Size == old.Size && !MerkleHash.AreEqual(Next.RootHash, old.RootHash))
            {
                return $"two trees of {old.Size} entries: the saved root {Convert.ToBase64String(old.RootHash)}, the new root {Convert.ToBase64String(Next.RootHash)}";
            }
            if (NeedsConsistencyProof && !MerkleTree.VerifyConsistency(old.Size, Next.Size, old.RootHash, Next.RootHash, proof))
            {
                return $"the new checkpoint ({Next.Size} entries) is not consistent with the saved one ({old.Size} entries): its consistency proof does not verify";
            }
        }
        consistent = true;
        return null;
    }

    /// <summary>How many entries have been appended so far, from <see cref="From"/>.</summary>
    public long Read => range.Size - From;

    /// <summary>Adds the next entry, as its bytes were read.</summary>
    public void Append(ReadOnlySpan<byte> entry)
    {
        if (range.Size >= Next.Size)
        {
            throw new InvalidOperationException($"The new checkpoint has {Next.Size} entries; no more can be appended.");
        }
        range.Append(MerkleHash.Leaf(entry));
    }

    /// <summary>
    /// After the last entry: the alarm when the entries read are not the new tree's, else null and
    /// the state to save.
    /// </summary>
    public string? Finish(out MonitorState? next)
    {
        next = null;
        if (!consistent)
        {
            throw new InvalidOperationException("CheckConsistency first.");
        }
        if (range.Size != Next.Size)
        {
            throw new InvalidOperationException($"{range.Size - From} of the {Next.Size - From} new entries were appended.");
        }
        if (!MerkleHash.AreEqual(range.Root(), Next.RootHash))
        {
            return $"the entries {From}..{Next.Size - 1} the log served do not hash to the new checkpoint's root {Convert.ToBase64String(Next.RootHash)}";
        }
        next = new MonitorState(nextNote, range);
        return null;
    }

    /// <summary>
    /// True when the entry is done in <paramref name="participant"/>'s name or concerns it: a
    /// certificate it issued or that is destined to it (as the entry says, and as the signed
    /// certificate inside says), an event of its certificate, its keys, its status, authorities,
    /// zones, embargoes and licensing.
    /// </summary>
    public static bool Concerns(LogEntry entry, string participant)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.SubjectCase switch
        {
            LogEntry.SubjectOneofCase.Certificate => entry.Certificate.IssuingParticipant == participant
                || SignedCertificate(entry.Certificate) is { } c && (c.IssuingParticipant == participant || c.DestinationParticipant == participant),
            LogEntry.SubjectOneofCase.CertificateEvent => entry.CertificateEvent.IssuingParticipant == participant,
            LogEntry.SubjectOneofCase.KeyEvent => entry.KeyEvent.Participant == participant,
            LogEntry.SubjectOneofCase.ParticipantEvent => entry.ParticipantEvent.Participant == participant,
            LogEntry.SubjectOneofCase.AuthorityEvent => entry.AuthorityEvent.Participant == participant,
            LogEntry.SubjectOneofCase.ZonesEvent => entry.ZonesEvent.Participant == participant,
            LogEntry.SubjectOneofCase.EmbargoEvent => entry.EmbargoEvent.Participant == participant,
            LogEntry.SubjectOneofCase.LicensingEvent => entry.LicensingEvent.Participant == participant,
            _ => false,
        };
    }

    /// <summary>One line for a person: the kind, what it names, and who did it.</summary>
    public static string Describe(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string what = entry.SubjectCase switch
        {
            LogEntry.SubjectOneofCase.Certificate => $"{entry.Certificate.IssuingParticipant} {entry.Certificate.CertificateNumber}"
                + (SignedCertificate(entry.Certificate) is { } c ? $" to {c.DestinationParticipant}" : " (envelope unreadable)")
                + $" key {entry.Certificate.KeyId}",
            LogEntry.SubjectOneofCase.CertificateEvent => $"{entry.CertificateEvent.IssuingParticipant} {entry.CertificateEvent.CertificateNumber}"
                + (entry.CertificateEvent.ReplacedBy.Length > 0 ? $" replaced by {entry.CertificateEvent.ReplacedBy}" : "")
                + $" reason '{entry.CertificateEvent.Reason}'",
            LogEntry.SubjectOneofCase.KeyEvent => $"{entry.KeyEvent.Participant} key {entry.KeyEvent.KeyId} {entry.KeyEvent.Algorithm} {entry.KeyEvent.Custody}"
                + (entry.KeyEvent.PreviousKeyId.Length > 0 ? $" replacing {entry.KeyEvent.PreviousKeyId}" : "")
                + (entry.KeyEvent.CompromisedSince.Length > 0 ? $" compromised since {entry.KeyEvent.CompromisedSince}" : "")
                + $" reason '{entry.KeyEvent.Reason}'",
            LogEntry.SubjectOneofCase.ParticipantEvent => $"{entry.ParticipantEvent.Participant} {entry.ParticipantEvent.Status} from {entry.ParticipantEvent.EffectiveFrom} reason '{entry.ParticipantEvent.Reason}'",
            LogEntry.SubjectOneofCase.AuthorityEvent => $"{entry.AuthorityEvent.Participant} authority {entry.AuthorityEvent.Authority}"
                + (entry.AuthorityEvent.EffectiveOn.Length > 0 ? $" from {entry.AuthorityEvent.EffectiveOn}" : $" '{entry.AuthorityEvent.Name}'"),
            LogEntry.SubjectOneofCase.ZonesEvent => $"{entry.ZonesEvent.Participant} zones [{string.Join(", ", entry.ZonesEvent.Zones)}] from {entry.ZonesEvent.EffectiveFrom}"
                + (entry.ZonesEvent.EffectiveTo.Length > 0 ? $" to {entry.ZonesEvent.EffectiveTo}" : ""),
            LogEntry.SubjectOneofCase.EmbargoEvent => $"{entry.EmbargoEvent.Participant} embargo {entry.EmbargoEvent.EmbargoId} from {entry.EmbargoEvent.EffectiveFrom}"
                + (entry.EmbargoEvent.EffectiveTo.Length > 0 ? $" to {entry.EmbargoEvent.EffectiveTo}" : "")
                + $" reason '{entry.EmbargoEvent.Reason}'",
            LogEntry.SubjectOneofCase.LicensingEvent => $"{entry.LicensingEvent.Participant} licenses exporters: {(entry.LicensingEvent.LicensesExporters ? "yes" : "no")}",
            LogEntry.SubjectOneofCase.RegistryKeyLink => $"registry key link {entry.RegistryKeyLink.Sequence} key {entry.RegistryKeyLink.KeyId}",
            _ => "(a kind this monitor does not know)",
        };
        return $"{entry.RecordedAt} {entry.Kind} {what} by {entry.Actor}";
    }

    private static Certificate? SignedCertificate(CertificateRecorded recorded)
    {
        try
        {
            return Certificate.Parser.ParseFrom(SignedEnvelope.Parser.ParseFrom(recorded.Envelope).Payload);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
