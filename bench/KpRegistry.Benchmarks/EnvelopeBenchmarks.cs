using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Benchmarks;

/// <summary>The envelope encoding: PAE, envelope to and from the wire, a whole request parsed as the server does.</summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private byte[] _payload = [];
    private byte[] _envelopeBytes = [];
    private byte[] _requestBytes = [];
    private SignedEnvelope _envelope = null!;
    private readonly byte[] _paeBuffer = new byte[4096];

    [GlobalSetup]
    public void Setup()
    {
        _payload = Fixtures.SamplePayload();
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        _envelope = EnvelopeSigner.Sign(PayloadTypes.Certificate, _payload, key);
        _envelopeBytes = _envelope.ToByteArray();
        _requestBytes = new VerifyCertificateRequest { Envelope = _envelope, CorrelationId = "req-000001" }.ToByteArray();
    }

    [Benchmark]
    public int PaeEncode() => Pae.Encode(PayloadTypes.Certificate, _payload, _paeBuffer);

    [Benchmark]
    public byte[] EnvelopeToBytes() => _envelope.ToByteArray();

    [Benchmark]
    public SignedEnvelope EnvelopeParse() => SignedEnvelope.Parser.ParseFrom(_envelopeBytes);

    [Benchmark]
    public VerifyCertificateRequest RequestParse() => VerifyCertificateRequest.Parser.ParseFrom(_requestBytes);
}
