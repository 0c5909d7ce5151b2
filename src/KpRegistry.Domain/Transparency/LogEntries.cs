using Google.Protobuf;
using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Wire;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// The one place a <see cref="LogEntry"/> is built and serialised: each method returns the entry's
/// bytes, which are the log's leaf (hashed as <see cref="MerkleHash.Leaf"/>) and are stored and
/// served as they are, never re-serialised. A write site records a change in the log with one call
/// here, in the same transaction as the change.
/// </summary>
public static partial class LogEntries
{
    /// <summary>The most bytes an entry may have: an entry bundle's length prefix is a uint16 (C2SP tlog-tiles).</summary>
    public const int MaxEntryBytes = ushort.MaxValue;

    /// <summary>A certificate recorded, with its SignedEnvelope exactly as presented.</summary>
    public static byte[] CertificateRecorded(DateTimeOffset at, string actor, string issuingParticipant, string certificateNumber, string keyId, byte[] envelope) =>
        Serialize(new LogEntry
        {
            Kind = LogEntryKind.CertificateRecorded,
            Certificate = new CertificateRecorded
            {
                IssuingParticipant = issuingParticipant,
                CertificateNumber = certificateNumber,
                KeyId = keyId,
                Envelope = ByteString.CopyFrom(envelope),
            },
        }, at, actor);

    /// <summary>An event of a recorded certificate: cancellation, replacement, import confirmation, detention decision.</summary>
    public static byte[] CertificateEvent(LogEntryKind kind, DateTimeOffset at, string actor, string issuingParticipant, string certificateNumber,
        string reason, string? replacedBy = null, byte[]? statement = null)
    {
        if (kind is not (LogEntryKind.CertificateCancelled or LogEntryKind.CertificateReplaced or LogEntryKind.ImportConfirmed or LogEntryKind.DetentionDecision))
        {
            throw new ArgumentException($"{kind} is not a certificate event.", nameof(kind));
        }
        return Serialize(new LogEntry
        {
            Kind = kind,
            CertificateEvent = new CertificateEvent
            {
                IssuingParticipant = issuingParticipant,
                CertificateNumber = certificateNumber,
                Reason = reason,
                ReplacedBy = replacedBy ?? "",
                Statement = statement is null ? ByteString.Empty : ByteString.CopyFrom(statement),
            },
        }, at, actor);
    }

    /// <summary>The log kind of a certificate event.</summary>
    public static LogEntryKind KindOf(CertificateEventKind kind) => kind switch
    {
        CertificateEventKind.Cancelled => LogEntryKind.CertificateCancelled,
        CertificateEventKind.Replaced => LogEntryKind.CertificateReplaced,
        CertificateEventKind.Received => LogEntryKind.ImportConfirmed,
        CertificateEventKind.Detained => LogEntryKind.DetentionDecision,
        // A detained shipment refused for good: the other outcome of a detention decision.
        CertificateEventKind.Refused => LogEntryKind.DetentionDecision,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a certificate event."),
    };

    /// <summary>A key event: registered (or made), rotated (<paramref name="previousKeyId"/>), revoked (<paramref name="compromisedSince"/>).</summary>
    public static byte[] KeyEvent(LogEntryKind kind, DateTimeOffset at, string actor, string keyId, string participant, string? authority,
        KeyAlgorithm algorithm, KeyCustody custody, byte[] spki, DateTimeOffset notBefore, DateTimeOffset? notAfter,
        string reason, string? previousKeyId = null, DateTimeOffset? compromisedSince = null)
    {
        if (kind is not (LogEntryKind.KeyRegistered or LogEntryKind.KeyRotated or LogEntryKind.KeyRevoked))
        {
            throw new ArgumentException($"{kind} is not a key event.", nameof(kind));
        }
        return Serialize(new LogEntry
        {
            Kind = kind,
            KeyEvent = new KeyEvent
            {
                KeyId = keyId,
                Participant = participant,
                Authority = authority ?? "",
                Algorithm = WireEnums.ToWire(algorithm),
                Custody = WireEnums.ToWire(custody),
                Spki = ByteString.CopyFrom(spki),
                PreviousKeyId = previousKeyId ?? "",
                CompromisedSince = Instants.Format(compromisedSince),
                Reason = reason,
                NotBefore = Instants.Format(notBefore),
                NotAfter = Instants.Format(notAfter),
            },
        }, at, actor);
    }

    /// <summary>A participant admitted, or its status changed.</summary>
    public static byte[] ParticipantEvent(LogEntryKind kind, DateTimeOffset at, string actor, string participant, string name,
        ParticipantStatus status, DateOnly effectiveFrom, string reason)
    {
        if (kind is not (LogEntryKind.ParticipantAdmitted or LogEntryKind.ParticipantStatusChanged))
        {
            throw new ArgumentException($"{kind} is not a participant event.", nameof(kind));
        }
        return Serialize(new LogEntry
        {
            Kind = kind,
            ParticipantEvent = new ParticipantEvent
            {
                Participant = participant,
                Name = name,
                Status = WireEnums.ToWire(status),
                EffectiveFrom = Dates.Format(effectiveFrom),
                Reason = reason,
            },
        }, at, actor);
    }

    /// <summary>A link of the registry key chain.</summary>
    public static byte[] RegistryKeyLink(DateTimeOffset at, string actor, long sequence, string keyId, byte[] statement) =>
        Serialize(new LogEntry
        {
            Kind = LogEntryKind.RegistryKeyLink,
            RegistryKeyLink = new RegistryKeyLinkAdded { Sequence = (ulong)sequence, KeyId = keyId, Statement = ByteString.CopyFrom(statement) },
        }, at, actor);

    /// <summary>Reads an entry's bytes (a monitor, the server's index of certificates).</summary>
    /// <exception cref="TransparencyFormatException">Not a LogEntry.</exception>
    public static LogEntry Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return LogEntry.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new TransparencyFormatException($"Not a log entry: {e.Message}");
        }
    }

    private static byte[] Serialize(LogEntry entry, DateTimeOffset at, string actor)
    {
        entry.RecordedAt = Instants.Format(at);
        entry.Actor = actor;
        byte[] bytes = entry.ToByteArray();
        if (bytes.Length > MaxEntryBytes)
        {
            throw new ArgumentException($"A log entry of {bytes.Length} bytes does not fit an entry bundle (at most {MaxEntryBytes}).");
        }
        return bytes;
    }
}
