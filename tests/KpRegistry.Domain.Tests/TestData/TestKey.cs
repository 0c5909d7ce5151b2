using System.Security.Cryptography;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;

namespace KpRegistry.Domain.Tests.TestData;

/// <summary>
/// A real ECDSA P-256 key for Domain tests (KpRegistry.Crypto is written in parallel and is not
/// referenced here): SHA-256, DER signatures (RFC 3279), SPKI DER and its key id, as DESIGN.md
/// specifies. Verifies with a separate public-only key object, as a registry would.
/// </summary>
public sealed class TestKey : ISignatureVerifier, IDisposable
{
    private readonly ECDsa _signer;
    private readonly ECDsa _verifier;

    private TestKey(KeyAlgorithm claimedAlgorithm)
    {
        _signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Spki = _signer.ExportSubjectPublicKeyInfo();
        KeyId = KeyIds.FromSpki(Spki);
        _verifier = ECDsa.Create();
        _verifier.ImportSubjectPublicKeyInfo(Spki, out _);
        Algorithm = claimedAlgorithm;
    }

    /// <summary>A fresh P-256 key.</summary>
    public static TestKey Create() => new(KeyAlgorithm.EcdsaP256);

    /// <summary>A P-256 key whose verifier claims another algorithm: a registry inconsistency the decision must not trust.</summary>
    public static TestKey CreateClaiming(KeyAlgorithm algorithm) => new(algorithm);

    public byte[] Spki { get; }

    public string KeyId { get; }

    public KeyAlgorithm Algorithm { get; }

    public byte[] Sign(ReadOnlySpan<byte> message) =>
        _signer.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _verifier.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>This key as the registry would register it (ECDSA P-256, held custody).</summary>
    public KeyInfo Registration(
        string participant,
        string? authority = null,
        KeyState state = KeyState.Active,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        DateTimeOffset? retiredAt = null,
        DateTimeOffset? compromisedSince = null,
        string revocationReason = "") =>
        new(KeyId, participant, authority, KeyAlgorithm.EcdsaP256, KeyCustody.Held, state, Spki,
            notBefore ?? new DateTimeOffset(2003, 1, 1, 0, 0, 0, TimeSpan.Zero), notAfter, retiredAt, compromisedSince, revocationReason, this);

    public void Dispose()
    {
        _signer.Dispose();
        _verifier.Dispose();
    }
}
