using System.Security.Cryptography;
using System.Text;

namespace KpRegistry.Crypto;

/// <summary>
/// Managed custody: seals a private key for storage at rest and opens it again, with AES-256-GCM
/// under the configured <see cref="KeyEncryptionKey"/>.
/// </summary>
/// <remarks>
/// A sealed key (format v1, documented in docs/FORMAT.md) is
/// <c>version (1 byte, 0x01) || KEK fingerprint (8 bytes) || nonce (12 bytes) || ciphertext || tag (16 bytes)</c>,
/// the ciphertext being the PKCS#8 DER of the key. The associated data is the UTF-8 of
/// <c>"kpregistry managed key v1\n" + participantCode + "\n" + keyId</c>: a sealed key copied to
/// another key's or another participant's row does not open. Thread-safe.
/// </remarks>
public sealed class ManagedKeyVault(KeyEncryptionKey kek)
{
    private const byte Version1 = 0x01;
    private const int FingerprintLength = 8;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = 1 + FingerprintLength + NonceLength;

    private readonly KeyEncryptionKey _kek = kek ?? throw new ArgumentNullException(nameof(kek));

    /// <summary>Seals <paramref name="key"/> for <paramref name="participantCode"/>, bound to its key id, under a fresh random nonce.</summary>
    public byte[] Seal(SigningKey key, string participantCode)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(participantCode);
        byte[] plaintext = key.ExportPkcs8Der();
        try
        {
            var blob = new byte[HeaderLength + plaintext.Length + TagLength];
            blob[0] = Version1;
            Convert.FromHexString(_kek.Fingerprint).CopyTo(blob, 1);
            Span<byte> nonce = blob.AsSpan(1 + FingerprintLength, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(_kek.Key, TagLength);
            aes.Encrypt(
                nonce,
                plaintext,
                blob.AsSpan(HeaderLength, plaintext.Length),
                blob.AsSpan(HeaderLength + plaintext.Length, TagLength),
                AssociatedData(participantCode, key.KeyId));
            return blob;
        }
        finally
        {
            Array.Clear(plaintext);
        }
    }

    /// <summary>
    /// Opens a key sealed by <see cref="Seal"/> for key <paramref name="keyId"/> of
    /// <paramref name="participantCode"/>, and checks that the key inside has that id.
    /// </summary>
    /// <exception cref="KeyCustodyException">
    /// Sealed under a different KEK (the message gives both fingerprints); not for this key id or
    /// participant, or altered; of an unknown format version; or truncated.
    /// </exception>
    public SigningKey Open(byte[] sealedKey, string keyId, string participantCode)
    {
        ArgumentNullException.ThrowIfNull(sealedKey);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentException.ThrowIfNullOrEmpty(participantCode);
        if (sealedKey.Length < HeaderLength + TagLength + 1)
        {
            throw new KeyCustodyException($"The sealed key of key {keyId} of participant {participantCode} is truncated ({sealedKey.Length} bytes).");
        }
        if (sealedKey[0] != Version1)
        {
            throw new KeyCustodyException($"The sealed key of key {keyId} of participant {participantCode} has format version {sealedKey[0]}; this build reads version {Version1}.");
        }
        string fingerprint = Convert.ToHexStringLower(sealedKey.AsSpan(1, FingerprintLength));
        if (fingerprint != _kek.Fingerprint)
        {
            throw new KeyCustodyException(
                $"The sealed key of key {keyId} of participant {participantCode} was sealed under a different key-encryption key (fingerprint {fingerprint}; configured {_kek.Fingerprint}).");
        }

        int ciphertextLength = sealedKey.Length - HeaderLength - TagLength;
        byte[] plaintext = new byte[ciphertextLength];
        try
        {
            try
            {
                using var aes = new AesGcm(_kek.Key, TagLength);
                aes.Decrypt(
                    sealedKey.AsSpan(1 + FingerprintLength, NonceLength),
                    sealedKey.AsSpan(HeaderLength, ciphertextLength),
                    sealedKey.AsSpan(HeaderLength + ciphertextLength, TagLength),
                    plaintext,
                    AssociatedData(participantCode, keyId));
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new KeyCustodyException($"The sealed key does not belong to key {keyId} of participant {participantCode}, or was altered.");
            }

            SigningKey key;
            try
            {
                key = SigningKey.ImportPkcs8Der(plaintext);
            }
            catch (CryptoFormatException)
            {
                throw new KeyCustodyException($"The sealed key of key {keyId} of participant {participantCode} decrypted, but does not hold a usable private key.");
            }
            if (key.KeyId != keyId)
            {
                string actual = key.KeyId;
                key.Dispose();
                throw new KeyCustodyException($"The sealed key opened for key {keyId} of participant {participantCode} holds key {actual}.");
            }
            return key;
        }
        finally
        {
            Array.Clear(plaintext);
        }
    }

    private static byte[] AssociatedData(string participantCode, string keyId) =>
        Encoding.UTF8.GetBytes("kpregistry managed key v1\n" + participantCode + "\n" + keyId);
}
