using System.Collections.Concurrent;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto.Tests;

public class ManagedSignerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sealed keys as a database would keep them, counting the reads.</summary>
    private sealed class SealedKeys
    {
        private readonly ConcurrentDictionary<string, SealedKey> _keys = new();
        private int _reads;

        public int Reads => _reads;

        public void Store(CreatedKey key, string participant) => _keys[key.KeyId] = new SealedKey(key.KeyId, participant, key.SealedKey);

        public void Store(SealedKey key) => _keys[key.KeyId] = key;

        public Task<SealedKey?> FindAsync(string keyId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return Task.FromResult(_keys.TryGetValue(keyId, out SealedKey? found) ? found : null);
        }
    }

    private static bool Verifies(SignedEnvelope envelope, int index, KeyAlgorithm algorithm, byte[] spki) =>
        SignatureVerifiers.Create(algorithm, spki).Verify(Pae.Encode(envelope.PayloadType, envelope.Payload.Span), envelope.Signatures[index].Sig.Span);

    /// <summary>A key made by one signer, stored sealed, and opened by a fresh signer (as after a restart).</summary>
    private static (CreatedKey Key, SealedKeys Store) MadeAndStored(KeyEncryptionKey kek, KeyAlgorithm algorithm)
    {
        var store = new SealedKeys();
        using var maker = new ManagedSigner(kek, store.FindAsync);
        CreatedKey key = maker.Create(algorithm, "BW");
        store.Store(key, "BW");
        return (key, store);
    }

    [Theory]
    [MemberData(nameof(SigningKeyTests.Algorithms), MemberType = typeof(SigningKeyTests))]
    public async Task SignEnvelopeAsync_ManagedKeyOpenedFromItsSealedForm_EnvelopeVerifies(KeyAlgorithm algorithm)
    {
        using var kek = KeyEncryptionKey.Generate();
        var (key, store) = MadeAndStored(kek, algorithm);
        using var signer = new ManagedSigner(kek, store.FindAsync);
        byte[] payload = [1, 2, 3];

        SignedEnvelope envelope = await signer.SignEnvelopeAsync(key.KeyId, PayloadTypes.Certificate, payload, Ct);

        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(KeyIds.FromSpki(key.Spki), key.KeyId);
        Assert.Equal(payload, envelope.Payload.ToByteArray());
        Assert.Equal(PayloadTypes.Certificate, envelope.PayloadType);
        Assert.Equal(key.KeyId, Assert.Single(envelope.Signatures).KeyId);
        Assert.True(Verifies(envelope, 0, algorithm, key.Spki));
    }

    [Fact]
    public async Task SignEnvelopeAsync_ManyCalls_OpensTheSealedKeyOnce()
    {
        using var kek = KeyEncryptionKey.Generate();
        var (key, store) = MadeAndStored(kek, KeyAlgorithm.Ed25519);
        using var signer = new ManagedSigner(kek, store.FindAsync);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => signer.SignEnvelopeAsync(key.KeyId, PayloadTypes.Certificate, [(byte)i], Ct)));

        Assert.Equal(1, store.Reads);
        Assert.Equal(1, signer.OpenedCount);
    }

    [Fact]
    public async Task SignEnvelopeAsync_KeyJustCreated_SignsWithoutReadingTheStore()
    {
        using var kek = KeyEncryptionKey.Generate();
        var store = new SealedKeys();
        using var signer = new ManagedSigner(kek, store.FindAsync);
        CreatedKey first = signer.Create(KeyAlgorithm.Ed25519, "XR");
        CreatedKey second = signer.Create(KeyAlgorithm.EcdsaP256, "XR");

        SignedEnvelope envelope = await signer.SignEnvelopeAsync(PayloadTypes.KeyStatement, [7], [second.KeyId, first.KeyId], Ct);

        Assert.Equal(0, store.Reads);
        Assert.Equal([second.KeyId, first.KeyId], envelope.Signatures.Select(s => s.KeyId));
        Assert.True(Verifies(envelope, 0, KeyAlgorithm.EcdsaP256, second.Spki));
        Assert.True(Verifies(envelope, 1, KeyAlgorithm.Ed25519, first.Spki));
    }

    [Fact]
    public async Task SignRawAsync_Ed25519_SignsTheMessageItselfNotPae()
    {
        using var kek = KeyEncryptionKey.Generate();
        var (key, store) = MadeAndStored(kek, KeyAlgorithm.Ed25519);
        using var signer = new ManagedSigner(kek, store.FindAsync);
        byte[] note = "example.org/log\n42\nqUOBhT8yU3rn0yQd3mc4ZNW1CPI7p+VjBsJomNGBEjs=\n"u8.ToArray();

        byte[] signature = await signer.SignRawAsync(key.KeyId, note, Ct);

        Assert.Equal(64, signature.Length);
        ISignatureVerifier verifier = SignatureVerifiers.Create(KeyAlgorithm.Ed25519, key.Spki);
        Assert.True(verifier.Verify(note, signature));
        Assert.False(verifier.Verify(Pae.Encode(PayloadTypes.Certificate, note), signature));
    }

    [Fact]
    public void Create_SealedBlob_OpensUnderTheKekForItsParticipantOnly()
    {
        using var kek = KeyEncryptionKey.Generate();
        using var signer = new ManagedSigner(kek, new SealedKeys().FindAsync);

        CreatedKey key = signer.Create(KeyAlgorithm.Ed25519, "BW");

        var vault = new ManagedKeyVault(kek);
        using (SigningKey opened = vault.Open(key.SealedKey, key.KeyId, "BW"))
        {
            Assert.Equal(key.Spki, opened.Spki);
        }
        Assert.Throws<KeyCustodyException>(() => vault.Open(key.SealedKey, key.KeyId, "ZA"));
    }

    [Fact]
    public async Task SignEnvelopeAsync_AfterWipe_RefusesAndNeverReopens()
    {
        using var kek = KeyEncryptionKey.Generate();
        var (key, store) = MadeAndStored(kek, KeyAlgorithm.Ed25519);
        using var signer = new ManagedSigner(kek, store.FindAsync);
        await signer.SignEnvelopeAsync(key.KeyId, PayloadTypes.Certificate, [1], Ct);

        signer.Wipe(key.KeyId);

        Assert.Equal(0, signer.OpenedCount);
        var e = await Assert.ThrowsAsync<KeyCustodyException>(() => signer.SignEnvelopeAsync(key.KeyId, PayloadTypes.Certificate, [1], Ct));
        Assert.Contains(key.KeyId, e.Message);
        Assert.Contains("wiped", e.Message);
        await Assert.ThrowsAsync<KeyCustodyException>(() => signer.SignRawAsync(key.KeyId, [1], Ct));
        Assert.Equal(1, store.Reads);
        Assert.Equal(0, signer.OpenedCount);
    }

    [Fact]
    public async Task SignEnvelopeAsync_AfterDispose_ThrowsObjectDisposed()
    {
        using var kek = KeyEncryptionKey.Generate();
        var (key, store) = MadeAndStored(kek, KeyAlgorithm.Ed25519);
        var signer = new ManagedSigner(kek, store.FindAsync);
        await signer.SignEnvelopeAsync(key.KeyId, PayloadTypes.Certificate, [1], Ct);

        signer.Dispose();

        Assert.Equal(0, signer.OpenedCount);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => signer.SignEnvelopeAsync(key.KeyId, PayloadTypes.Certificate, [1], Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => signer.SignRawAsync(key.KeyId, [1], Ct));
        Assert.Throws<ObjectDisposedException>(() => signer.Create(KeyAlgorithm.Ed25519, "BW"));
    }

    [Fact]
    public async Task SignEnvelopeAsync_WrongKek_KeyCustodyExceptionWithoutKeyBytes()
    {
        using var kek = KeyEncryptionKey.Generate();
        using var wrong = KeyEncryptionKey.Generate();
        using var key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        byte[] blob = new ManagedKeyVault(kek).Seal(key, "BW");
        var store = new SealedKeys();
        store.Store(new SealedKey(key.KeyId, "BW", blob));
        using var signer = new ManagedSigner(wrong, store.FindAsync);

        var e = await Assert.ThrowsAsync<KeyCustodyException>(() => signer.SignEnvelopeAsync(key.KeyId, PayloadTypes.Certificate, [1], Ct));

        Assert.Contains("different key-encryption key", e.Message);
        Assert.Contains(key.KeyId, e.Message);
        string pem = key.ExportPkcs8Pem();
        string privateBase64 = string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
        foreach (string secret in new[] { privateBase64, Convert.ToBase64String(blob), Convert.ToHexString(blob), Convert.ToHexStringLower(blob) })
        {
            Assert.DoesNotContain(secret, e.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(0, signer.OpenedCount); // a failure is not kept: the next call tries again
    }

    [Fact]
    public async Task SignEnvelopeAsync_NoSealedKey_KeyCustodyExceptionNamingTheKey()
    {
        using var kek = KeyEncryptionKey.Generate();
        using var signer = new ManagedSigner(kek, new SealedKeys().FindAsync);
        string heldKeyId = new string('a', 64);

        var e = await Assert.ThrowsAsync<KeyCustodyException>(() => signer.SignEnvelopeAsync(heldKeyId, PayloadTypes.Certificate, [1], Ct));

        Assert.Contains(heldKeyId, e.Message);
        Assert.Contains("not a managed key", e.Message);
    }
}
