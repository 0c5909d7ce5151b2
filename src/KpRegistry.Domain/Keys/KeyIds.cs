using System.Security.Cryptography;

namespace KpRegistry.Domain.Keys;

/// <summary>Key ids: the lowercase hexadecimal SHA-256 of the key's SubjectPublicKeyInfo DER (64 characters).</summary>
public static class KeyIds
{
    public const int Length = 64;

    /// <summary>The key id of a public key given as SPKI DER.</summary>
    public static string FromSpki(ReadOnlySpan<byte> spkiDer) => Convert.ToHexStringLower(SHA256.HashData(spkiDer));

    /// <summary>True when <paramref name="keyId"/> has the form of a key id (64 lowercase hex digits); says nothing of whether it is registered.</summary>
    public static bool IsWellFormed(string? keyId)
    {
        if (keyId is null || keyId.Length != Length)
        {
            return false;
        }
        foreach (char c in keyId)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }
        return true;
    }
}
