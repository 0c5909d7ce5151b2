using BenchmarkDotNet.Attributes;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Benchmarks;

/// <summary>Sign and verify one certificate-sized PAE message, per algorithm, one thread.</summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private SigningKey _key = null!;
    private ISignatureVerifier _verifier = null!;
    private byte[] _pae = [];
    private byte[] _signature = [];

    [Params(KeyAlgorithm.Ed25519, KeyAlgorithm.EcdsaP256, KeyAlgorithm.MlDsa65)]
    public KeyAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = SigningKey.Generate(Algorithm);
        _verifier = SignatureVerifiers.Create(Algorithm, _key.Spki);
        _pae = Pae.Encode(PayloadTypes.Certificate, Fixtures.SamplePayload());
        _signature = _key.Sign(_pae);
    }

    [Benchmark]
    public byte[] Sign() => _key.Sign(_pae);

    [Benchmark]
    public bool Verify() => _verifier.Verify(_pae, _signature);

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();
}
