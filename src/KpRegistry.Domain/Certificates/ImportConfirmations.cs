using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Domain.Registry;
using CertificateState = KpRegistry.Domain.Registry.CertificateState;

namespace KpRegistry.Domain.Certificates;

/// <summary>One problem with a confirmation, or one difference between what arrived and what was certified; <paramref name="Message"/> starts with the field.</summary>
public sealed record ConfirmationFinding(string Field, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}

/// <summary>What a confirmation does to its certificate: RECEIVED when nothing differs, DETAINED with each difference.</summary>
public sealed record ImportOutcome(CertificateState State, IReadOnlyList<ConfirmationFinding> Differences)
{
    /// <summary>The differences as one line, for the certificate's event and the audit trail; empty when RECEIVED.</summary>
    public string Summary => string.Join("; ", Differences.Select(d => d.Message));
}

/// <summary>
/// The rules of an import confirmation (KPCS Section III(b); DOMAIN.md "Receive" and "Detain"):
/// its shape, when a certificate may be confirmed, and how what arrived is compared with what was
/// certified. Pure: no clock (the time is a parameter), no I/O.
/// </summary>
public static class ImportConfirmations
{
    public const uint SupportedFormatVersion = 1;
    public const int MaxAuthorityLength = 64;
    public const int MaxBrokenSeals = 1000;
    public const int MaxSealIdLength = 64;
    public const int MaxRemarksLength = 1000;

    /// <summary>How far the importer's calendar may run ahead of UTC (UTC+14), for "not received in the future".</summary>
    private static readonly TimeSpan CalendarLead = TimeSpan.FromHours(14);

    /// <summary>
    /// The weighed carats may differ from the certified total by at most this many hundredths: the
    /// larger of 1 hundredth and 0.1% of the total (rounded down). Two calibrated scales differ by
    /// less than that; a parcel taken out or swapped differs by far more.
    /// </summary>
    public static ulong CaratTolerance(ulong certifiedHundredths) => Math.Max(1UL, certifiedHundredths / 1000);

    /// <summary>
    /// Why this certificate may not be confirmed now, or null when it may: it is confirmed at most
    /// once (RECEIVED and DETAINED are confirmed already), never when CANCELLED, REPLACED or
    /// REFUSED, and not once its date of expiry is before the UTC date of <paramref name="now"/>.
    /// </summary>
    public static string? WhyNotConfirmable(CertificateRecordInfo record, DateOnly dateOfExpiry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        string which = $"certificate {record.CertificateNumber} of {record.IssuingParticipant}";
        string? refusal = record.State switch
        {
            CertificateState.Received => $"the import of {which} is already confirmed (RECEIVED); a certificate is confirmed at most once",
            CertificateState.Detained => $"the import of {which} is already confirmed and the shipment DETAINED; resolve the detention instead",
            CertificateState.Cancelled => $"{which} is CANCELLED",
            CertificateState.Replaced => record.ReplacedBy is { Length: > 0 } by ? $"{which} is REPLACED by {by}" : $"{which} is REPLACED",
            CertificateState.Refused => $"{which} was REFUSED after detention",
            _ => null,
        };
        if (refusal is not null)
        {
            return refusal;
        }
        DateOnly today = CertificateDates.UtcDate(now);
        return dateOfExpiry < today
            ? $"{which} expired on {Text.Date(dateOfExpiry)}, before {Text.Date(today)}: an expired certificate is not confirmed"
            : null;
    }

    /// <summary>
    /// Every problem with the confirmation's content: the version, the certificate it names (issuer,
    /// number, and payload hash when given), the importing participant (the destination), the
    /// authority, the date received (not before the date of issue, not after <paramref name="now"/>
    /// in any calendar), the seal ids and the remarks. Empty when well formed.
    /// </summary>
    public static IReadOnlyList<ConfirmationFinding> Validate(ImportConfirmation confirmation, Certificate certificate, byte[] certificatePayloadSha256, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        ArgumentNullException.ThrowIfNull(certificate);
        var found = new List<ConfirmationFinding>();
        void Add(string field, string message) => found.Add(new ConfirmationFinding(field, $"{field}: {message}"));

        if (confirmation.FormatVersion != SupportedFormatVersion)
        {
            Add("format_version", $"{confirmation.FormatVersion} is not supported; this registry knows version {SupportedFormatVersion}");
        }
        if (!string.Equals(confirmation.IssuingParticipant, certificate.IssuingParticipant, StringComparison.Ordinal))
        {
            Add("issuing_participant", $"{Text.Quote(confirmation.IssuingParticipant)} is not the certificate's issuer {certificate.IssuingParticipant}");
        }
        if (!string.Equals(confirmation.CertificateNumber, certificate.CertificateNumber, StringComparison.Ordinal))
        {
            Add("certificate_number", $"{Text.Quote(confirmation.CertificateNumber)} is not the certificate's number {certificate.CertificateNumber}");
        }
        if (!confirmation.CertificatePayloadSha256.Span.SequenceEqual(certificatePayloadSha256))
        {
            Add("certificate_payload_sha256", "is not the SHA-256 of the certificate the registry recorded");
        }
        if (!string.Equals(confirmation.ImportingParticipant, certificate.DestinationParticipant, StringComparison.Ordinal))
        {
            Add("importing_participant", $"{Text.Quote(confirmation.ImportingParticipant)} is not the certificate's destination {certificate.DestinationParticipant}");
        }
        string authority = confirmation.ImportingAuthority;
        if (authority.Length is 0 or > MaxAuthorityLength)
        {
            Add("importing_authority", $"must have 1 to {MaxAuthorityLength} characters; it has {authority.Length}");
        }
        if (!CertificateDates.TryParse(confirmation.DateReceived, out DateOnly received))
        {
            Add("date_received", $"{Text.Quote(confirmation.DateReceived)} is not a date YYYY-MM-DD");
        }
        else
        {
            DateOnly latest = CertificateDates.UtcDate(now + CalendarLead);
            if (CertificateDates.TryParse(certificate.DateOfIssue, out DateOnly issued) && received < issued)
            {
                Add("date_received", $"{Text.Date(received)} is before the date of issue {Text.Date(issued)}");
            }
            if (received > latest)
            {
                Add("date_received", $"{Text.Date(received)} is in the future");
            }
        }
        var broken = confirmation.BrokenSealIds;
        if (confirmation.SealsIntact && broken.Count > 0)
        {
            Add("broken_seal_ids", $"names {broken.Count} broken seal(s) although seals_intact is true");
        }
        if (broken.Count > MaxBrokenSeals)
        {
            Add("broken_seal_ids", $"has {broken.Count} entries; at most {MaxBrokenSeals}");
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < broken.Count; i++)
            {
                string seal = broken[i];
                if (seal.Length is 0 or > MaxSealIdLength || seal[0] == ' ' || seal[^1] == ' ' || seal.Any(ch => ch is < ' ' or > '~'))
                {
                    Add($"broken_seal_ids[{i}]", $"{Text.Quote(seal)} is not 1 to {MaxSealIdLength} printable ASCII characters without leading or trailing space");
                }
                else if (!seen.Add(seal))
                {
                    Add($"broken_seal_ids[{i}]", $"{Text.Quote(seal)} is named twice");
                }
            }
        }
        if (confirmation.Remarks.Length > MaxRemarksLength)
        {
            Add("remarks", $"has {confirmation.Remarks.Length} characters; at most {MaxRemarksLength}");
        }
        return found;
    }

    /// <summary>
    /// Compares what arrived with what was certified: the parcel count exactly, the weight within
    /// <see cref="CaratTolerance"/>, and the seals. Each difference is named; none means RECEIVED.
    /// </summary>
    public static ImportOutcome Compare(Certificate certificate, ImportConfirmation confirmation)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(confirmation);
        var differences = new List<ConfirmationFinding>();
        if (confirmation.ParcelsReceived != certificate.NumberOfParcels)
        {
            differences.Add(new("parcels_received",
                $"parcels: {certificate.NumberOfParcels} certified, {confirmation.ParcelsReceived} received"));
        }
        ulong certified = certificate.TotalCaratsHundredths;
        ulong weighed = confirmation.CaratsReceivedHundredths;
        ulong gap = certified > weighed ? certified - weighed : weighed - certified;
        ulong tolerance = CaratTolerance(certified);
        if (gap > tolerance)
        {
            differences.Add(new("carats_received_hundredths",
                $"carats: {Carats(certified)} certified, {Carats(weighed)} weighed ({(weighed < certified ? "-" : "+")}{Carats(gap)}; tolerance {Carats(tolerance)})"));
        }
        if (!confirmation.SealsIntact && confirmation.BrokenSealIds.Count == 0)
        {
            differences.Add(new("seals_intact", "seals: found broken (no seal id given)"));
        }
        foreach (string seal in confirmation.BrokenSealIds)
        {
            differences.Add(new("broken_seal_ids", certificate.SealIds.Contains(seal)
                ? $"seal {seal}: found broken"
                : $"seal {seal}: found broken, and the certificate lists no such seal"));
        }
        return new ImportOutcome(differences.Count == 0 ? CertificateState.Received : CertificateState.Detained, differences);
    }

    private static string Carats(ulong hundredths) => $"{hundredths / 100}.{hundredths % 100:D2} ct";
}
