using Google.Protobuf;
using KpRegistry.Domain.Wire;
using Proto = KpRegistry.Contracts.Certificate.V1;

namespace KpRegistry.Server.Grpc;

/// <summary>Certificate records, store to wire.</summary>
public static class CertificateMapping
{
    public static Proto.CertificateRecord ToWire(Storage.CertificateRecord record) => new()
    {
        IssuingParticipant = record.IssuingParticipant,
        CertificateNumber = record.CertificateNumber,
        IssuingAuthority = record.IssuingAuthority,
        KeyId = record.KeyId,
        State = WireEnums.ToWire(record.State),
        RecordedAt = Instants.Format(record.RecordedAt),
        PayloadSha256 = ByteString.CopyFrom(record.PayloadSha256),
        DateOfIssue = Dates.Format(record.DateOfIssue),
        DateOfExpiry = Dates.Format(record.DateOfExpiry),
        DestinationParticipant = record.DestinationParticipant,
        ReplacesCertificateNumber = record.ReplacesCertificateNumber ?? "",
    };

    public static Proto.CertificateEvent ToWire(Storage.CertificateEventRecord e) => new()
    {
        State = WireEnums.ToWire(Storage.CertificateStates.ToState(e.Kind)),
        At = Instants.Format(e.At),
        Reason = e.Reason,
        ReplacedBy = e.ReplacedBy ?? "",
        Actor = e.Actor,
    };
}
