using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using Proto = KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Client;

/// <summary>
/// Wire to domain for what the trust list carries: participants and keys. The enum mapping mirrors
/// the server's domain-to-wire mapping (KpRegistry.Server.Grpc.Mapping) value for value.
/// </summary>
/// <remarks>Every converter throws <see cref="FormatException"/> with the field named when the wire value cannot be read; none returns a half-read object.</remarks>
public static class WireMapping
{
    /// <summary>The status; null for UNSPECIFIED (before admission) or a value this version does not know.</summary>
    public static ParticipantStatus? FromWire(Proto.ParticipantStatus status) => status switch
    {
        Proto.ParticipantStatus.Active => ParticipantStatus.Active,
        Proto.ParticipantStatus.ActiveRestricted => ParticipantStatus.ActiveRestricted,
        Proto.ParticipantStatus.Suspended => ParticipantStatus.Suspended,
        Proto.ParticipantStatus.SelfSuspended => ParticipantStatus.SelfSuspended,
        Proto.ParticipantStatus.Removed => ParticipantStatus.Removed,
        _ => null,
    };

    /// <summary>The algorithm; Ed25519 when UNSPECIFIED (as the server reads it); null for a value this version does not know.</summary>
    public static KeyAlgorithm? FromWire(Proto.KeyAlgorithm algorithm) => algorithm switch
    {
        Proto.KeyAlgorithm.Unspecified or Proto.KeyAlgorithm.Ed25519 => KeyAlgorithm.Ed25519,
        Proto.KeyAlgorithm.EcdsaP256 => KeyAlgorithm.EcdsaP256,
        Proto.KeyAlgorithm.MlDsa65 => KeyAlgorithm.MlDsa65,
        _ => null,
    };

    /// <summary>The state; null for UNSPECIFIED or a value this version does not know.</summary>
    public static KeyState? FromWire(Proto.KeyState state) => state switch
    {
        Proto.KeyState.Active => KeyState.Active,
        Proto.KeyState.Retired => KeyState.Retired,
        Proto.KeyState.Revoked => KeyState.Revoked,
        _ => null,
    };

    /// <summary>The custody; null for UNSPECIFIED or a value this version does not know.</summary>
    public static KeyCustody? FromWire(Proto.KeyCustody custody) => custody switch
    {
        Proto.KeyCustody.Managed => KeyCustody.Managed,
        Proto.KeyCustody.Held => KeyCustody.Held,
        _ => null,
    };

    /// <summary>A participant with its status history, authorities, approved zones, embargo and maximum validity (0 on the wire: none).</summary>
    /// <exception cref="FormatException">A status period with no known status, or a date that is not YYYY-MM-DD.</exception>
    public static ParticipantInfo ToDomain(Proto.Participant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var history = new List<StatusPeriod>(participant.StatusHistory.Count);
        foreach (Proto.StatusPeriod period in participant.StatusHistory)
        {
            ParticipantStatus status = FromWire(period.Status)
                ?? throw new FormatException($"participant {participant.Code}: a status period has status {period.Status}");
            history.Add(new StatusPeriod(status,
                Instants.ParseDate(period.EffectiveFrom, $"participant {participant.Code}: effective_from"),
                Instants.ParseOptionalDate(period.EffectiveTo, $"participant {participant.Code}: effective_to"),
                period.Reason));
        }
        var authorities = participant.Authorities.Select(a => new AuthorityInfo(a.Code, a.ParticipantCode, a.Name)).ToList();
        var zones = participant.ApprovedZones.Select(z => new ZoneApproval(z.Zone,
            Instants.ParseDate(z.EffectiveFrom, $"participant {participant.Code}: zone {z.Zone} effective_from"),
            Instants.ParseOptionalDate(z.EffectiveTo, $"participant {participant.Code}: zone {z.Zone} effective_to"))).ToList();
        return new ParticipantInfo(participant.Code, participant.Name, history, authorities, zones,
            Embargoed: participant.Embargoed,
            MaxValidityDays: participant.MaxValidityDays == 0 ? null : checked((int)participant.MaxValidityDays));
    }

    /// <summary>
    /// A key, with the verifier of its SPKI for its algorithm (made once here, reused for every
    /// check) and its dates; revocation reason empty (the revocation list carries it). An
    /// UNSPECIFIED custody reads as managed: custody plays no part in verification.
    /// </summary>
    /// <exception cref="FormatException">key_id not the SHA-256 of spki; an unknown algorithm or state; an SPKI that is not a key of the algorithm; a date that is not RFC 3339.</exception>
    public static KeyInfo ToDomain(Proto.Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string what = $"key {key.KeyId}";
        byte[] spki = key.Spki.ToByteArray();
        if (!KeyIds.IsWellFormed(key.KeyId) || !string.Equals(key.KeyId, KeyIds.FromSpki(spki), StringComparison.Ordinal))
        {
            throw new FormatException($"{what}: key_id is not the SHA-256 of its spki");
        }
        KeyAlgorithm algorithm = FromWire(key.Algorithm) ?? throw new FormatException($"{what}: unknown algorithm {key.Algorithm}");
        KeyState state = FromWire(key.State) ?? throw new FormatException($"{what}: state {key.State} is not ACTIVE, RETIRED or REVOKED");
        ISignatureVerifier verifier;
        try
        {
            verifier = SignatureVerifiers.Create(algorithm, spki);
        }
        catch (CryptoFormatException e)
        {
            throw new FormatException($"{what}: {e.Message}", e);
        }
        return new KeyInfo(
            key.KeyId,
            key.ParticipantCode,
            key.AuthorityCode.Length == 0 ? null : key.AuthorityCode,
            algorithm,
            FromWire(key.Custody) ?? KeyCustody.Managed,
            state,
            spki,
            Instants.Parse(key.NotBefore, $"{what}: not_before"),
            Instants.ParseOptional(key.NotAfter, $"{what}: not_after"),
            Instants.ParseOptional(key.RetiredAt, $"{what}: retired_at"),
            Instants.ParseOptional(key.CompromisedSince, $"{what}: compromised_since"),
            RevocationReason: "",
            verifier);
    }
}
