using System.Security.Cryptography.X509Certificates;

namespace KpRegistry.Server.Security;

/// <summary>
/// Accepts a client certificate only when it chains to the configured client CA (and only to
/// it: the machine's trust store plays no part), is within its validity, is meant for client
/// authentication, and names exactly one participant (O), exactly one known role (OU) and at most one authority of
/// that participant (SAN URI <c>urn:kp:authority:CODE</c>). Used by Kestrel at the
/// handshake, so a certificate from another CA never reaches a service.
/// </summary>
public sealed class ClientCertificateValidator(X509Certificate2 clientCa, TimeProvider time)
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public bool IsValid(X509Certificate2 certificate) =>
        CaTrust.ChainsTo(certificate, clientCa, time.GetUtcNow(), ClientAuthOid) && TryReadCaller(certificate) is not null;

    /// <summary>The scheme of the SAN URI that names an authority: <c>urn:kp:authority:EU-BE</c>.</summary>
    public const string AuthorityUriPrefix = "urn:kp:authority:";

    /// <summary>
    /// The caller a validated certificate names, or null when its subject lacks a participant or a
    /// known role, or its authority URI is ambiguous (more than one), not of an authority role, or
    /// names an authority that is not of its participant (the code must begin with "O-").
    /// </summary>
    public static Caller? TryReadCaller(X509Certificate2 certificate)
    {
        string? organisation = null;
        string? unit = null;
        foreach (X500RelativeDistinguishedName rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                return null; // "O=A+OU=B": which value is meant is a matter of parsing; refused
            }
            switch (rdn.GetSingleElementType().Value)
            {
                // A repeated O or OU is refused rather than resolved: the identity comes from exactly one of each.
                case "2.5.4.10" when organisation is not null: return null;
                case "2.5.4.11" when unit is not null: return null;
                case "2.5.4.10": organisation = rdn.GetSingleElementValue(); break;
                case "2.5.4.11": unit = rdn.GetSingleElementValue(); break;
            }
        }
        if (unit is not (Roles.Authority or Roles.Admin or Roles.Analyst) || string.IsNullOrEmpty(organisation))
        {
            return null;
        }
        string? authority = null;
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                foreach (string uri in ReadUris(san))
                {
                    if (!uri.StartsWith(AuthorityUriPrefix, StringComparison.Ordinal))
                    {
                        continue;
                    }
                    if (authority is not null)
                    {
                        return null; // two authorities: which one acts is ambiguous
                    }
                    authority = uri[AuthorityUriPrefix.Length..];
                }
            }
        }
        if (authority is not null && (unit != Roles.Authority || !authority.StartsWith(organisation + "-", StringComparison.Ordinal) || authority.Length <= organisation.Length + 1))
        {
            return null;
        }
        return new Caller(organisation, unit, certificate.Subject, Sha256Of(certificate), authority);
    }

    /// <summary>The SHA-256 thumbprint of <paramref name="certificate"/>'s DER: 64 upper-case hex digits.</summary>
    public static string Sha256Of(X509Certificate2 certificate) =>
        certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);

    private static IEnumerable<string> ReadUris(X509SubjectAlternativeNameExtension san)
    {
        // .NET enumerates DNS names and IP addresses only; URIs are read from the DER (GeneralName [6] IA5String).
        var reader = new System.Formats.Asn1.AsnReader(san.RawData, System.Formats.Asn1.AsnEncodingRules.DER);
        var names = reader.ReadSequence();
        var uriTag = new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 6);
        var found = new List<string>();
        while (names.HasData)
        {
            if (names.PeekTag().HasSameClassAndValue(uriTag))
            {
                found.Add(names.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, uriTag));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }
        return found;
    }
}
