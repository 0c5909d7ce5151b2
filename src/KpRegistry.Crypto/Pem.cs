using System.Security.Cryptography;

namespace KpRegistry.Crypto;

/// <summary>PEM (RFC 7468) reading for one expected label, with errors that never quote the text.</summary>
internal static class Pem
{
    /// <summary>The DER of the first PEM block labelled <paramref name="label"/> in <paramref name="text"/>.</summary>
    internal static byte[] Decode(string text, string label, string what)
    {
        ReadOnlySpan<char> rest = text;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            ReadOnlySpan<char> found = rest[fields.Label];
            if (found.SequenceEqual(label))
            {
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out int written) || written != der.Length)
                {
                    throw new CryptoFormatException($"The {what} PEM block has invalid base64.");
                }
                return der;
            }
            if (found.SequenceEqual("ENCRYPTED PRIVATE KEY") || found.SequenceEqual("EC PRIVATE KEY") || found.SequenceEqual("OPENSSH PRIVATE KEY"))
            {
                throw new CryptoFormatException($"The {what} PEM is \"{found}\"; expected an unencrypted PKCS#8 \"{label}\" (openssl pkey -in key.pem -out key.pk8.pem).");
            }
            rest = rest[fields.Location.End..];
        }
        throw new CryptoFormatException($"No \"-----BEGIN {label}-----\" PEM block found in the {what} text.");
    }
}
