using Google.Protobuf;
using KpRegistry.Crypto;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Wire;
using Proto = KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Server.Grpc;

/// <summary>
/// A registered key, domain to wire, for the answers and the trust list. The other converters are
/// KpRegistry.Domain.Wire's; this one stays here because the wire key carries its PEM form, which
/// is Crypto's (the client library reads keys back in KpRegistry.Client.KeyMapping).
/// </summary>
public static class KeyMapping
{
    public static Proto.Key ToWire(KeyInfo key) => new()
    {
        KeyId = key.KeyId,
        ParticipantCode = key.ParticipantCode,
        AuthorityCode = key.AuthorityCode ?? "",
        Algorithm = WireEnums.ToWire(key.Algorithm),
        Custody = WireEnums.ToWire(key.Custody),
        Spki = ByteString.CopyFrom(key.Spki),
        SpkiPem = PublicKeys.ToPem(key.Spki),
        State = WireEnums.ToWire(key.State),
        NotBefore = Instants.Format(key.NotBefore),
        NotAfter = Instants.Format(key.NotAfter),
        RetiredAt = Instants.Format(key.RetiredAt),
        CompromisedSince = Instants.Format(key.CompromisedSince),
    };
}
