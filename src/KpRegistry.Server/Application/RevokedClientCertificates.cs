using System.Security.Cryptography.X509Certificates;
using KpRegistry.Storage;

namespace KpRegistry.Server.Application;

/// <summary>
/// The revoked client certificates, as of the view's last reload: a lookup by SHA-256 thumbprint
/// and by (serial number, issuer). Replaced whole, never mutated.
/// </summary>
public sealed class RevokedClientCertificates
{
    public static readonly RevokedClientCertificates None = new([]);

    private readonly HashSet<string> _thumbprints = new(StringComparer.Ordinal);
    private readonly HashSet<(string Serial, string Issuer)> _serials = [];

    public RevokedClientCertificates(IEnumerable<RevokedClientCertificateRecord> revoked)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        foreach (RevokedClientCertificateRecord r in revoked)
        {
            if (r.CertificateSha256 is { } sha)
            {
                _thumbprints.Add(sha);
            }
            if (r.SerialNumber is { } serial && r.Issuer is { } issuer)
            {
                _serials.Add((serial, issuer));
            }
        }
    }

    public int Count => _thumbprints.Count + _serials.Count;

    /// <summary>True when <paramref name="certificate"/> (whose SHA-256 is <paramref name="sha256"/>) was revoked either way.</summary>
    public bool IsRevoked(X509Certificate2 certificate, string sha256)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return _thumbprints.Contains(sha256)
            || (_serials.Count > 0 && _serials.Contains((NormalizeSerial(certificate.SerialNumber), certificate.IssuerName.Name)));
    }

    /// <summary>A serial number in hex as stored: upper case, no separators, no leading zero bytes (an INTEGER's sign padding).</summary>
    public static string NormalizeSerial(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        string digits = string.Concat(hex.Where(c => c is not (':' or ' ' or '-'))).ToUpperInvariant();
        if (digits.Length % 2 == 1)
        {
            digits = "0" + digits;
        }
        while (digits.Length > 2 && digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }
        return digits;
    }
}
