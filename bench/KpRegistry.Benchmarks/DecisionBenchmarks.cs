using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Verification;
using KpRegistry.Server.Application;
using KpRegistry.Server.Grpc;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace KpRegistry.Benchmarks;

/// <summary>
/// The verification decision against a warm in-memory <see cref="RegistrySnapshot"/> holding
/// <see cref="Recorded"/> certificate records, as the server runs it (Ed25519): the whole decision,
/// the decision plus mapping to the wire result, and the same with the signature check left out of
/// the picture (a verifier that accepts) to show what the decision costs beyond the cryptography.
/// </summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private RegistrySnapshot _view = null!;
    private RegistrySnapshot _viewNoCrypto = null!;
    private SignedEnvelope _envelope = null!;
    private readonly CertificateRulesOptions _rules = new();
    private readonly VerificationContext _context = new() { RulesOptions = new CertificateRulesOptions() };

    [Params(100_000)]
    public int Recorded { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        var participants = Fixtures.Participants();
        var records = new ConcurrentDictionary<(string Issuer, string Number), CertificateRecordInfo>();
        Certificate sample = Fixtures.SampleCertificate();
        byte[] payload = sample.ToByteArray();
        _envelope = EnvelopeSigner.Sign(PayloadTypes.Certificate, payload, key);
        for (int i = 0; i < Recorded; i++)
        {
            string number = $"BW-R-{i:D7}";
            records[("BW", number)] = new CertificateRecordInfo("BW", number, key.KeyId, new byte[32], now.AddHours(-1), KpRegistry.Domain.Registry.CertificateState.Issued);
        }
        records[("BW", sample.CertificateNumber)] = new CertificateRecordInfo("BW", sample.CertificateNumber, key.KeyId, SHA256.HashData(payload), now.AddHours(-1), KpRegistry.Domain.Registry.CertificateState.Issued);
        KeyInfo Info(ISignatureVerifier verifier) => new(key.KeyId, "BW", null, KeyAlgorithm.Ed25519, KeyCustody.Managed, KeyState.Active, key.Spki,
            now.AddDays(-1), null, null, null, "", verifier);
        _view = new RegistrySnapshot(participants, [Info(SignatureVerifiers.Create(KeyAlgorithm.Ed25519, key.Spki))], records);
        _viewNoCrypto = new RegistrySnapshot(participants, [Info(new AcceptingVerifier())], records);
        if (!CertificateVerifier.Verify(_envelope, _view, DateTimeOffset.UtcNow, _context).Valid)
        {
            throw new InvalidOperationException("The sample certificate does not verify: " + string.Join("; ", CertificateVerifier.Verify(_envelope, _view, DateTimeOffset.UtcNow, _context).Details));
        }
    }

    [Benchmark(Baseline = true)]
    public VerificationResult Decision() => CertificateVerifier.Verify(_envelope, _view, DateTimeOffset.UtcNow, _context);

    [Benchmark]
    public Contracts.Verification.V1.VerifyCertificateResult DecisionAndWireResult() =>
        Domain.Wire.VerificationResultMapping.ToWire(CertificateVerifier.Verify(_envelope, _view, DateTimeOffset.UtcNow, _context), "req-1");

    [Benchmark]
    public VerificationResult DecisionWithoutSignatureCheck() => CertificateVerifier.Verify(_envelope, _viewNoCrypto, DateTimeOffset.UtcNow, _context);

    private sealed class AcceptingVerifier : ISignatureVerifier
    {
        public KeyAlgorithm Algorithm => KeyAlgorithm.Ed25519;
        public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) => true;
    }
}
