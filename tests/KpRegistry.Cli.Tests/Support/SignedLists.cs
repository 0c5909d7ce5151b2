using Google.Protobuf;
using KpRegistry.Client;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using DomainAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;

namespace KpRegistry.Cli.Tests.Support;

/// <summary>
/// A registry's signed lists as a test makes them: a two-link registry key chain of fresh keys,
/// participants BW (authority BW-MMGE), EU and ZA, and the held keys the test lists.
/// </summary>
internal sealed class SignedLists : IDisposable
{
    public const string BwAuthority = "BW-MMGE";

    private readonly SigningKey _first = SigningKey.Generate(DomainAlgorithm.Ed25519);
    private readonly SigningKey _second = SigningKey.Generate(DomainAlgorithm.EcdsaP256);

    public SignedLists()
    {
        var at = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        List.RegistryKeyChain.Add(KeyStatementFactory.RegistryKeyLink(_first, null, 1, at));
        List.RegistryKeyChain.Add(KeyStatementFactory.RegistryKeyLink(_second, _first, 2, at.AddDays(100)));
    }

    public TrustList List { get; } = new()
    {
        Version = 3,
        IssuedAt = "2026-03-15T00:00:00Z",
        NextUpdate = "2026-03-17T00:00:00Z",
        Participants = { Participant("BW", BwAuthority), Participant("EU", "EU-BE"), Participant("ZA", "ZA-SADPMR") },
    };

    /// <summary>The first registry key's id: what a verifier pins.</summary>
    public string Pin => _first.KeyId;

    /// <summary>Lists <paramref name="key"/> as an ACTIVE key of <paramref name="participant"/> since 2003.</summary>
    public SignedLists WithKey(string participant, string keyId, byte[] spki, KeyAlgorithm algorithm)
    {
        List.Keys.Add(new Key
        {
            KeyId = keyId, ParticipantCode = participant, Algorithm = algorithm, Spki = ByteString.CopyFrom(spki),
            State = KeyState.Active, Custody = KeyCustody.Held, NotBefore = "2003-01-01T00:00:00Z",
        });
        return this;
    }

    /// <summary>The trust list signed by the registry's current key (the chain's last).</summary>
    public SignedEnvelope SignedTrustList() => EnvelopeSigner.Sign(PayloadTypes.TrustList, List.ToByteArray(), _second);

    /// <summary>A full revocation list of <paramref name="entries"/>, signed by the current key.</summary>
    public SignedEnvelope SignedRevocations(ulong version, params RevocationEntry[] entries)
    {
        var list = new RevocationList { Version = version, IssuedAt = "2026-03-15T00:00:00Z", NextUpdate = "2026-03-17T00:00:00Z" };
        list.Entries.Add(entries);
        return EnvelopeSigner.Sign(PayloadTypes.Revocations, list.ToByteArray(), _second);
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    private static Participant Participant(string code, string authority) => new()
    {
        Code = code,
        Name = code,
        Status = ParticipantStatus.Active,
        StatusHistory = { new StatusPeriod { Status = ParticipantStatus.Active, EffectiveFrom = "2003-01-01" } },
        Authorities = { new Authority { Code = authority, ParticipantCode = code, Name = authority } },
    };
}
