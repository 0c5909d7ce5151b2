using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Wire;
using KeyStatements = KpRegistry.Domain.Keys.KeyStatements;
using KeyAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;

namespace KpRegistry.Client.Tests.TestData;

/// <summary>
/// A registry as a test builds it: a key chain of fresh registry keys (link 1 self-signed, each
/// later link signed by the one before), participants BW, EU and ZA, an ACTIVE held key for BW, and
/// the trust and revocation lists signed as the conventions say. Tests change <see cref="List"/>
/// before signing it.
/// </summary>
public sealed class TestRegistry : IDisposable
{
    /// <summary>The time of the check: the day after the test certificate's date of issue.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public const string BwAuthority = "BW-MMGE";

    private readonly List<SigningKey> _owned = [];

    public TestRegistry(int chainLength = 1, params KeyAlgorithm[] chainAlgorithms)
    {
        for (int i = 0; i < chainLength; i++)
        {
            SigningKey key = Own(SigningKey.Generate(i < chainAlgorithms.Length ? chainAlgorithms[i] : KeyAlgorithm.Ed25519));
            Chain.Add(KeyStatementFactory.RegistryKeyLink(key, RegistryKeys.Count == 0 ? null : RegistryKeys[^1], (ulong)i + 1, Now.AddDays(-365 + i)));
            RegistryKeys.Add(key);
        }
        BwKey = NewKey();
        List = new TrustList
        {
            Version = 7,
            IssuedAt = "2026-03-10T06:00:00Z",
            NextUpdate = "2026-03-11T06:00:00Z",
            Participants =
            {
                Participant("BW", "Botswana", new Authority { Code = BwAuthority, ParticipantCode = "BW", Name = "Ministry of Minerals and Energy" }),
                Participant("EU", "European Union", new Authority { Code = "EU-BE", ParticipantCode = "EU", Name = "FPS Economy, Antwerp" }),
                Participant("ZA", "South Africa", new Authority { Code = "ZA-SADPMR", ParticipantCode = "ZA", Name = "SADPMR" }),
                new Participant { Code = "XR", Name = "Kimberley Process Registry (registry signing keys)" },
            },
            Keys = { WireKey(BwKey, "BW") },
        };
        List.RegistryKeyChain.Add(Chain);
    }

    /// <summary>The registry's keys, oldest first; the last signs the lists.</summary>
    public List<SigningKey> RegistryKeys { get; } = [];

    /// <summary>The chain's links, as the trust list carries them.</summary>
    public List<SignedEnvelope> Chain { get; } = [];

    /// <summary>What a verifier pins: the first registry key's id.</summary>
    public string Pin => RegistryKeys[0].KeyId;

    public SigningKey CurrentRegistryKey => RegistryKeys[^1];

    /// <summary>Botswana's ACTIVE held key, listed in <see cref="List"/>.</summary>
    public SigningKey BwKey { get; }

    /// <summary>The trust list to sign; change it first.</summary>
    public TrustList List { get; }

    /// <summary>A fresh Ed25519 key, disposed with the registry.</summary>
    public SigningKey NewKey(KeyAlgorithm algorithm = KeyAlgorithm.Ed25519) => Own(SigningKey.Generate(algorithm));

    /// <summary>The trust list, serialised once and signed by <paramref name="signers"/> (the current registry key when none).</summary>
    public SignedEnvelope SignedTrustList(params SigningKey[] signers) =>
        EnvelopeSigner.Sign(PayloadTypes.TrustList, List.ToByteArray(), signers.Length == 0 ? [CurrentRegistryKey] : signers);

    /// <summary>A revocation list of <paramref name="entries"/> after <paramref name="since"/>, signed by <paramref name="signer"/> (the current registry key when null).</summary>
    public SignedEnvelope SignedRevocations(ulong since, ulong version, SigningKey? signer, params RevocationEntry[] entries)
    {
        var list = new RevocationList { SinceVersion = since, Version = version, IssuedAt = "2026-03-10T07:00:00Z", NextUpdate = "2026-03-10T18:00:00Z" };
        list.Entries.Add(entries);
        return EnvelopeSigner.Sign(PayloadTypes.Revocations, list.ToByteArray(), signer ?? CurrentRegistryKey);
    }

    public static RevocationEntry KeyRevoked(ulong version, string keyId, DateTimeOffset compromisedSince, string reason = "private key stolen") => new()
    {
        Version = version,
        Kind = RevocationKind.Key,
        KeyId = keyId,
        CompromisedSince = Instants.Format(compromisedSince),
        RecordedAt = Instants.Format(Now.AddHours(-1)),
        Reason = reason,
    };

    public static RevocationEntry Cancelled(ulong version, SignedEnvelope certificate, string number, DateTimeOffset recordedAt) => new()
    {
        Version = version,
        Kind = RevocationKind.CertificateCancelled,
        IssuingParticipant = "BW",
        CertificateNumber = number,
        PayloadSha256 = ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(certificate.Payload.Span)),
        CertificateRecordedAt = Instants.Format(recordedAt),
        RecordedAt = Instants.Format(Now.AddHours(-1)),
        Reason = "shipment called off",
    };

    /// <summary>A listed key as the server writes it: ACTIVE, held, valid since 2003.</summary>
    public static Key WireKey(SigningKey key, string participant, string authority = "") => new()
    {
        KeyId = key.KeyId,
        ParticipantCode = participant,
        AuthorityCode = authority,
        Algorithm = key.Algorithm switch
        {
            KeyAlgorithm.EcdsaP256 => Contracts.Registry.V1.KeyAlgorithm.EcdsaP256,
            KeyAlgorithm.MlDsa65 => Contracts.Registry.V1.KeyAlgorithm.MlDsa65,
            _ => Contracts.Registry.V1.KeyAlgorithm.Ed25519,
        },
        Spki = ByteString.CopyFrom(key.Spki),
        SpkiPem = PublicKeys.ToPem(key.Spki),
        State = KeyState.Active,
        Custody = KeyCustody.Held,
        NotBefore = "2003-01-01T00:00:00Z",
    };

    public void Dispose()
    {
        foreach (SigningKey key in _owned)
        {
            key.Dispose();
        }
    }

    private SigningKey Own(SigningKey key)
    {
        _owned.Add(key);
        return key;
    }

    private static Participant Participant(string code, string name, Authority authority) => new()
    {
        Code = code,
        Name = name,
        Status = ParticipantStatus.Active,
        StatusHistory = { new StatusPeriod { Status = ParticipantStatus.Active, EffectiveFrom = "2003-01-01", Reason = "founding participant" } },
        Authorities = { authority },
        MaxValidityDays = code == "BW" ? 90u : 0u,
    };
}
