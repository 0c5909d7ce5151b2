namespace KpRegistry.Domain.Keys;

/// <summary>The signature algorithms a registered key may use. The algorithm is a property of the key, never of an envelope.</summary>
public enum KeyAlgorithm
{
    /// <summary>Ed25519 (RFC 8032), 64-byte signatures. The default.</summary>
    Ed25519 = 1,

    /// <summary>ECDSA over P-256 with SHA-256; DER-encoded signatures. What most HSMs hold.</summary>
    EcdsaP256 = 2,

    /// <summary>ML-DSA-65 (FIPS 204), post-quantum; pure mode, empty context.</summary>
    MlDsa65 = 3,
}
