using Google.Protobuf;
using KpRegistry.Crypto;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using Proto = KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Server.Grpc;

/// <summary>Domain to wire and back: the plain converters, in one place.</summary>
public static class Mapping
{
    /// <summary>RFC 3339 in UTC with the precision the value has, e.g. "2026-11-28T07:30:00Z".</summary>
    public static string ToWire(DateTimeOffset instant) => KeyStatements.FormatInstant(instant);

    public static string ToWire(DateTimeOffset? instant) => instant is { } value ? ToWire(value) : "";

    public static string ToWire(DateOnly date) => CertificateDates.ToText(date);

    public static string ToWire(DateOnly? date) => date is { } value ? ToWire(value) : "";

    public static Proto.ParticipantStatus ToWire(ParticipantStatus? status) => status switch
    {
        ParticipantStatus.Active => Proto.ParticipantStatus.Active,
        ParticipantStatus.ActiveRestricted => Proto.ParticipantStatus.ActiveRestricted,
        ParticipantStatus.Suspended => Proto.ParticipantStatus.Suspended,
        ParticipantStatus.SelfSuspended => Proto.ParticipantStatus.SelfSuspended,
        ParticipantStatus.Removed => Proto.ParticipantStatus.Removed,
        _ => Proto.ParticipantStatus.Unspecified,
    };

    public static ParticipantStatus? FromWire(Proto.ParticipantStatus status) => status switch
    {
        Proto.ParticipantStatus.Active => ParticipantStatus.Active,
        Proto.ParticipantStatus.ActiveRestricted => ParticipantStatus.ActiveRestricted,
        Proto.ParticipantStatus.Suspended => ParticipantStatus.Suspended,
        Proto.ParticipantStatus.SelfSuspended => ParticipantStatus.SelfSuspended,
        Proto.ParticipantStatus.Removed => ParticipantStatus.Removed,
        _ => null,
    };

    public static Proto.KeyAlgorithm ToWire(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Ed25519 => Proto.KeyAlgorithm.Ed25519,
        KeyAlgorithm.EcdsaP256 => Proto.KeyAlgorithm.EcdsaP256,
        KeyAlgorithm.MlDsa65 => Proto.KeyAlgorithm.MlDsa65,
        _ => Proto.KeyAlgorithm.Unspecified,
    };

    /// <summary>The requested algorithm; Ed25519 when unspecified; null for a value this version does not know.</summary>
    public static KeyAlgorithm? FromWire(Proto.KeyAlgorithm algorithm) => algorithm switch
    {
        Proto.KeyAlgorithm.Unspecified or Proto.KeyAlgorithm.Ed25519 => KeyAlgorithm.Ed25519,
        Proto.KeyAlgorithm.EcdsaP256 => KeyAlgorithm.EcdsaP256,
        Proto.KeyAlgorithm.MlDsa65 => KeyAlgorithm.MlDsa65,
        _ => null,
    };

    public static Proto.KeyState ToWire(KeyState state) => state switch
    {
        KeyState.Active => Proto.KeyState.Active,
        KeyState.Retired => Proto.KeyState.Retired,
        KeyState.Revoked => Proto.KeyState.Revoked,
        _ => Proto.KeyState.Unspecified,
    };

    public static Proto.KeyCustody ToWire(KeyCustody custody) => custody switch
    {
        KeyCustody.Managed => Proto.KeyCustody.Managed,
        KeyCustody.Held => Proto.KeyCustody.Held,
        _ => Proto.KeyCustody.Unspecified,
    };

    public static Proto.Participant ToWire(ParticipantInfo participant, DateOnly today)
    {
        var wire = new Proto.Participant
        {
            Code = participant.Code,
            Name = participant.Name,
            Status = ToWire(participant.StatusOn(today)),
            Embargoed = participant.Embargoed,
            MaxValidityDays = (uint)(participant.MaxValidityDays ?? 0),
        };
        foreach (StatusPeriod period in participant.StatusHistory)
        {
            wire.StatusHistory.Add(new Proto.StatusPeriod
            {
                Status = ToWire(period.Status),
                EffectiveFrom = ToWire(period.EffectiveFrom),
                EffectiveTo = ToWire(period.EffectiveTo),
                Reason = period.Reason,
            });
        }
        foreach (AuthorityInfo authority in participant.Authorities)
        {
            wire.Authorities.Add(new Proto.Authority { Code = authority.Code, ParticipantCode = authority.ParticipantCode, Name = authority.Name });
        }
        foreach (ZoneApproval zone in participant.ApprovedZones)
        {
            wire.ApprovedZones.Add(new Proto.ZoneApproval { Zone = zone.Zone, EffectiveFrom = ToWire(zone.EffectiveFrom), EffectiveTo = ToWire(zone.EffectiveTo) });
        }
        return wire;
    }

    public static Proto.Key ToWire(KeyInfo key) => new()
    {
        KeyId = key.KeyId,
        ParticipantCode = key.ParticipantCode,
        AuthorityCode = key.AuthorityCode ?? "",
        Algorithm = ToWire(key.Algorithm),
        Custody = ToWire(key.Custody),
        Spki = ByteString.CopyFrom(key.Spki),
        SpkiPem = PublicKeys.ToPem(key.Spki),
        State = ToWire(key.State),
        NotBefore = ToWire(key.NotBefore),
        NotAfter = ToWire(key.NotAfter),
        RetiredAt = ToWire(key.RetiredAt),
        CompromisedSince = ToWire(key.CompromisedSince),
    };
}
