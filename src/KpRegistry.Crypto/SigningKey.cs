using System.Security.Cryptography;
using KpRegistry.Domain.Keys;
using Org.BouncyCastle.Math;

namespace KpRegistry.Crypto;

/// <summary>
/// A private key, held in memory for signing. The only type in the registry that holds private key
/// material; nothing else ever sees it except as a PKCS#8 export for the key's own custodian.
/// </summary>
/// <remarks>
/// <see cref="Sign"/> is thread-safe; dispose only when no call is in flight. <see cref="ToString"/> shows the algorithm and key id only,
/// and no exception raised here carries key material. <see cref="Dispose"/> wipes what can be
/// wiped (the Ed25519 seed) and drops the rest; BouncyCastle's big integers cannot be zeroed.
/// </remarks>
public sealed class SigningKey : IDisposable
{
    private readonly PrivateKeyMaterial _material;
    private readonly byte[] _spki;
    private volatile bool _disposed;

    private SigningKey(PrivateKeyMaterial material)
    {
        _material = material;
        _spki = SpkiCodec.Encode(material.Algorithm, material.RawPublicKey);
        KeyId = KeyIds.FromSpki(_spki);
    }

    /// <summary>The algorithm this key signs with.</summary>
    public KeyAlgorithm Algorithm => _material.Algorithm;

    /// <summary>The public key as SubjectPublicKeyInfo DER (the standard form OpenSSL reads). A fresh copy on each call.</summary>
    public byte[] Spki => (byte[])_spki.Clone();

    /// <summary>The key id: lowercase hex SHA-256 of <see cref="Spki"/>.</summary>
    public string KeyId { get; }

    /// <summary>A new key from a cryptographically secure random source.</summary>
    public static SigningKey Generate(KeyAlgorithm algorithm) => new(algorithm switch
    {
        KeyAlgorithm.Ed25519 => Ed25519PrivateKey.Generate(),
        KeyAlgorithm.EcdsaP256 => EcdsaP256PrivateKey.Generate(),
        KeyAlgorithm.MlDsa65 => MlDsa65PrivateKey.Generate(),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
    });

    /// <summary>Reads an unencrypted PKCS#8 private key (DER), e.g. one OpenSSL's <c>genpkey</c> wrote.</summary>
    /// <exception cref="CryptoFormatException">Not PKCS#8 of Ed25519, EC P-256 (named curve) or ML-DSA-65.</exception>
    public static SigningKey ImportPkcs8Der(ReadOnlySpan<byte> pkcs8) => new(Pkcs8.Import(pkcs8));

    /// <summary>Reads an unencrypted PKCS#8 private key in PEM (label "PRIVATE KEY").</summary>
    /// <exception cref="CryptoFormatException">No PRIVATE KEY PEM block, or its content is not acceptable to <see cref="ImportPkcs8Der"/>.</exception>
    public static SigningKey ImportPkcs8Pem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        byte[] der = Pem.Decode(pem, Pkcs8.PemLabel, "private key");
        try
        {
            return ImportPkcs8Der(der);
        }
        finally
        {
            Array.Clear(der);
        }
    }

    /// <summary>
    /// The private key as PKCS#8 PEM. Only for an authority exporting its own held key on its own
    /// machine; the registry never calls this for a managed key. The returned string cannot be
    /// wiped: write it where it belongs and drop it.
    /// </summary>
    public string ExportPkcs8Pem()
    {
        byte[] der = ExportPkcs8Der();
        try
        {
            return new string(PemEncoding.Write(Pkcs8.PemLabel, der)) + "\n";
        }
        finally
        {
            Array.Clear(der);
        }
    }

    /// <summary>The PKCS#8 DER in a new buffer that the caller must zero; for sealing in managed custody.</summary>
    internal byte[] ExportPkcs8Der()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _material.ExportPkcs8Der();
    }

    /// <summary>
    /// Signs <paramref name="message"/>: Ed25519 over the message (64 bytes); ECDSA over its SHA-256
    /// with an RFC 6979 nonce (DER); ML-DSA-65 pure with an empty context (3309 bytes).
    /// </summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _material.Sign(message);
    }

    /// <summary>
    /// A fixed key for test vectors only: Ed25519 from its 32-byte seed, P-256 from the 32-byte
    /// big-endian scalar, ML-DSA-65 from its 32-byte seed (signing deterministically).
    /// </summary>
    internal static SigningKey FromTestVectorSeed(KeyAlgorithm algorithm, byte[] seed)
    {
        if (seed.Length != 32)
        {
            throw new ArgumentException("A test-vector seed is 32 bytes.", nameof(seed));
        }
        return new(algorithm switch
        {
            KeyAlgorithm.Ed25519 => new Ed25519PrivateKey(seed),
            KeyAlgorithm.EcdsaP256 => EcdsaP256PrivateKey.FromScalar(new BigInteger(1, seed)),
            KeyAlgorithm.MlDsa65 => MlDsa65PrivateKey.FromSeed(seed, deterministic: true),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown key algorithm."),
        });
    }

    public void Dispose()
    {
        _disposed = true;
        _material.Dispose();
    }

    /// <summary>The algorithm and key id; never key material.</summary>
    public override string ToString() => $"SigningKey({Algorithm}, {KeyId})";
}
