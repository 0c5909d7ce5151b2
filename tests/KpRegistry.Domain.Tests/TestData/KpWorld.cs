using System.Security.Cryptography;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;

namespace KpRegistry.Domain.Tests.TestData;

/// <summary>
/// A small KP world with the precedents of DOMAIN.md: Botswana (licenses exporters, 90-day
/// validity), the EU (one participant, several authorities, 60 days), South Africa, the UAE, the
/// Central African Republic (suspended 2013, then restricted to approved zones), Venezuela
/// (self-suspended 2008-2016), the Republic of Congo (removed 2004-2007), Côte d'Ivoire
/// (embargoed). Kenya is not a participant. Each participant has one active key from 2003.
/// A new world per test: the keys are fresh and the view can be changed freely.
/// </summary>
public sealed class KpWorld : IDisposable
{
    /// <summary>The time of the check in most tests: the day after <see cref="TestCertificates.IssuedOn"/>.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public const string BwAuthority = "BW-MMGE";
    public const string CfAuthority = "CF-KPPS";

    private static readonly DateOnly Founding = new(2003, 1, 1);
    private readonly Dictionary<string, TestKey> _keys = new(StringComparer.Ordinal);

    public KpWorld()
    {
        View = new InMemoryRegistryView();
        Add(new ParticipantInfo("BW", "Botswana", [Active(Founding)],
            [new AuthorityInfo(BwAuthority, "BW", "Ministry of Minerals and Energy"), new AuthorityInfo("BW-DMS", "BW", "Diamond Hub")], [],
            MaxValidityDays: 90, LicensesExporters: true));
        Add(new ParticipantInfo("EU", "European Union", [Active(Founding)],
            [new AuthorityInfo("EU-BE", "EU", "FPS Economy, Antwerp"), new AuthorityInfo("EU-DE", "EU", "Hauptzollamt Koblenz")], [],
            MaxValidityDays: 60));
        Add(new ParticipantInfo("ZA", "South Africa", [Active(Founding)], [new AuthorityInfo("ZA-SADPMR", "ZA", "SADPMR")], []));
        Add(new ParticipantInfo("AE", "United Arab Emirates", [Active(Founding)], [new AuthorityInfo("AE-DMCC", "AE", "DMCC")], []));
        Add(new ParticipantInfo("CF", "Central African Republic",
            [
                Period(ParticipantStatus.Active, Founding, new DateOnly(2013, 5, 23)),
                Period(ParticipantStatus.Suspended, new DateOnly(2013, 5, 23), new DateOnly(2016, 7, 1), "Seleka coup"),
                Period(ParticipantStatus.ActiveRestricted, new DateOnly(2016, 7, 1), new DateOnly(2024, 11, 15), "compliant zones only"),
                Period(ParticipantStatus.Active, new DateOnly(2024, 11, 15), null),
            ],
            [new AuthorityInfo(CfAuthority, "CF", "KP Permanent Secretariat")],
            [
                new ZoneApproval("Berberati", new DateOnly(2016, 7, 1), null),
                new ZoneApproval("Carnot", new DateOnly(2016, 7, 1), null),
                new ZoneApproval("Nola", new DateOnly(2018, 1, 1), null),
            ]));
        Add(new ParticipantInfo("VE", "Venezuela",
            [
                Period(ParticipantStatus.Active, Founding, new DateOnly(2008, 11, 1)),
                Period(ParticipantStatus.SelfSuspended, new DateOnly(2008, 11, 1), new DateOnly(2016, 7, 1), "voluntary separation"),
                Period(ParticipantStatus.Active, new DateOnly(2016, 7, 1), null),
            ],
            [new AuthorityInfo("VE-CVG", "VE", "CVG")], []));
        Add(new ParticipantInfo("CG", "Republic of Congo",
            [
                Period(ParticipantStatus.Active, Founding, new DateOnly(2004, 7, 9)),
                Period(ParticipantStatus.Removed, new DateOnly(2004, 7, 9), new DateOnly(2007, 11, 8), "exports far above production"),
                Period(ParticipantStatus.Active, new DateOnly(2007, 11, 8), null),
            ],
            [new AuthorityInfo("CG-BEEC", "CG", "BEEC")], []));
        Add(new ParticipantInfo("CI", "Côte d'Ivoire", [Active(Founding)], [new AuthorityInfo("CI-MMG", "CI", "Ministry of Mines")], [],
            Embargoed: true));
    }

    public InMemoryRegistryView View { get; }

    /// <summary>The active key registered for <paramref name="participant"/>.</summary>
    public TestKey KeyOf(string participant) => _keys[participant];

    /// <summary>Registers (or re-registers) <paramref name="key"/> as <paramref name="registration"/> says.</summary>
    public KpWorld Register(KeyInfo registration)
    {
        View.Add(registration);
        return this;
    }

    /// <summary>A new key for <paramref name="participant"/>, not registered.</summary>
    public TestKey NewKey(string participant)
    {
        TestKey key = TestKey.Create();
        _keys[participant + "#" + key.KeyId] = key;
        return key;
    }

    /// <summary>The registry records this payload as signed by its first signature's key.</summary>
    public KpWorld Record(SignedEnvelope envelope, string issuer, string number, DateTimeOffset recordedAt,
        CertificateState state = CertificateState.Issued, string stateReason = "", string? replacedBy = null)
    {
        View.Add(new CertificateRecordInfo(issuer, number, envelope.Signatures[0].KeyId,
            SHA256.HashData(envelope.Payload.Span), recordedAt, state, stateReason, replacedBy));
        return this;
    }

    /// <summary>The view without certificate records: an offline verifier with a trust list.</summary>
    public KpWorld Offline()
    {
        View.HoldsCertificateRecords = false;
        return this;
    }

    public void Dispose()
    {
        foreach (TestKey key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private void Add(ParticipantInfo participant)
    {
        View.Add(participant);
        TestKey key = TestKey.Create();
        _keys[participant.Code] = key;
        View.Add(key.Registration(participant.Code));
    }

    private static StatusPeriod Active(DateOnly from) => new(ParticipantStatus.Active, from, null);

    private static StatusPeriod Period(ParticipantStatus status, DateOnly from, DateOnly? to, string reason = "") => new(status, from, to, reason);
}
