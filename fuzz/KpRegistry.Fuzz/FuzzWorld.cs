using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using KpRegistry.Client;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Transparency;
using DomainAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;
using DomainCustody = KpRegistry.Domain.Keys.KeyCustody;
using DomainKeyState = KpRegistry.Domain.Keys.KeyState;
using DomainParticipantStatus = KpRegistry.Domain.Registry.ParticipantStatus;
using DomainStatusPeriod = KpRegistry.Domain.Registry.StatusPeriod;
using WireKeyAlgorithm = KpRegistry.Contracts.Registry.V1.KeyAlgorithm;

namespace KpRegistry.Fuzz;

/// <summary>
/// The small registry every target checks against: Botswana (issuer) and the EU (destination), one
/// ACTIVE key of each algorithm for Botswana, a registry key chain and a signed trust list, a log
/// key and a signed checkpoint, and the valid envelopes made from them: the seeds of the corpus.
/// </summary>
/// <remarks>
/// The Ed25519 keys come from fixed seeds (SHA-256 of a public phrase: test material, not a secret),
/// and Ed25519 signs deterministically, so a seed file written by one process is still valid in the
/// next (AFL++ starts the harness many times over one corpus). The P-256 and ML-DSA-65 keys are
/// fresh per process: envelopes signed by them are made in memory only.
/// Every payload this world signs is in <see cref="Signed"/>; a target that sees any other payload
/// accepted has found a forgery.
/// </remarks>
public sealed class FuzzWorld : IDisposable
{
    /// <summary>The time of every check: the day after the seed certificate's date of issue.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public const string BwAuthority = "BW-MMGE";
    public const string LogOrigin = "kpregistry.example/fuzz-log";
    public const string LogKeyName = "kpregistry.example/fuzz-log";

    private static readonly Lazy<FuzzWorld> SharedWorld = new(() => new FuzzWorld(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly HashSet<string> _signed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _signedNotes = new(StringComparer.Ordinal);
    private readonly ViewOf _view = new();

    public FuzzWorld()
    {
        BwEd25519 = FixedEd25519("KpRegistry fuzz world: Botswana's Ed25519 key (not a secret)");
        BwP256 = SigningKey.Generate(DomainAlgorithm.EcdsaP256);
        BwMlDsa65 = SigningKey.Generate(DomainAlgorithm.MlDsa65);
        RegistryKey = FixedEd25519("KpRegistry fuzz world: the registry's key (not a secret)");
        LogKey = FixedEd25519("KpRegistry fuzz world: the log's key (not a secret)");

        var founding = new DateOnly(2003, 1, 1);
        _view.Participants["BW"] = new ParticipantInfo("BW", "Botswana", [new DomainStatusPeriod(DomainParticipantStatus.Active, founding, null)],
            [new AuthorityInfo(BwAuthority, "BW", "Ministry of Minerals and Energy")], [], MaxValidityDays: 90, LicensesExporters: true);
        _view.Participants["EU"] = new ParticipantInfo("EU", "European Union", [new DomainStatusPeriod(DomainParticipantStatus.Active, founding, null)],
            [new AuthorityInfo("EU-BE", "EU", "FPS Economy, Antwerp")], [], MaxValidityMonths: 2);
        _view.Participants["ZA"] = new ParticipantInfo("ZA", "South Africa", [new DomainStatusPeriod(DomainParticipantStatus.Active, founding, null)],
            [new AuthorityInfo("ZA-SADPMR", "ZA", "SADPMR")], []);
        foreach (SigningKey key in (SigningKey[])[BwEd25519, BwP256, BwMlDsa65])
        {
            _view.Keys[key.KeyId] = new KeyInfo(key.KeyId, "BW", null, key.Algorithm, DomainCustody.Held, DomainKeyState.Active, key.Spki,
                new DateTimeOffset(2003, 1, 1, 0, 0, 0, TimeSpan.Zero), null, null, null, "", SignatureVerifiers.Create(key.Algorithm, key.Spki));
        }

        CertificatePayload = SeedCertificate().ToByteArray();
        CertificateEnvelope = Sign(PayloadTypes.Certificate, CertificatePayload, BwEd25519);
        P256CertificateEnvelope = Sign(PayloadTypes.Certificate, CertificatePayload, BwP256);
        MlDsa65CertificateEnvelope = Sign(PayloadTypes.Certificate, CertificatePayload, BwMlDsa65);

        KeyStatementEnvelope = KeyStatementFactory.Registration(BwEd25519, "BW", BwAuthority, Now);
        _signed.Add(SignedKey(KeyStatementEnvelope.PayloadType, KeyStatementEnvelope.Payload.Span));
        RegistryKeyLink = KeyStatementFactory.RegistryKeyLink(RegistryKey, null, 1, Now.AddDays(-365));
        _signed.Add(SignedKey(RegistryKeyLink.PayloadType, RegistryKeyLink.Payload.Span));

        var list = new TrustList
        {
            Version = 7,
            IssuedAt = "2026-03-10T06:00:00Z",
            NextUpdate = "2026-03-11T06:00:00Z",
            Participants =
            {
                WireParticipant("BW", "Botswana", BwAuthority),
                WireParticipant("EU", "European Union", "EU-BE"),
                new Participant { Code = RegistryParticipant.Code, Name = "Kimberley Process Registry (registry signing keys)" },
            },
            Keys = { WireKey(BwEd25519, "BW") },
            RegistryKeyChain = { RegistryKeyLink },
        };
        TrustListEnvelope = Sign(PayloadTypes.TrustList, list.ToByteArray(), RegistryKey);
        Offline = OfflineVerifier.Create(RegistryKey.KeyId, TrustListEnvelope);

        var logSigner = new NoteSigner(LogKeyName, LogKey);
        LogTrust = new LogTrust(LogOrigin, NoteVerifiers.Create(logSigner.VerifierKey), WitnessPolicy.None);
        LogVerifierKey = logSigner.VerifierKey.ToString();
        Entries = [LogEntryBytes(0), LogEntryBytes(1), LogEntryBytes(2)];
        byte[][] leaves = [.. Entries.Select(e => MerkleHash.Leaf(e))];
        var tree = new MemoryTree();
        foreach (byte[] leaf in leaves)
        {
            tree.Append(leaf);
        }
        var checkpoint = new Checkpoint(LogOrigin, leaves.Length, MerkleTree.RootOf(leaves));
        CheckpointNote = logSigner.SignNote(checkpoint.Format()).Format();
        _signedNotes.Add(new SignedNote(checkpoint.Format(), []).Text);
        LeafHash = leaves[1];
        TlogProofText = new TlogProof(1, MerkleTree.InclusionProof(tree, 1, leaves.Length), CheckpointNote).Format();
    }

    /// <summary>One world per process: building it signs with ML-DSA-65 and generates keys.</summary>
    public static FuzzWorld Shared => SharedWorld.Value;

    public IRegistryView View => _view;

    public SigningKey BwEd25519 { get; }

    public SigningKey BwP256 { get; }

    public SigningKey BwMlDsa65 { get; }

    public SigningKey RegistryKey { get; }

    public SigningKey LogKey { get; }

    /// <summary>The seed certificate's payload: valid in this world at <see cref="Now"/>.</summary>
    public byte[] CertificatePayload { get; }

    public SignedEnvelope CertificateEnvelope { get; }

    public SignedEnvelope P256CertificateEnvelope { get; }

    public SignedEnvelope MlDsa65CertificateEnvelope { get; }

    public SignedEnvelope KeyStatementEnvelope { get; }

    public SignedEnvelope RegistryKeyLink { get; }

    public SignedEnvelope TrustListEnvelope { get; }

    public OfflineVerifier Offline { get; }

    public LogTrust LogTrust { get; }

    public string LogVerifierKey { get; }

    public IReadOnlyList<byte[]> Entries { get; }

    public string CheckpointNote { get; }

    public byte[] LeafHash { get; }

    public string TlogProofText { get; }

    /// <summary>True when this world signed exactly this payload under exactly this type.</summary>
    public bool Signed(string payloadType, ReadOnlySpan<byte> payload) => _signed.Contains(SignedKey(payloadType, payload));

    /// <summary>True when the log signed this very note text.</summary>
    public bool SignedNoteText(string text) => _signedNotes.Contains(text);

    /// <summary>Signs <paramref name="payload"/> and remembers it as signed.</summary>
    public SignedEnvelope Sign(string payloadType, byte[] payload, SigningKey key)
    {
        lock (_signed)
        {
            _signed.Add(SignedKey(payloadType, payload));
        }
        return EnvelopeSigner.Sign(payloadType, payload, key);
    }

    /// <summary>Signs <paramref name="payload"/> WITHOUT remembering it: for targets that sign whatever the fuzzer sends.</summary>
    public SignedEnvelope SignUnrecorded(string payloadType, byte[] payload, SigningKey key) => EnvelopeSigner.Sign(payloadType, payload, key);

    /// <summary>Botswana to the EU, two lines, issued the day before <see cref="Now"/>.</summary>
    public static Certificate SeedCertificate() => new()
    {
        FormatVersion = 1,
        CertificateNumber = "BW-2026-000123",
        IssuingParticipant = "BW",
        IssuingAuthority = BwAuthority,
        Exporter = new Party { Name = "Okavango Diamond Company (Pty) Ltd", Address = "Plot 63016, Gaborone, Botswana", LicenceNumber = "BW-DEL-0042" },
        Importer = new Party { Name = "Antwerp Rough Trading NV", Address = "Hoveniersstraat 22, 2018 Antwerpen, Belgium" },
        DestinationParticipant = "EU",
        Origin = new Origin { Mixed = false, Countries = { "BW" } },
        Lines =
        {
            new Line { HsCode = "7102.10", CaratsHundredths = 1_250_000, ValueUsdCents = 118_750_000 },
            new Line { HsCode = "7102.31", CaratsHundredths = 341_025, ValueUsdCents = 204_615_000 },
        },
        TotalCaratsHundredths = 1_591_025,
        TotalValueUsdCents = 323_365_000,
        NumberOfParcels = 3,
        SealIds = { "BWS-558812", "BWS-558813" },
        TransitCountries = { "ZA" },
        DateOfIssue = "2026-03-09",
        DateOfExpiry = "2026-05-08",
        Statement = CertificateRules.Statement,
    };

    public void Dispose()
    {
        BwEd25519.Dispose();
        BwP256.Dispose();
        BwMlDsa65.Dispose();
        RegistryKey.Dispose();
        LogKey.Dispose();
    }

    private static string SignedKey(string payloadType, ReadOnlySpan<byte> payload) =>
        payloadType + "\n" + Convert.ToHexString(SHA256.HashData(payload));

    /// <summary>An Ed25519 key whose seed is SHA-256(<paramref name="phrase"/>), read through the PKCS#8 reader every key file goes through.</summary>
    private static SigningKey FixedEd25519(string phrase)
    {
        // RFC 8410 OneAsymmetricKey: SEQUENCE { 0, { id-Ed25519 }, OCTET STRING { OCTET STRING seed } }.
        byte[] prefix = Convert.FromHexString("302e020100300506032b657004220420");
        byte[] der = [.. prefix, .. SHA256.HashData(Encoding.UTF8.GetBytes(phrase))];
        try
        {
            return SigningKey.ImportPkcs8Der(der);
        }
        finally
        {
            Array.Clear(der);
        }
    }

    private static byte[] LogEntryBytes(int i) => LogEntries.CertificateRecorded(
        Now.AddMinutes(i), "BW-MMGE", "BW", $"BW-2026-00012{i}", new string('a', 64), [(byte)i, 1, 2, 3]);

    private static Participant WireParticipant(string code, string name, string authority) => new()
    {
        Code = code,
        Name = name,
        Status = Contracts.Registry.V1.ParticipantStatus.Active,
        StatusHistory = { new Contracts.Registry.V1.StatusPeriod { Status = Contracts.Registry.V1.ParticipantStatus.Active, EffectiveFrom = "2003-01-01" } },
        Authorities = { new Authority { Code = authority, ParticipantCode = code, Name = name } },
        MaxValidityDays = code == "BW" ? 90u : 0u,
    };

    private static Key WireKey(SigningKey key, string participant) => new()
    {
        KeyId = key.KeyId,
        ParticipantCode = participant,
        Algorithm = WireKeyAlgorithm.Ed25519,
        Spki = ByteString.CopyFrom(key.Spki),
        SpkiPem = PublicKeys.ToPem(key.Spki),
        State = Contracts.Registry.V1.KeyState.Active,
        Custody = Contracts.Registry.V1.KeyCustody.Held,
        NotBefore = "2003-01-01T00:00:00Z",
    };

    /// <summary>The world's registry, online: it holds records (none), so an unrecorded certificate is only valid for issuing.</summary>
    private sealed class ViewOf : IRegistryView
    {
        public Dictionary<string, ParticipantInfo> Participants { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, KeyInfo> Keys { get; } = new(StringComparer.Ordinal);

        public bool HoldsCertificateRecords => true;

        public ParticipantInfo? FindParticipant(string code) => Participants.GetValueOrDefault(code);

        public KeyInfo? FindKey(string keyId) => Keys.GetValueOrDefault(keyId);

        public CertificateRecordInfo? FindCertificate(string issuingParticipant, string certificateNumber) => null;
    }
}
