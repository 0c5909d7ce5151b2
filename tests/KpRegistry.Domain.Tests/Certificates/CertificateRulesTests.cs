using KpRegistry.Domain.Registry;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Tests.TestData;

namespace KpRegistry.Domain.Tests.Certificates;

public sealed class CertificateRulesTests : IDisposable
{
    private readonly KpWorld _world = new();

    public void Dispose() => _world.Dispose();

    private IReadOnlyList<RuleViolation> Validate(Certificate c, DateTimeOffset? now = null, CertificateRulesOptions? options = null) =>
        CertificateRules.Validate(c, _world.View, now ?? KpWorld.Now, options ?? CertificateRulesOptions.Default);

    /// <summary>One bad case per rule: the change to the valid certificate, the one rule it breaks, and the field named.</summary>
    private static readonly Dictionary<string, Action<Certificate>> Changes = new()
    {
        ["format version 2"] = c => c.FormatVersion = 2,
        ["format version 0 (unset)"] = c => c.FormatVersion = 0,
        ["number empty"] = c => c.CertificateNumber = "",
        ["number lower case"] = c => c.CertificateNumber = "BW-2026-abc",
        ["number with space"] = c => c.CertificateNumber = "BW 2026 1",
        ["number too short"] = c => c.CertificateNumber = "BW",
        ["number too long"] = c => c.CertificateNumber = "BW-" + new string('9', 62),
        ["number of another issuer"] = c => c.CertificateNumber = "ZA-2026-000123",
        ["issuer lower case"] = c => c.IssuingParticipant = "bw",
        ["issuer empty"] = c => c.IssuingParticipant = "",
        ["issuer three letters"] = c => c.IssuingParticipant = "BWA",
        ["authority empty"] = c => c.IssuingAuthority = "",
        ["authority of another participant"] = c => c.IssuingAuthority = "ZA-SADPMR",
        ["authority too long"] = c => c.IssuingAuthority = "BW-" + new string('X', 62),
        ["exporter absent"] = c => c.Exporter = null,
        ["exporter name empty"] = c => c.Exporter.Name = "",
        ["exporter address blank"] = c => c.Exporter.Address = "   ",
        ["exporter name too long"] = c => c.Exporter.Name = new string('N', 201),
        ["exporter address too long"] = c => c.Exporter.Address = new string('A', 501),
        ["exporter licence too long"] = c => c.Exporter.LicenceNumber = new string('L', 65),
        ["exporter licence missing where licensed"] = c => c.Exporter.LicenceNumber = "",
        ["importer absent"] = c => c.Importer = null,
        ["importer address empty"] = c => c.Importer.Address = "",
        ["consignee without name"] = c => c.Consignee = new Party { Address = "Dubai" },
        ["destination empty"] = c => c.DestinationParticipant = "",
        ["destination mixed case"] = c => c.DestinationParticipant = "Eu",
        ["destination a member state"] = c => c.DestinationParticipant = "BE",
        ["destination not a participant"] = c => c.DestinationParticipant = "KE",
        ["destination the issuer"] = c => c.DestinationParticipant = "BW",
        ["origin absent"] = c => c.Origin = null,
        ["origin not mixed without country"] = c => c.Origin.Countries.Clear(),
        ["origin not mixed with two countries"] = c => c.Origin.Countries.Add("ZA"),
        ["origin country lower case"] = c => c.Origin.Countries[0] = "bw",
        ["mixed origin with a bad code"] = c => { c.Origin.Mixed = true; c.Origin.Countries.Add("X1"); },
        ["origin zone too long"] = c => c.OriginZone = new string('Z', 201),
        ["no lines"] = c => { c.Lines.Clear(); c.WithTotalsFromLines(); },
        ["101 lines"] = c =>
        {
            for (int i = 0; i < 99; i++)
            {
                c.Lines.Add(new Line { HsCode = "7102.21", CaratsHundredths = 100, ValueUsdCents = 10_000 });
            }
            c.WithTotalsFromLines();
        },
        ["HS code 7102.39 (worked)"] = c => c.Lines[1].HsCode = "7102.39",
        ["HS code 7102 without subheading"] = c => c.Lines[1].HsCode = "7102",
        ["line with zero carats"] = c => { c.Lines[1].CaratsHundredths = 0; c.WithTotalsFromLines(); },
        ["line with zero value"] = c => { c.Lines[1].ValueUsdCents = 0; c.WithTotalsFromLines(); },
        ["total carats one hundredth high"] = c => c.TotalCaratsHundredths += 1,
        ["total value one cent low"] = c => c.TotalValueUsdCents -= 1,
        ["zero parcels"] = c => c.NumberOfParcels = 0,
        ["seal id empty"] = c => c.SealIds[1] = "",
        ["seal id too long"] = c => c.SealIds[1] = new string('S', 65),
        ["seal id with a control character"] = c => c.SealIds[1] = "BWS\n558813",
        ["1001 seal ids"] = c =>
        {
            for (int i = 0; i < 998; i++)
            {
                c.SealIds.Add($"S-{i}");
            }
        },
        ["transit country lower case"] = c => c.TransitCountries[0] = "za",
        ["21 transit countries"] = c =>
        {
            for (int i = 0; i < 20; i++)
            {
                c.TransitCountries.Add("AE");
            }
        },
        ["date of issue empty"] = c => c.DateOfIssue = "",
        ["date of issue not zero-padded"] = c => c.DateOfIssue = "2026-3-9",
        ["date of issue 30 February"] = c => c.DateOfIssue = "2026-02-30",
        ["date of issue with a time"] = c => c.DateOfIssue = "2026-03-09T10:00",
        ["date of issue day after tomorrow"] = c => c.DateOfIssue = "2026-03-12",
        ["date of expiry empty"] = c => c.DateOfExpiry = "",
        ["date of expiry in another format"] = c => c.DateOfExpiry = "08/05/2026",
        ["date of expiry equals issue"] = c => c.DateOfExpiry = c.DateOfIssue,
        ["date of expiry before issue"] = c => c.DateOfExpiry = "2026-03-01",
        ["validity 91 days for a 90-day issuer"] = c => c.DateOfExpiry = "2026-06-08",
        ["statement empty"] = c => c.Statement = "",
        ["statement with a full stop"] = c => c.Statement = CertificateRules.Statement + ".",
        ["statement paraphrased"] = c => c.Statement = "The rough diamonds in this shipment are conflict free",
        ["replaces its own number"] = c => c.ReplacesCertificateNumber = c.CertificateNumber,
        ["replaces another issuer's certificate"] = c => c.ReplacesCertificateNumber = "ZA-2026-000001",
        ["replaces a malformed number"] = c => c.ReplacesCertificateNumber = "BW 2026 1",
    };

    public static TheoryData<string, CertificateRule, string> Cases => new()
    {
        { "format version 2", CertificateRule.FormatVersionUnsupported, "format_version" },
        { "format version 0 (unset)", CertificateRule.FormatVersionUnsupported, "format_version" },
        { "number empty", CertificateRule.NumberMissing, "certificate_number" },
        { "number lower case", CertificateRule.NumberMalformed, "certificate_number" },
        { "number with space", CertificateRule.NumberMalformed, "certificate_number" },
        { "number too short", CertificateRule.NumberMalformed, "certificate_number" },
        { "number too long", CertificateRule.NumberMalformed, "certificate_number" },
        { "number of another issuer", CertificateRule.NumberNotPrefixedByIssuer, "certificate_number" },
        { "issuer lower case", CertificateRule.IssuerCodeMalformed, "issuing_participant" },
        { "issuer empty", CertificateRule.IssuerCodeMalformed, "issuing_participant" },
        { "issuer three letters", CertificateRule.IssuerCodeMalformed, "issuing_participant" },
        { "authority empty", CertificateRule.IssuingAuthorityMissing, "issuing_authority" },
        { "authority of another participant", CertificateRule.IssuingAuthorityUnknown, "issuing_authority" },
        { "authority too long", CertificateRule.FieldTooLong, "issuing_authority" },
        { "exporter absent", CertificateRule.ExporterIncomplete, "exporter" },
        { "exporter name empty", CertificateRule.ExporterIncomplete, "exporter.name" },
        { "exporter address blank", CertificateRule.ExporterIncomplete, "exporter.address" },
        { "exporter name too long", CertificateRule.FieldTooLong, "exporter.name" },
        { "exporter address too long", CertificateRule.FieldTooLong, "exporter.address" },
        { "exporter licence too long", CertificateRule.FieldTooLong, "exporter.licence_number" },
        { "exporter licence missing where licensed", CertificateRule.ExporterLicenceMissing, "exporter.licence_number" },
        { "importer absent", CertificateRule.ImporterIncomplete, "importer" },
        { "importer address empty", CertificateRule.ImporterIncomplete, "importer.address" },
        { "consignee without name", CertificateRule.ConsigneeIncomplete, "consignee.name" },
        { "destination empty", CertificateRule.DestinationCodeMalformed, "destination_participant" },
        { "destination mixed case", CertificateRule.DestinationCodeMalformed, "destination_participant" },
        { "destination a member state", CertificateRule.DestinationNotParticipant, "destination_participant" },
        { "destination not a participant", CertificateRule.DestinationNotParticipant, "destination_participant" },
        { "destination the issuer", CertificateRule.DestinationSameAsIssuer, "destination_participant" },
        { "origin absent", CertificateRule.OriginMissing, "origin" },
        { "origin not mixed without country", CertificateRule.OriginMissing, "origin.countries" },
        { "origin not mixed with two countries", CertificateRule.OriginMalformed, "origin.countries" },
        { "origin country lower case", CertificateRule.OriginMalformed, "origin.countries[0]" },
        { "mixed origin with a bad code", CertificateRule.OriginMalformed, "origin.countries[1]" },
        { "origin zone too long", CertificateRule.FieldTooLong, "origin_zone" },
        { "no lines", CertificateRule.NoLines, "lines" },
        { "101 lines", CertificateRule.TooManyLines, "lines" },
        { "HS code 7102.39 (worked)", CertificateRule.HsCodeOutOfScope, "lines[1].hs_code" },
        { "HS code 7102 without subheading", CertificateRule.HsCodeOutOfScope, "lines[1].hs_code" },
        { "line with zero carats", CertificateRule.LineCaratsNotPositive, "lines[1].carats_hundredths" },
        { "line with zero value", CertificateRule.LineValueNotPositive, "lines[1].value_usd_cents" },
        { "total carats one hundredth high", CertificateRule.TotalCaratsMismatch, "total_carats_hundredths" },
        { "total value one cent low", CertificateRule.TotalValueMismatch, "total_value_usd_cents" },
        { "zero parcels", CertificateRule.NoParcels, "number_of_parcels" },
        { "seal id empty", CertificateRule.SealIdMalformed, "seal_ids[1]" },
        { "seal id too long", CertificateRule.SealIdMalformed, "seal_ids[1]" },
        { "seal id with a control character", CertificateRule.SealIdMalformed, "seal_ids[1]" },
        { "1001 seal ids", CertificateRule.FieldTooLong, "seal_ids" },
        { "transit country lower case", CertificateRule.TransitCountryMalformed, "transit_countries[0]" },
        { "21 transit countries", CertificateRule.FieldTooLong, "transit_countries" },
        { "date of issue empty", CertificateRule.DateOfIssueMalformed, "date_of_issue" },
        { "date of issue not zero-padded", CertificateRule.DateOfIssueMalformed, "date_of_issue" },
        { "date of issue 30 February", CertificateRule.DateOfIssueMalformed, "date_of_issue" },
        { "date of issue with a time", CertificateRule.DateOfIssueMalformed, "date_of_issue" },
        { "date of issue day after tomorrow", CertificateRule.DateOfIssueInFuture, "date_of_issue" },
        { "date of expiry empty", CertificateRule.DateOfExpiryMalformed, "date_of_expiry" },
        { "date of expiry in another format", CertificateRule.DateOfExpiryMalformed, "date_of_expiry" },
        { "date of expiry equals issue", CertificateRule.ExpiryNotAfterIssue, "date_of_expiry" },
        { "date of expiry before issue", CertificateRule.ExpiryNotAfterIssue, "date_of_expiry" },
        { "validity 91 days for a 90-day issuer", CertificateRule.ValidityTooLong, "date_of_expiry" },
        { "statement empty", CertificateRule.StatementMissing, "statement" },
        { "statement with a full stop", CertificateRule.StatementWrong, "statement" },
        { "statement paraphrased", CertificateRule.StatementWrong, "statement" },
        { "replaces its own number", CertificateRule.ReplacesMalformed, "replaces_certificate_number" },
        { "replaces another issuer's certificate", CertificateRule.ReplacesMalformed, "replaces_certificate_number" },
        { "replaces a malformed number", CertificateRule.ReplacesMalformed, "replaces_certificate_number" },
    };

    [Fact]
    public void Validate_ValidCertificate_NoViolation()
    {
        Assert.Empty(Validate(TestCertificates.BotswanaToEu()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_OneBadField_NamesExactlyThatRule(string change, CertificateRule rule, string field)
    {
        Certificate c = TestCertificates.BotswanaToEu();
        Changes[change](c);

        IReadOnlyList<RuleViolation> violations = Validate(c);

        RuleViolation only = Assert.Single(violations);
        Assert.Equal(rule, only.Rule);
        Assert.Equal(field, only.Field);
        Assert.StartsWith(field + ":", only.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cases_EveryRule_HasABadCase()
    {
        var covered = new HashSet<CertificateRule>();
        foreach (TheoryDataRow<string, CertificateRule, string> row in Cases)
        {
            covered.Add(row.Data.Item2);
        }
        // The zone rules need a restricted issuer: their own tests below.
        covered.Add(CertificateRule.OriginZoneRequired);
        covered.Add(CertificateRule.OriginZoneNotApproved);
        Assert.Equal(Enum.GetValues<CertificateRule>(), covered.Order());
        Assert.Equal(Cases.Count, Changes.Count);
    }

    [Fact]
    public void Validate_HsCodeOutOfScope_MessageNamesFieldValueAndScope()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.Lines[1].HsCode = "7102.39";

        RuleViolation v = Assert.Single(Validate(c));

        Assert.Equal("lines[1].hs_code: \"7102.39\" is not a rough-diamond HS code under KPCS (7102.10, 7102.21, 7102.31)", v.Message);
    }

    [Fact]
    public void Validate_TotalCaratsMismatch_MessageStatesBothFigures()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.TotalCaratsHundredths = 1_591_125;

        RuleViolation v = Assert.Single(Validate(c));

        Assert.Equal("total_carats_hundredths: 1591125 (15911.25 ct) is not the sum of the lines, 1591025 (15910.25 ct)", v.Message);
    }

    [Fact]
    public void Validate_SeveralBadFields_ReportsEveryViolationInFieldOrder()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.Statement = "";
        c.Lines[0].HsCode = "7102.39";
        c.Lines[1].ValueUsdCents = 0;
        c.CertificateNumber = "ZA-1";
        c.Importer = null;
        c.FormatVersion = 7;

        CertificateRule[] rules = [.. Validate(c).Select(v => v.Rule)];

        Assert.Equal(
            [
                CertificateRule.FormatVersionUnsupported,
                CertificateRule.NumberNotPrefixedByIssuer,
                CertificateRule.ImporterIncomplete,
                CertificateRule.HsCodeOutOfScope,
                CertificateRule.LineValueNotPositive,
                CertificateRule.TotalValueMismatch,
                CertificateRule.StatementMissing,
            ],
            rules);
    }

    [Fact]
    public void Validate_LineSumsOverflow_ReportsMismatchWithoutThrowing()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.Lines[0].CaratsHundredths = ulong.MaxValue;
        c.Lines[0].ValueUsdCents = ulong.MaxValue;
        c.TotalCaratsHundredths = c.Lines[1].CaratsHundredths - 1; // what a wrapped sum would give
        c.TotalValueUsdCents = c.Lines[1].ValueUsdCents - 1;

        IReadOnlyList<RuleViolation> violations = Validate(c);

        Assert.Equal([CertificateRule.TotalCaratsMismatch, CertificateRule.TotalValueMismatch], violations.Select(v => v.Rule));
        Assert.Contains("overflows", violations[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TotalsAboveLongMaxValue_ReportsOverflowNamingEachTotal()
    {
        // Sums that fit an unsigned 64-bit total but not the registry's signed 64-bit record (issue 13, finding 7).
        Certificate c = TestCertificates.BotswanaToEu();
        ulong caratsRest = c.TotalCaratsHundredths - c.Lines[0].CaratsHundredths;
        ulong valueRest = c.TotalValueUsdCents - c.Lines[0].ValueUsdCents;
        c.Lines[0].CaratsHundredths = long.MaxValue;
        c.Lines[0].ValueUsdCents = long.MaxValue;
        c.TotalCaratsHundredths = (ulong)long.MaxValue + caratsRest;
        c.TotalValueUsdCents = (ulong)long.MaxValue + valueRest;

        IReadOnlyList<RuleViolation> violations = Validate(c);

        Assert.Equal([CertificateRule.TotalCaratsMismatch, CertificateRule.TotalValueMismatch], violations.Select(v => v.Rule));
        Assert.Equal(["total_carats_hundredths", "total_value_usd_cents"], violations.Select(v => v.Field));
        Assert.Contains("9223372036854775807", violations[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TotalsExactlyLongMaxValue_AreAccepted()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        ulong caratsRest = c.TotalCaratsHundredths - c.Lines[0].CaratsHundredths;
        c.Lines[0].CaratsHundredths = long.MaxValue - caratsRest;
        c.TotalCaratsHundredths = long.MaxValue;

        Assert.Empty(Validate(c));
    }

    [Fact]
    public void Validate_MixedOriginWithoutCountries_IsAccepted()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.Origin = new Origin { Mixed = true };
        Assert.Empty(Validate(c));
    }

    [Fact]
    public void Validate_MixedOriginListingSeveral_IsAccepted()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.Origin = new Origin { Mixed = true, Countries = { "BW", "ZA", "NA" } };
        Assert.Empty(Validate(c));
    }

    [Fact]
    public void Validate_ConsigneeAbsent_IsAccepted()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.Consignee = null;
        c.SealIds.Clear();
        c.TransitCountries.Clear();
        Assert.Empty(Validate(c));
    }

    [Fact]
    public void Validate_ExporterWithoutLicence_AcceptedWhereIssuerDoesNotLicense()
    {
        Certificate c = TestCertificates.Issued("ZA", "ZA-SADPMR", TestCertificates.IssuedOn);
        c.Exporter.LicenceNumber = "";
        Assert.Empty(Validate(c));
    }

    [Fact]
    public void Validate_IssuerUnknownToRegistry_AuthorityAndZoneNotJudged()
    {
        // An unknown issuer is a verification reason (IssuerNotParticipant), not a content rule.
        Certificate c = TestCertificates.Issued("KE", "KE-MOM", TestCertificates.IssuedOn);
        Assert.Empty(Validate(c));
    }

    [Fact]
    public void Validate_RestrictedIssuerWithoutZone_OriginZoneRequired()
    {
        Certificate c = TestCertificates.Issued("CF", KpWorld.CfAuthority, new DateOnly(2020, 6, 1));

        RuleViolation v = Assert.Single(Validate(c, new DateTimeOffset(2020, 6, 2, 9, 0, 0, TimeSpan.Zero)));

        Assert.Equal(CertificateRule.OriginZoneRequired, v.Rule);
        Assert.Equal("origin_zone", v.Field);
    }

    [Fact]
    public void Validate_RestrictedIssuerZoneNotApproved_OriginZoneNotApproved()
    {
        Certificate c = TestCertificates.Issued("CF", KpWorld.CfAuthority, new DateOnly(2020, 6, 1));
        c.OriginZone = "Bria";

        RuleViolation v = Assert.Single(Validate(c, new DateTimeOffset(2020, 6, 2, 9, 0, 0, TimeSpan.Zero)));

        Assert.Equal(CertificateRule.OriginZoneNotApproved, v.Rule);
        Assert.Equal("origin_zone: \"Bria\" was not an approved zone of CF on 2020-06-01", v.Message);
    }

    [Fact]
    public void Validate_RestrictedIssuerZoneApprovedLaterThanIssue_OriginZoneNotApproved()
    {
        Certificate c = TestCertificates.Issued("CF", KpWorld.CfAuthority, new DateOnly(2017, 6, 1));
        c.OriginZone = "Nola"; // approved from 2018-01-01

        RuleViolation v = Assert.Single(Validate(c, new DateTimeOffset(2017, 6, 2, 9, 0, 0, TimeSpan.Zero)));

        Assert.Equal(CertificateRule.OriginZoneNotApproved, v.Rule);
    }

    [Fact]
    public void Validate_RestrictedIssuerApprovedZone_NoViolation()
    {
        Certificate c = TestCertificates.Issued("CF", KpWorld.CfAuthority, new DateOnly(2020, 6, 1));
        c.OriginZone = "Berberati";
        Assert.Empty(Validate(c, new DateTimeOffset(2020, 6, 2, 9, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Validate_IssuerActiveAgainWithoutZone_NoViolation()
    {
        Certificate c = TestCertificates.Issued("CF", KpWorld.CfAuthority, new DateOnly(2025, 6, 1));
        Assert.Empty(Validate(c, new DateTimeOffset(2025, 6, 2, 9, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("2026-03-10T09:59:00Z", "2026-03-11", true)]  // UTC+14 is still on the 10th
    [InlineData("2026-03-10T10:00:00Z", "2026-03-11", false)] // UTC+14 has reached the 11th
    [InlineData("2026-03-10T12:00:00Z", "2026-03-11", false)]
    [InlineData("2026-03-10T12:00:00Z", "2026-03-12", true)]
    [InlineData("2026-03-10T00:00:00Z", "2026-03-10", false)]
    public void Validate_DateOfIssueNearNow_FutureOnlyBeyondFourteenHoursAhead(string now, string dateOfIssue, bool inFuture)
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.DateOfIssue = dateOfIssue;

        IReadOnlyList<RuleViolation> violations = Validate(c, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(inFuture, violations.Any(v => v.Rule == CertificateRule.DateOfIssueInFuture));
    }

    [Fact]
    public void Validate_ValidityExactlyTheIssuersMaximum_IsAccepted()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.DateOfExpiry = "2026-06-07"; // 90 days
        Assert.Empty(Validate(c));
    }

    [Fact]
    public void Validate_IssuerWithoutMaximum_UsesDefaultOption()
    {
        Certificate c = TestCertificates.Issued("ZA", "ZA-SADPMR", TestCertificates.IssuedOn, validityDays: 120);

        Assert.Empty(Validate(c));
        RuleViolation v = Assert.Single(Validate(c, options: new CertificateRulesOptions { DefaultMaxValidityDays = 60 }));
        Assert.Equal(CertificateRule.ValidityTooLong, v.Rule);
        Assert.Contains("the registry's default maximum is 60 days", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IssuerMaximum_TakesPrecedenceOverDefault()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.DateOfExpiry = "2026-06-07"; // 90 days: BW's maximum, above the default below
        Assert.Empty(Validate(c, options: new CertificateRulesOptions { DefaultMaxValidityDays = 30 }));
    }

    [Fact]
    public void Validate_StatementWrong_MessageSaysWhereItDiffers()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.Statement = CertificateRules.Statement.Replace("rough diamonds in", "diamonds in", StringComparison.Ordinal);

        RuleViolation v = Assert.Single(Validate(c));

        Assert.StartsWith("statement: differs from the KPCS statement at character 4;", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HostileLongValue_MessageIsBounded()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.TransitCountries[0] = new string('x', 100_000);

        RuleViolation v = Assert.Single(Validate(c));

        Assert.True(v.Message.Length < 200, v.Message);
    }

    [Fact]
    public void Validate_ValueWithNewline_MessageEscapesIt()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.TransitCountries[0] = "Z\nA";

        RuleViolation v = Assert.Single(Validate(c));

        Assert.Equal("transit_countries[0]: \"Z\\u000aA\" is not an upper-case alpha-2 code", v.Message);
    }

    [Fact]
    public void Validate_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => CertificateRules.Validate(null!, _world.View, KpWorld.Now, CertificateRulesOptions.Default));
        Assert.Throws<ArgumentNullException>(() => CertificateRules.Validate(TestCertificates.BotswanaToEu(), null!, KpWorld.Now, CertificateRulesOptions.Default));
        Assert.Throws<ArgumentNullException>(() => CertificateRules.Validate(TestCertificates.BotswanaToEu(), _world.View, KpWorld.Now, null!));
    }

    private void EuInCalendarMonths() =>
        _world.View.Add(_world.View.FindParticipant("EU")! with { MaxValidityDays = null, MaxValidityMonths = 2 });

    [Theory]
    [InlineData("2026-12-31", "2027-02-28")]
    [InlineData("2027-12-31", "2028-02-29")]
    [InlineData("2026-01-15", "2026-03-15")]
    public void Validate_EuTwoCalendarMonths_LastDayOfTheSecondMonthAccepted(string issued, string expires)
    {
        EuInCalendarMonths();
        Certificate c = TestCertificates.Issued("EU", "EU-BE", DateOnly.Parse(issued, System.Globalization.CultureInfo.InvariantCulture), destination: "AE");
        c.DateOfExpiry = expires;

        Assert.Empty(Validate(c, now: new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("2026-12-31", "2027-03-01")]
    [InlineData("2027-12-31", "2028-03-01")]
    [InlineData("2026-01-15", "2026-03-16")]
    public void Validate_EuBeyondTwoCalendarMonths_ValidityTooLong(string issued, string expires)
    {
        EuInCalendarMonths();
        Certificate c = TestCertificates.Issued("EU", "EU-BE", DateOnly.Parse(issued, System.Globalization.CultureInfo.InvariantCulture), destination: "AE");
        c.DateOfExpiry = expires;

        RuleViolation v = Assert.Single(Validate(c, now: new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(CertificateRule.ValidityTooLong, v.Rule);
        Assert.Contains("2 calendar months", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AuthorityRemovedAfterTheDateOfIssue_NoViolation()
    {
        ParticipantInfo eu = _world.View.FindParticipant("EU")!;
        _world.View.Add(eu with { Authorities = [new AuthorityInfo("EU-BE", "EU", "FPS Economy", RemovedOn: TestCertificates.IssuedOn.AddDays(1)), eu.Authorities[1]] });
        Certificate c = TestCertificates.Issued("EU", "EU-BE", TestCertificates.IssuedOn, destination: "AE");

        Assert.Empty(Validate(c));
    }

    [Fact]
    public void Validate_AuthorityRemovedOnTheDateOfIssue_IssuingAuthorityUnknown()
    {
        ParticipantInfo eu = _world.View.FindParticipant("EU")!;
        _world.View.Add(eu with { Authorities = [new AuthorityInfo("EU-BE", "EU", "FPS Economy", RemovedOn: TestCertificates.IssuedOn), eu.Authorities[1]] });
        Certificate c = TestCertificates.Issued("EU", "EU-BE", TestCertificates.IssuedOn, destination: "AE");

        RuleViolation v = Assert.Single(Validate(c));
        Assert.Equal(CertificateRule.IssuingAuthorityUnknown, v.Rule);
        Assert.Contains("EU-BE", v.Message, StringComparison.Ordinal);
    }
}
