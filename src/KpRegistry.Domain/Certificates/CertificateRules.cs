using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Domain.Registry;

namespace KpRegistry.Domain.Certificates;

/// <summary>
/// The content rules of a Kimberley Process certificate (DOMAIN.md, KPCS Annex I): what a
/// certificate must say to be acceptable, independent of who signed it. A pure function: no
/// I/O, no clock (the time is a parameter), thread-safe.
/// </summary>
/// <remarks>
/// The issuer's status on the date of issue and on the date of presentation are not content
/// rules; the verification decision judges them (<see cref="Verification.CertificateVerifier"/>).
/// The exceptions are the origin-zone rules, which exist only because of that status.
/// </remarks>
public static class CertificateRules
{
    /// <summary>The only <c>format_version</c> this code knows.</summary>
    public const uint SupportedFormatVersion = 1;

    /// <summary>The KPCS statement, word for word; the certificate must carry exactly this text.</summary>
    public const string Statement =
        "The rough diamonds in this shipment have been handled in accordance with the provisions of the Kimberley Process Certification Scheme for rough diamonds";

    /// <summary>The HS codes of rough diamonds under KPCS. Nothing else may appear on a certificate (7102.39, worked diamonds, is out of scope).</summary>
    public static IReadOnlyList<string> HsCodes { get; } = ["7102.10", "7102.21", "7102.31"];

    /// <summary>Shortest certificate number, in characters.</summary>
    public const int MinNumberLength = 3;
    /// <summary>Longest certificate number, in characters.</summary>
    public const int MaxNumberLength = 64;
    /// <summary>Most lines on one certificate. Lines beyond it are summed but not examined one by one.</summary>
    public const int MaxLines = 100;
    /// <summary>Longest authority code.</summary>
    public const int MaxCodeLength = 64;
    /// <summary>Longest party name.</summary>
    public const int MaxNameLength = 200;
    /// <summary>Longest party address.</summary>
    public const int MaxAddressLength = 500;
    /// <summary>Longest licence number.</summary>
    public const int MaxLicenceLength = 64;
    /// <summary>Longest origin zone.</summary>
    public const int MaxZoneLength = 200;
    /// <summary>Longest seal id.</summary>
    public const int MaxSealIdLength = 64;
    /// <summary>Most seal ids.</summary>
    public const int MaxSealIds = 1000;
    /// <summary>Most transit countries.</summary>
    public const int MaxTransitCountries = 20;
    /// <summary>Most origin countries of a mixed parcel.</summary>
    public const int MaxOriginCountries = 250;
    /// <summary>
    /// The largest total (carats in hundredths, value in cents) and so the largest line: the registry
    /// records totals as signed 64-bit numbers. A larger sum once passed the rules, was signed, and
    /// failed only when recorded (INTERNAL; issue 13).
    /// </summary>
    public const ulong MaxAmount = long.MaxValue;

    /// <summary>
    /// Every content rule the certificate breaks, in the order of its fields (then of the rules
    /// within a field); an empty list when it breaks none. Never throws for any content.
    /// </summary>
    /// <param name="certificate">The parsed certificate.</param>
    /// <param name="view">The registry, for the issuer's authorities, zones and maximum validity, and for the destination.</param>
    /// <param name="now">
    /// The time against which "date of issue not in the future" is judged: the time of the check,
    /// or, when verifying a recorded certificate, the time the registry recorded it.
    /// </param>
    /// <param name="options">The configurable limits.</param>
    public static IReadOnlyList<RuleViolation> Validate(Certificate certificate, IRegistryView view, DateTimeOffset now, CertificateRulesOptions options)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(view);
        ParticipantInfo? issuer = Codes.IsAlpha2(certificate.IssuingParticipant) ? view.FindParticipant(certificate.IssuingParticipant) : null;
        return ValidateWithIssuer(certificate, issuer, view, now, options);
    }

    /// <summary>As the public overload, with the issuer already looked up (null when unknown).</summary>
    internal static IReadOnlyList<RuleViolation> ValidateWithIssuer(
        Certificate certificate, ParticipantInfo? issuer, IRegistryView view, DateTimeOffset now, CertificateRulesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<RuleViolation>? found = null;
        Certificate c = certificate;
        string issuerCode = c.IssuingParticipant;
        bool issuerWellFormed = Codes.IsAlpha2(issuerCode);
        bool issueParsed = CertificateDates.TryParse(c.DateOfIssue, out DateOnly dateOfIssue);

        // 1 format_version
        if (c.FormatVersion != SupportedFormatVersion)
        {
            Add(ref found, CertificateRule.FormatVersionUnsupported, "format_version",
                $"format_version: {Text.Number(c.FormatVersion)} is not supported; this verifier knows version {Text.Number(SupportedFormatVersion)}");
        }

        // 2 certificate_number
        CheckNumber(ref found, c.CertificateNumber, issuerCode, issuerWellFormed);

        // 3 issuing_participant
        if (!issuerWellFormed)
        {
            Add(ref found, CertificateRule.IssuerCodeMalformed, "issuing_participant", issuerCode.Length == 0
                ? "issuing_participant: is required (the issuer's upper-case alpha-2 code, or EU)"
                : $"issuing_participant: {Text.Quote(issuerCode)} is not an upper-case alpha-2 code");
        }

        // 4 issuing_authority
        string authority = c.IssuingAuthority;
        if (authority.Length == 0)
        {
            Add(ref found, CertificateRule.IssuingAuthorityMissing, "issuing_authority", "issuing_authority: is required (the registered code of the issuing authority)");
        }
        else if (authority.Length > MaxCodeLength)
        {
            TooLong(ref found, "issuing_authority", authority.Length, MaxCodeLength);
        }
        else if (issuer is not null && issuer.Authorities.Count > 0 && !HasAuthority(issuer, authority))
        {
            Add(ref found, CertificateRule.IssuingAuthorityUnknown, "issuing_authority",
                $"issuing_authority: {Text.Quote(authority)} is not a registered authority of {issuer.Code}");
        }
        else if (issuer is not null && issueParsed && issuer.Authorities.Count > 0 && !issuer.HasAuthorityOn(authority, dateOfIssue))
        {
            // Judged on the date of issue: what it issued before its removal stays valid.
            Add(ref found, CertificateRule.IssuingAuthorityUnknown, "issuing_authority",
                $"issuing_authority: {Text.Quote(authority)} was no longer an authority of {issuer.Code} on {Text.Date(dateOfIssue)}, the date of issue");
        }

        // 5-7 exporter, importer, consignee
        CheckParty(ref found, c.Exporter, "exporter", required: true, CertificateRule.ExporterIncomplete);
        if (c.Exporter is { } exporter && issuer is { LicensesExporters: true } && string.IsNullOrWhiteSpace(exporter.LicenceNumber))
        {
            Add(ref found, CertificateRule.ExporterLicenceMissing, "exporter.licence_number",
                $"exporter.licence_number: is required, because {issuer.Code} licenses its exporters");
        }
        CheckParty(ref found, c.Importer, "importer", required: true, CertificateRule.ImporterIncomplete);
        CheckParty(ref found, c.Consignee, "consignee", required: false, CertificateRule.ConsigneeIncomplete);

        // 8 destination_participant
        CheckDestination(ref found, c.DestinationParticipant, issuerCode, view);

        // 9 origin
        CheckOrigin(ref found, c.Origin);

        // 10 origin_zone
        CheckZone(ref found, c.OriginZone, issuer, issueParsed, dateOfIssue);

        // 11-13 lines and totals
        CheckLines(ref found, c);

        // 14 number_of_parcels
        if (c.NumberOfParcels == 0)
        {
            Add(ref found, CertificateRule.NoParcels, "number_of_parcels", "number_of_parcels: 0; a shipment has at least 1 parcel");
        }

        // 15 seal_ids
        CheckSeals(ref found, c);

        // 16 transit_countries
        CheckTransit(ref found, c);

        // 17-18 dates
        CheckDates(ref found, c, issuer, issueParsed, dateOfIssue, now, options);

        // 19 statement
        CheckStatement(ref found, c.Statement);

        // 20 replaces_certificate_number
        CheckReplaces(ref found, c, issuerCode, issuerWellFormed);

        return found is null ? [] : found;
    }

    private static void CheckNumber(ref List<RuleViolation>? found, string number, string issuerCode, bool issuerWellFormed)
    {
        if (number.Length == 0)
        {
            Add(ref found, CertificateRule.NumberMissing, "certificate_number", "certificate_number: is required");
            return;
        }
        if (number.Length < MinNumberLength || number.Length > MaxNumberLength)
        {
            Add(ref found, CertificateRule.NumberMalformed, "certificate_number",
                $"certificate_number: {Text.Quote(number)} has {Text.Number(number.Length)} characters; it must have {MinNumberLength} to {MaxNumberLength}");
        }
        else
        {
            for (int i = 0; i < number.Length; i++)
            {
                char ch = number[i];
                if (ch is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '/'))
                {
                    Add(ref found, CertificateRule.NumberMalformed, "certificate_number",
                        $"certificate_number: {Text.Quote(number)} has '{ch}' at position {Text.Number(i)}; only A-Z, 0-9, '-' and '/' are allowed");
                    break;
                }
            }
        }
        if (issuerWellFormed && !number.StartsWith(issuerCode, StringComparison.Ordinal))
        {
            Add(ref found, CertificateRule.NumberNotPrefixedByIssuer, "certificate_number",
                $"certificate_number: {Text.Quote(number)} does not begin with the issuing participant's code {issuerCode}");
        }
    }

    /// <summary>A replacement names an old number of the same issuer that is not its own (an empty field: an original).</summary>
    private static void CheckReplaces(ref List<RuleViolation>? found, Certificate c, string issuerCode, bool issuerWellFormed)
    {
        string replaces = c.ReplacesCertificateNumber;
        if (replaces.Length == 0)
        {
            return;
        }
        const string Field = "replaces_certificate_number";
        string? problem = null;
        if (replaces.Length < MinNumberLength || replaces.Length > MaxNumberLength)
        {
            problem = $"has {Text.Number(replaces.Length)} characters; it must have {MinNumberLength} to {MaxNumberLength}";
        }
        else if (replaces.Any(ch => ch is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '/')))
        {
            problem = "has a character other than A-Z, 0-9, '-' and '/'";
        }
        else if (issuerWellFormed && !replaces.StartsWith(issuerCode, StringComparison.Ordinal))
        {
            problem = $"does not begin with {issuerCode}: a certificate replaces only one of its own issuer";
        }
        else if (string.Equals(replaces, c.CertificateNumber, StringComparison.Ordinal))
        {
            problem = "is the certificate's own number: a replacement takes a new number";
        }
        if (problem is not null)
        {
            Add(ref found, CertificateRule.ReplacesMalformed, Field, $"{Field}: {Text.Quote(replaces)} {problem}");
        }
    }

    private static bool HasAuthority(ParticipantInfo issuer, string authority)
    {
        IReadOnlyList<AuthorityInfo> authorities = issuer.Authorities;
        for (int i = 0; i < authorities.Count; i++)
        {
            if (string.Equals(authorities[i].Code, authority, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static void CheckParty(ref List<RuleViolation>? found, Party? party, string field, bool required, CertificateRule incomplete)
    {
        if (party is null)
        {
            if (required)
            {
                Add(ref found, incomplete, field, $"{field}: is required (name and address)");
            }
            return;
        }
        if (string.IsNullOrWhiteSpace(party.Name))
        {
            Add(ref found, incomplete, field + ".name", $"{field}.name: is required");
        }
        else if (party.Name.Length > MaxNameLength)
        {
            TooLong(ref found, field + ".name", party.Name.Length, MaxNameLength);
        }
        if (string.IsNullOrWhiteSpace(party.Address))
        {
            Add(ref found, incomplete, field + ".address", $"{field}.address: is required");
        }
        else if (party.Address.Length > MaxAddressLength)
        {
            TooLong(ref found, field + ".address", party.Address.Length, MaxAddressLength);
        }
        if (party.LicenceNumber.Length > MaxLicenceLength)
        {
            TooLong(ref found, field + ".licence_number", party.LicenceNumber.Length, MaxLicenceLength);
        }
    }

    private static void CheckDestination(ref List<RuleViolation>? found, string destination, string issuerCode, IRegistryView view)
    {
        const string Field = "destination_participant";
        if (!Codes.IsAlpha2(destination))
        {
            Add(ref found, CertificateRule.DestinationCodeMalformed, Field, destination.Length == 0
                ? "destination_participant: is required (the destination participant's upper-case alpha-2 code, or EU)"
                : $"destination_participant: {Text.Quote(destination)} is not an upper-case alpha-2 code");
            return;
        }
        if (string.Equals(destination, issuerCode, StringComparison.Ordinal))
        {
            Add(ref found, CertificateRule.DestinationSameAsIssuer, Field,
                $"destination_participant: {destination} is the issuing participant; a KP certificate accompanies an export to another participant");
        }
        if (view.FindParticipant(destination) is null)
        {
            Add(ref found, CertificateRule.DestinationNotParticipant, Field, Codes.IsEuMemberState(destination)
                ? $"destination_participant: {destination} is an EU member state, not a participant; a shipment to it is destined for EU"
                : $"destination_participant: {destination} is not a KP participant");
        }
    }

    private static void CheckOrigin(ref List<RuleViolation>? found, Origin? origin)
    {
        if (origin is null)
        {
            Add(ref found, CertificateRule.OriginMissing, "origin", "origin: is required (one country, or mixed)");
            return;
        }
        int count = origin.Countries.Count;
        if (!origin.Mixed && count == 0)
        {
            Add(ref found, CertificateRule.OriginMissing, "origin.countries", "origin.countries: a non-mixed origin names exactly one country; none is given");
            return;
        }
        if (!origin.Mixed && count > 1)
        {
            Add(ref found, CertificateRule.OriginMalformed, "origin.countries",
                $"origin.countries: a non-mixed origin names exactly one country; {Text.Number(count)} are given (set mixed for several)");
        }
        if (count > MaxOriginCountries)
        {
            TooLong(ref found, "origin.countries", count, MaxOriginCountries, "entries");
            return;
        }
        for (int i = 0; i < count; i++)
        {
            string country = origin.Countries[i];
            if (!Codes.IsAlpha2(country))
            {
                Add(ref found, CertificateRule.OriginMalformed, $"origin.countries[{Text.Number(i)}]",
                    $"origin.countries[{Text.Number(i)}]: {Text.Quote(country)} is not an upper-case alpha-2 code");
            }
        }
    }

    private static void CheckZone(ref List<RuleViolation>? found, string zone, ParticipantInfo? issuer, bool issueParsed, DateOnly dateOfIssue)
    {
        const string Field = "origin_zone";
        if (zone.Length > MaxZoneLength)
        {
            TooLong(ref found, Field, zone.Length, MaxZoneLength);
            return;
        }
        if (issuer is null || !issueParsed || issuer.StatusOn(dateOfIssue) != ParticipantStatus.ActiveRestricted)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(zone))
        {
            Add(ref found, CertificateRule.OriginZoneRequired, Field,
                $"origin_zone: is required, because {issuer.Code} was ACTIVE_RESTRICTED on {Text.Date(dateOfIssue)} and may export only from approved zones");
        }
        else if (!issuer.IsZoneApprovedOn(zone, dateOfIssue))
        {
            Add(ref found, CertificateRule.OriginZoneNotApproved, Field,
                $"origin_zone: {Text.Quote(zone)} was not an approved zone of {issuer.Code} on {Text.Date(dateOfIssue)}");
        }
    }

    private static void CheckLines(ref List<RuleViolation>? found, Certificate c)
    {
        int count = c.Lines.Count;
        if (count == 0)
        {
            Add(ref found, CertificateRule.NoLines, "lines", "lines: at least one line is required");
        }
        else if (count > MaxLines)
        {
            Add(ref found, CertificateRule.TooManyLines, "lines", $"lines: {Text.Number(count)} lines; at most {MaxLines}");
        }

        // Lines beyond the maximum are summed but not reported one by one: the list is already refused.
        ulong carats = 0;
        ulong value = 0;
        bool caratsOverflow = false;
        bool valueOverflow = false;
        for (int i = 0; i < count; i++)
        {
            Line line = c.Lines[i];
            if (i < MaxLines)
            {
                if (!IsHsCode(line.HsCode))
                {
                    Add(ref found, CertificateRule.HsCodeOutOfScope, $"lines[{Text.Number(i)}].hs_code",
                        $"lines[{Text.Number(i)}].hs_code: {Text.Quote(line.HsCode)} is not a rough-diamond HS code under KPCS (7102.10, 7102.21, 7102.31)");
                }
                if (line.CaratsHundredths == 0)
                {
                    Add(ref found, CertificateRule.LineCaratsNotPositive, $"lines[{Text.Number(i)}].carats_hundredths",
                        $"lines[{Text.Number(i)}].carats_hundredths: 0; the weight must be greater than 0");
                }
                if (line.ValueUsdCents == 0)
                {
                    Add(ref found, CertificateRule.LineValueNotPositive, $"lines[{Text.Number(i)}].value_usd_cents",
                        $"lines[{Text.Number(i)}].value_usd_cents: 0; the value must be greater than 0");
                }
            }
            caratsOverflow |= !TryAdd(ref carats, line.CaratsHundredths);
            valueOverflow |= !TryAdd(ref value, line.ValueUsdCents);
        }

        if (caratsOverflow)
        {
            Add(ref found, CertificateRule.TotalCaratsMismatch, "total_carats_hundredths",
                $"total_carats_hundredths: the sum of lines[].carats_hundredths overflows {Text.Number(MaxAmount)}, the largest amount the registry records; no total can match it");
        }
        else if (c.TotalCaratsHundredths != carats)
        {
            Add(ref found, CertificateRule.TotalCaratsMismatch, "total_carats_hundredths",
                $"total_carats_hundredths: {Text.Number(c.TotalCaratsHundredths)} ({Text.Carats(c.TotalCaratsHundredths)}) is not the sum of the lines, {Text.Number(carats)} ({Text.Carats(carats)})");
        }
        if (valueOverflow)
        {
            Add(ref found, CertificateRule.TotalValueMismatch, "total_value_usd_cents",
                $"total_value_usd_cents: the sum of lines[].value_usd_cents overflows {Text.Number(MaxAmount)}, the largest amount the registry records; no total can match it");
        }
        else if (c.TotalValueUsdCents != value)
        {
            Add(ref found, CertificateRule.TotalValueMismatch, "total_value_usd_cents",
                $"total_value_usd_cents: {Text.Number(c.TotalValueUsdCents)} ({Text.Usd(c.TotalValueUsdCents)}) is not the sum of the lines, {Text.Number(value)} ({Text.Usd(value)})");
        }
    }

    private static bool IsHsCode(string code) => code is "7102.10" or "7102.21" or "7102.31";

    private static bool TryAdd(ref ulong sum, ulong addend)
    {
        if (addend > MaxAmount - sum)
        {
            return false;
        }
        sum += addend;
        return true;
    }

    private static void CheckSeals(ref List<RuleViolation>? found, Certificate c)
    {
        int count = c.SealIds.Count;
        if (count > MaxSealIds)
        {
            TooLong(ref found, "seal_ids", count, MaxSealIds, "entries");
            return;
        }
        for (int i = 0; i < count; i++)
        {
            string seal = c.SealIds[i];
            string? problem = seal.Length == 0 ? "is empty"
                : seal.Length > MaxSealIdLength ? $"has {Text.Number(seal.Length)} characters; at most {MaxSealIdLength}"
                : !IsPrintableAscii(seal) ? "has a character outside printable ASCII, or leading or trailing space"
                : null;
            if (problem is not null)
            {
                Add(ref found, CertificateRule.SealIdMalformed, $"seal_ids[{Text.Number(i)}]", $"seal_ids[{Text.Number(i)}]: {Text.Quote(seal)} {problem}");
            }
        }
    }

    private static bool IsPrintableAscii(string value)
    {
        if (value[0] == ' ' || value[^1] == ' ')
        {
            return false;
        }
        foreach (char ch in value)
        {
            if (ch is < ' ' or > '~')
            {
                return false;
            }
        }
        return true;
    }

    private static void CheckTransit(ref List<RuleViolation>? found, Certificate c)
    {
        int count = c.TransitCountries.Count;
        if (count > MaxTransitCountries)
        {
            TooLong(ref found, "transit_countries", count, MaxTransitCountries, "entries");
            return;
        }
        for (int i = 0; i < count; i++)
        {
            string country = c.TransitCountries[i];
            if (!Codes.IsAlpha2(country))
            {
                Add(ref found, CertificateRule.TransitCountryMalformed, $"transit_countries[{Text.Number(i)}]",
                    $"transit_countries[{Text.Number(i)}]: {Text.Quote(country)} is not an upper-case alpha-2 code");
            }
        }
    }

    private static void CheckDates(
        ref List<RuleViolation>? found, Certificate c, ParticipantInfo? issuer, bool issueParsed, DateOnly dateOfIssue,
        DateTimeOffset now, CertificateRulesOptions options)
    {
        if (!issueParsed)
        {
            Add(ref found, CertificateRule.DateOfIssueMalformed, "date_of_issue", c.DateOfIssue.Length == 0
                ? "date_of_issue: is required (YYYY-MM-DD)"
                : $"date_of_issue: {Text.Quote(c.DateOfIssue)} is not a calendar date YYYY-MM-DD");
        }
        else
        {
            DateOnly latest = CertificateDates.UtcDate(now + options.IssuerCalendarLead);
            if (dateOfIssue > latest)
            {
                Add(ref found, CertificateRule.DateOfIssueInFuture, "date_of_issue",
                    $"date_of_issue: {Text.Date(dateOfIssue)} is in the future: at {Text.Instant(now)} no calendar was past {Text.Date(latest)}");
            }
        }

        if (!CertificateDates.TryParse(c.DateOfExpiry, out DateOnly dateOfExpiry))
        {
            Add(ref found, CertificateRule.DateOfExpiryMalformed, "date_of_expiry", c.DateOfExpiry.Length == 0
                ? "date_of_expiry: is required (YYYY-MM-DD)"
                : $"date_of_expiry: {Text.Quote(c.DateOfExpiry)} is not a calendar date YYYY-MM-DD");
            return;
        }
        if (!issueParsed)
        {
            return;
        }
        if (dateOfExpiry <= dateOfIssue)
        {
            Add(ref found, CertificateRule.ExpiryNotAfterIssue, "date_of_expiry",
                $"date_of_expiry: {Text.Date(dateOfExpiry)} is not after date_of_issue {Text.Date(dateOfIssue)}");
            return;
        }
        if (issuer?.MaxValidityMonths is int months && AddMonthsWithinCalendar(dateOfIssue, months) is var latestExpiry && dateOfExpiry > latestExpiry)
        {
            // Calendar months, not a count of days: DateOnly.AddMonths ends at the last day of a shorter month.
            Add(ref found, CertificateRule.ValidityTooLong, "date_of_expiry",
                $"date_of_expiry: {Text.Date(dateOfExpiry)} is more than {Text.Number(months)} calendar months after date_of_issue {Text.Date(dateOfIssue)}; {issuer.Code}'s certificates are valid until {Text.Date(latestExpiry)} at the latest");
            return;
        }
        int? maxDays = issuer?.MaxValidityDays ?? options.DefaultMaxValidityDays;
        int days = dateOfExpiry.DayNumber - dateOfIssue.DayNumber;
        if (maxDays is int max && days > max)
        {
            string whose = issuer?.MaxValidityDays is not null ? $"{issuer.Code}'s maximum" : "the registry's default maximum";
            Add(ref found, CertificateRule.ValidityTooLong, "date_of_expiry",
                $"date_of_expiry: {Text.Date(dateOfExpiry)} is {Text.Number(days)} days after date_of_issue {Text.Date(dateOfIssue)}; {whose} is {Text.Number(max)} days");
        }
    }

    private static void CheckStatement(ref List<RuleViolation>? found, string statement)
    {
        if (statement.Length == 0)
        {
            Add(ref found, CertificateRule.StatementMissing, "statement", "statement: is required: the KPCS statement, word for word");
            return;
        }
        if (string.Equals(statement, Statement, StringComparison.Ordinal))
        {
            return;
        }
        int at = 0;
        int common = Math.Min(statement.Length, Statement.Length);
        while (at < common && statement[at] == Statement[at])
        {
            at++;
        }
        Add(ref found, CertificateRule.StatementWrong, "statement",
            $"statement: differs from the KPCS statement at character {Text.Number(at)}; it must read, word for word: \"{Statement}\"");
    }

    private static void TooLong(ref List<RuleViolation>? found, string field, int length, int max, string unit = "characters") =>
        Add(ref found, CertificateRule.FieldTooLong, field, $"{field}: {Text.Number(length)} {unit}; at most {Text.Number(max)}");

    private static void Add(ref List<RuleViolation>? found, CertificateRule rule, string field, string message) =>
        (found ??= []).Add(new RuleViolation(rule, field, message));

    /// <summary>
    /// <paramref name="date"/> plus <paramref name="months"/> calendar months, stopping at the ends of
    /// the calendar: a date of issue late in 9999 is content to judge, and DateOnly.AddMonths threw
    /// for it (found by the property tests of issue 13).
    /// </summary>
    private static DateOnly AddMonthsWithinCalendar(DateOnly date, int months)
    {
        long monthIndex = (date.Year * 12L) + date.Month - 1 + months;
        if (monthIndex > (DateOnly.MaxValue.Year * 12L) + 11)
        {
            return DateOnly.MaxValue;
        }
        return monthIndex < DateOnly.MinValue.Year * 12L ? DateOnly.MinValue : date.AddMonths(months);
    }
}
