using KpRegistry.Domain.Keys;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace KpRegistry.Crypto;

/// <summary>
/// ML-DSA-65 verification (FIPS 204, pure, empty context). The public key is decoded once; a
/// BouncyCastle signer, which is stateful, is made per call. The allocation is small beside the
/// cost of ML-DSA verification itself (about 3.4k/s per core).
/// </summary>
internal sealed class MlDsa65Verifier : ISignatureVerifier
{
    private readonly MLDsaPublicKeyParameters _publicKey;

    internal MlDsa65Verifier(byte[] rawPublicKey)
    {
        try
        {
            _publicKey = MLDsaPublicKeyParameters.FromEncoding(MLDsaParameters.ml_dsa_65, rawPublicKey);
        }
        catch (Exception e)
        {
            throw new CryptoFormatException("The ML-DSA-65 public key is malformed.", e);
        }
    }

    public KeyAlgorithm Algorithm => KeyAlgorithm.MlDsa65;

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != MlDsa65PrivateKey.SignatureLength)
        {
            return false;
        }
        try
        {
            var signer = new MLDsaSigner(MLDsaParameters.ml_dsa_65, deterministic: false);
            signer.Init(false, _publicKey);
            signer.BlockUpdate(message);
            return signer.VerifySignature(signature.ToArray());
        }
        catch (Exception)
        {
            return false;
        }
    }
}
