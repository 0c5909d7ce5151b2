using KpRegistry.Crypto.Tests.TestSupport;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto.Tests;

public class ManagedKeyVaultTests
{
    [Theory]
    [MemberData(nameof(SigningKeyTests.Algorithms), MemberType = typeof(SigningKeyTests))]
    public void Open_SealedKey_SignsVerifiably(KeyAlgorithm algorithm)
    {
        using var kek = KeyEncryptionKey.Generate();
        var vault = new ManagedKeyVault(kek);
        using var key = SigningKey.Generate(algorithm);

        byte[] sealedKey = vault.Seal(key, "BW");
        using var opened = vault.Open(sealedKey, key.KeyId, "BW");

        Assert.Equal(key.KeyId, opened.KeyId);
        Assert.True(SignatureVerifiers.Create(algorithm, key.Spki).Verify("m"u8, opened.Sign("m"u8)));
    }

    [Fact]
    public void Seal_Layout_IsVersionFingerprintNonceCiphertextTag()
    {
        using var kek = KeyEncryptionKey.Generate();
        using var key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        var vault = new ManagedKeyVault(kek);

        byte[] first = vault.Seal(key, "BW");
        byte[] second = vault.Seal(key, "BW");

        Assert.Equal(0x01, first[0]);
        Assert.Equal(kek.Fingerprint, Convert.ToHexStringLower(first.AsSpan(1, 8)));
        Assert.Equal(1 + 8 + 12 + 48 + 16, first.Length); // Ed25519 PKCS#8 is 48 bytes
        Assert.NotEqual(first.AsSpan(9, 12).ToArray(), second.AsSpan(9, 12).ToArray());
    }

    [Fact]
    public void Open_WrongKek_SaysDifferentKeyEncryptionKeyWithBothFingerprints()
    {
        using var sealer = KeyEncryptionKey.Generate();
        using var other = KeyEncryptionKey.Generate();
        using var key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        byte[] sealedKey = new ManagedKeyVault(sealer).Seal(key, "BW");

        var e = Assert.Throws<KeyCustodyException>(() => new ManagedKeyVault(other).Open(sealedKey, key.KeyId, "BW"));

        Assert.Contains($"sealed under a different key-encryption key (fingerprint {sealer.Fingerprint}; configured {other.Fingerprint})", e.Message);
    }

    [Fact]
    public void Open_BlobOfAnotherKeyId_SaysItDoesNotBelong()
    {
        using var kek = KeyEncryptionKey.Generate();
        var vault = new ManagedKeyVault(kek);
        using var key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        using var other = SigningKey.Generate(KeyAlgorithm.Ed25519);
        byte[] sealedKey = vault.Seal(key, "BW");

        var e = Assert.Throws<KeyCustodyException>(() => vault.Open(sealedKey, other.KeyId, "BW"));

        Assert.Contains($"does not belong to key {other.KeyId} of participant BW, or was altered", e.Message);
    }

    [Fact]
    public void Open_BlobOfAnotherParticipant_SaysItDoesNotBelong()
    {
        using var kek = KeyEncryptionKey.Generate();
        var vault = new ManagedKeyVault(kek);
        using var key = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        byte[] sealedKey = vault.Seal(key, "BW");

        var e = Assert.Throws<KeyCustodyException>(() => vault.Open(sealedKey, key.KeyId, "ZA"));

        Assert.Contains($"does not belong to key {key.KeyId} of participant ZA", e.Message);
    }

    [Theory]
    [InlineData(21)] // first ciphertext byte
    [InlineData(40)] // inside the ciphertext
    [InlineData(-1)] // last tag byte
    [InlineData(10)] // inside the nonce
    public void Open_OneBitFlipped_FailsAsAltered(int index)
    {
        using var kek = KeyEncryptionKey.Generate();
        var vault = new ManagedKeyVault(kek);
        using var key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        byte[] sealedKey = vault.Seal(key, "BW");

        byte[] tampered = Bits.Flip(sealedKey, index >= 0 ? index : sealedKey.Length + index);
        var e = Assert.Throws<KeyCustodyException>(() => vault.Open(tampered, key.KeyId, "BW"));

        Assert.Contains("or was altered", e.Message);
    }

    [Fact]
    public void Seal_AfterKekDisposed_ThrowsInsteadOfSealingUnderAZeroKey()
    {
        var kek = KeyEncryptionKey.Generate();
        var vault = new ManagedKeyVault(kek);
        using var key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        kek.Dispose();

        Assert.Throws<ObjectDisposedException>(() => vault.Seal(key, "BW"));
    }

    [Fact]
    public void Open_UnknownVersionOrTruncated_IsRefusedClearly()
    {
        using var kek = KeyEncryptionKey.Generate();
        var vault = new ManagedKeyVault(kek);
        using var key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        byte[] sealedKey = vault.Seal(key, "BW");
        byte[] version2 = (byte[])sealedKey.Clone();
        version2[0] = 2;

        Assert.Contains("format version 2", Assert.Throws<KeyCustodyException>(() => vault.Open(version2, key.KeyId, "BW")).Message);
        Assert.Contains("truncated", Assert.Throws<KeyCustodyException>(() => vault.Open(sealedKey[..30], key.KeyId, "BW")).Message);
    }

    [Theory]
    [MemberData(nameof(SigningKeyTests.Algorithms), MemberType = typeof(SigningKeyTests))]
    public void Open_AnyFailure_MessageNeverContainsThePrivateKey(KeyAlgorithm algorithm)
    {
        using var kek = KeyEncryptionKey.Generate();
        using var otherKek = KeyEncryptionKey.Generate();
        var vault = new ManagedKeyVault(kek);
        using var key = SigningKey.Generate(algorithm);
        byte[] pkcs8 = key.ExportPkcs8Der();
        string pkcs8Base64 = Convert.ToBase64String(pkcs8);
        string pkcs8Hex = Convert.ToHexString(pkcs8);
        byte[] sealedKey = vault.Seal(key, "BW");

        var messages = new List<string>
        {
            Assert.Throws<KeyCustodyException>(() => new ManagedKeyVault(otherKek).Open(sealedKey, key.KeyId, "BW")).ToString(),
            Assert.Throws<KeyCustodyException>(() => vault.Open(sealedKey, key.KeyId, "EU")).ToString(),
            Assert.Throws<KeyCustodyException>(() => vault.Open(Bits.Flip(sealedKey, 30), key.KeyId, "BW")).ToString(),
        };

        foreach (string message in messages)
        {
            Assert.DoesNotContain(pkcs8Base64[^24..], message);
            Assert.DoesNotContain(pkcs8Hex[^24..], message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(SigningKeyTests.PemBody(key.ExportPkcs8Pem())[^24..], message);
        }
    }

    [Fact]
    public void Open_SealedUnderRightAdButHoldingAnotherKey_IsRefused()
    {
        // A row whose key id says X but whose ciphertext, sealed with X's associated data, holds key Y:
        // only a broken sealer can make it, and Open still refuses to hand Y out as X.
        using var kek = KeyEncryptionKey.Generate();
        using var x = SigningKey.Generate(KeyAlgorithm.Ed25519);
        using var y = SigningKey.Generate(KeyAlgorithm.Ed25519);
        byte[] plaintext = y.ExportPkcs8Der();
        byte[] nonce = new byte[12];
        byte[] ciphertext = new byte[plaintext.Length];
        byte[] tag = new byte[16];
        using (var aes = new System.Security.Cryptography.AesGcm(kek.Key, 16))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, System.Text.Encoding.UTF8.GetBytes("kpregistry managed key v1\nBW\n" + x.KeyId));
        }
        byte[] blob = [0x01, .. Convert.FromHexString(kek.Fingerprint), .. nonce, .. ciphertext, .. tag];

        var e = Assert.Throws<KeyCustodyException>(() => new ManagedKeyVault(kek).Open(blob, x.KeyId, "BW"));

        Assert.Contains($"holds key {y.KeyId}", e.Message);
    }
}
