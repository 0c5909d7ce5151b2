using Google.Protobuf;
using KpRegistry.Domain.Registry;
using Wire = KpRegistry.Contracts.Certificate.V1;

namespace KpRegistry.Server.Grpc;

/// <summary>Certificate records, store to wire.</summary>
public static class CertificateMapping
{
    public static Wire.CertificateRecord ToWire(Storage.CertificateRecord record) => new()
    {
        IssuingParticipant = record.IssuingParticipant,
        CertificateNumber = record.CertificateNumber,
        IssuingAuthority = record.IssuingAuthority,
        KeyId = record.KeyId,
        State = ToWire(record.State),
        RecordedAt = Mapping.ToWire(record.RecordedAt),
        PayloadSha256 = ByteString.CopyFrom(record.PayloadSha256),
        DateOfIssue = Mapping.ToWire(record.DateOfIssue),
        DateOfExpiry = Mapping.ToWire(record.DateOfExpiry),
        DestinationParticipant = record.DestinationParticipant,
    };

    public static Wire.CertificateState ToWire(CertificateState? state) => state switch
    {
        CertificateState.Issued => Wire.CertificateState.Issued,
        CertificateState.Received => Wire.CertificateState.Received,
        CertificateState.Detained => Wire.CertificateState.Detained,
        CertificateState.Cancelled => Wire.CertificateState.Cancelled,
        CertificateState.Replaced => Wire.CertificateState.Replaced,
        _ => Wire.CertificateState.Unspecified,
    };
}
