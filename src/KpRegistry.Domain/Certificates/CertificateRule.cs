namespace KpRegistry.Domain.Certificates;

/// <summary>
/// The content rules of a certificate (DOMAIN.md, KPCS Annex I), one member per rule, declared in
/// the order of the fields they concern. <see cref="CertificateRules.Validate"/> names exactly one
/// member per violation. The set is closed: a new rule is a new member, documented here.
/// </summary>
public enum CertificateRule
{
    /// <summary><c>format_version</c> is not a version this code knows (now only 1).</summary>
    FormatVersionUnsupported = 1,

    /// <summary><c>certificate_number</c> is empty.</summary>
    NumberMissing,

    /// <summary><c>certificate_number</c> is not 3 to 64 characters of A-Z, 0-9, '-' and '/'.</summary>
    NumberMalformed,

    /// <summary><c>certificate_number</c> does not begin with the issuing participant's code.</summary>
    NumberNotPrefixedByIssuer,

    /// <summary><c>issuing_participant</c> is empty or not two upper-case letters A-Z.</summary>
    IssuerCodeMalformed,

    /// <summary><c>issuing_authority</c> is empty.</summary>
    IssuingAuthorityMissing,

    /// <summary><c>issuing_authority</c> is not one of the issuer's registered authorities (checked only when the registry knows the issuer's authorities).</summary>
    IssuingAuthorityUnknown,

    /// <summary>The exporter, its name or its address is missing.</summary>
    ExporterIncomplete,

    /// <summary>The exporter has no licence number although the issuer licenses exporters (<see cref="Registry.ParticipantInfo.LicensesExporters"/>).</summary>
    ExporterLicenceMissing,

    /// <summary>The importer, its name or its address is missing.</summary>
    ImporterIncomplete,

    /// <summary>A consignee is given without a name or an address.</summary>
    ConsigneeIncomplete,

    /// <summary><c>destination_participant</c> is empty or not two upper-case letters A-Z.</summary>
    DestinationCodeMalformed,

    /// <summary><c>destination_participant</c> is not a participant known to the registry (a member state is not a participant: use "EU").</summary>
    DestinationNotParticipant,

    /// <summary><c>destination_participant</c> is the issuing participant: a KP certificate accompanies an export to another participant.</summary>
    DestinationSameAsIssuer,

    /// <summary>No origin, or a non-mixed origin without a country.</summary>
    OriginMissing,

    /// <summary>An origin country is not two upper-case letters, or a non-mixed origin lists more than one country.</summary>
    OriginMalformed,

    /// <summary>The issuer was ACTIVE_RESTRICTED on the date of issue and <c>origin_zone</c> is empty.</summary>
    OriginZoneRequired,

    /// <summary>The issuer was ACTIVE_RESTRICTED on the date of issue and <c>origin_zone</c> was not approved on that date.</summary>
    OriginZoneNotApproved,

    /// <summary>The certificate has no line.</summary>
    NoLines,

    /// <summary>The certificate has more lines than <see cref="CertificateRules.MaxLines"/>.</summary>
    TooManyLines,

    /// <summary>A line's HS code is not 7102.10, 7102.21 or 7102.31.</summary>
    HsCodeOutOfScope,

    /// <summary>A line's carats are zero.</summary>
    LineCaratsNotPositive,

    /// <summary>A line's value is zero.</summary>
    LineValueNotPositive,

    /// <summary><c>total_carats_hundredths</c> is not exactly the sum of the lines (or that sum is above <see cref="CertificateRules.MaxAmount"/>).</summary>
    TotalCaratsMismatch,

    /// <summary><c>total_value_usd_cents</c> is not exactly the sum of the lines (or that sum is above <see cref="CertificateRules.MaxAmount"/>).</summary>
    TotalValueMismatch,

    /// <summary><c>number_of_parcels</c> is zero.</summary>
    NoParcels,

    /// <summary>A seal id is empty, longer than 64 characters, or not printable ASCII.</summary>
    SealIdMalformed,

    /// <summary>A transit country is not two upper-case letters A-Z.</summary>
    TransitCountryMalformed,

    /// <summary><c>date_of_issue</c> is empty or not a calendar date "YYYY-MM-DD".</summary>
    DateOfIssueMalformed,

    /// <summary><c>date_of_issue</c> is after the issuer's possible calendar date at the time of the check (or of recording).</summary>
    DateOfIssueInFuture,

    /// <summary><c>date_of_expiry</c> is empty or not a calendar date "YYYY-MM-DD".</summary>
    DateOfExpiryMalformed,

    /// <summary><c>date_of_expiry</c> is not after <c>date_of_issue</c>.</summary>
    ExpiryNotAfterIssue,

    /// <summary>The validity (expiry minus issue) exceeds the issuer's maximum, or the default maximum.</summary>
    ValidityTooLong,

    /// <summary><c>statement</c> is empty.</summary>
    StatementMissing,

    /// <summary><c>statement</c> is not the KPCS statement word for word.</summary>
    StatementWrong,

    /// <summary>A string or list is longer than its limit (names 200, addresses 500, codes and licence numbers 64, zones 200, seal ids 1000 entries, transit countries 20, origin countries 250).</summary>
    FieldTooLong,

    /// <summary><c>replaces_certificate_number</c> is set but malformed (as <see cref="NumberMalformed"/>), not of the issuer, or the certificate's own number.</summary>
    ReplacesMalformed,
}
