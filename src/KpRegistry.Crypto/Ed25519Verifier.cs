using KpRegistry.Domain.Keys;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace KpRegistry.Crypto;

/// <summary>
/// Ed25519 verification (RFC 8032) against a public point decoded and fully validated once, with
/// BouncyCastle's static, thread-safe functions: no per-call setup and no heap allocation of ours.
/// </summary>
internal sealed class Ed25519Verifier : ISignatureVerifier
{
    private readonly Ed25519.PublicPoint _publicPoint;

    internal Ed25519Verifier(byte[] rawPublicKey)
    {
        // Full validation refuses non-canonical encodings and points of small order, which would let
        // one signature verify for several messages.
        _publicPoint = Ed25519.ValidatePublicKeyFullExport(rawPublicKey)
            ?? throw new CryptoFormatException("The Ed25519 public key is not a valid curve point of prime order.");
    }

    public KeyAlgorithm Algorithm => KeyAlgorithm.Ed25519;

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Ed25519.SignatureSize)
        {
            return false;
        }
        try
        {
            return Ed25519.Verify(signature, _publicPoint, message);
        }
        catch (Exception)
        {
            return false;
        }
    }
}
