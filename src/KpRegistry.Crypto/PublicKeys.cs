using System.Security.Cryptography;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Crypto;

/// <summary>Public keys as they travel: SubjectPublicKeyInfo DER, and "PUBLIC KEY" PEM on export.</summary>
public static class PublicKeys
{
    private const string PemLabel = "PUBLIC KEY";

    /// <summary>The algorithm of a canonical SPKI DER public key, after checking it is a usable key of that algorithm.</summary>
    /// <exception cref="CryptoFormatException">Malformed, not canonical, unsupported, or not a valid key.</exception>
    public static KeyAlgorithm DetectAlgorithm(ReadOnlySpan<byte> spki)
    {
        (KeyAlgorithm algorithm, byte[] raw) = SpkiCodec.Parse(spki);
        _ = SignatureVerifiers.FromRawKey(algorithm, raw); // decoding validates the point or key encoding
        return algorithm;
    }

    /// <summary>"-----BEGIN PUBLIC KEY-----" PEM of SPKI DER, lines of 64 characters, ending in a newline, as OpenSSL writes it.</summary>
    public static string ToPem(byte[] spki)
    {
        ArgumentNullException.ThrowIfNull(spki);
        return new string(PemEncoding.Write(PemLabel, spki)) + "\n";
    }

    /// <summary>SPKI DER from the first "PUBLIC KEY" PEM block in <paramref name="pem"/>, checked to be a usable key. For a file that may hold PEM or DER, use <see cref="FromPemOrDer"/>.</summary>
    /// <exception cref="CryptoFormatException">No PUBLIC KEY block, bad base64, or the content is not an acceptable SPKI.</exception>
    public static byte[] FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        byte[] der = Pem.Decode(pem, PemLabel, "public key");
        _ = DetectAlgorithm(der);
        return der;
    }

    /// <summary>SPKI DER from file contents that hold either PEM text or the DER bytes.</summary>
    /// <exception cref="CryptoFormatException">Neither an acceptable PEM nor an acceptable DER public key.</exception>
    public static byte[] FromPemOrDer(ReadOnlySpan<byte> contents)
    {
        if (!contents.IsEmpty && contents[0] == 0x30)
        {
            byte[] der = contents.ToArray();
            _ = DetectAlgorithm(der);
            return der;
        }
        return FromPem(System.Text.Encoding.UTF8.GetString(contents));
    }
}
