using System.Security.Cryptography;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Tests.TestData;
using CertificateState = KpRegistry.Domain.Registry.CertificateState;

namespace KpRegistry.Domain.Tests.Certificates;

public sealed class ImportConfirmationsTests
{
    private static readonly byte[] PayloadSha256 = SHA256.HashData(TestCertificates.BotswanaToEu().ToByteArray());
    private static readonly DateTimeOffset ArrivedAt = new(2026, 3, 16, 10, 0, 0, TimeSpan.Zero);

    private static ImportConfirmation Matching(Certificate c) => new()
    {
        FormatVersion = 1,
        IssuingParticipant = c.IssuingParticipant,
        CertificateNumber = c.CertificateNumber,
        CertificatePayloadSha256 = ByteString.CopyFrom(PayloadSha256),
        ImportingParticipant = c.DestinationParticipant,
        ImportingAuthority = "EU-BE",
        DateReceived = "2026-03-16",
        ParcelsReceived = c.NumberOfParcels,
        CaratsReceivedHundredths = c.TotalCaratsHundredths,
        SealsIntact = true,
    };

    private static CertificateRecordInfo Record(CertificateState state, string? replacedBy = null) =>
        new("BW", TestCertificates.Number, new string('a', 64), PayloadSha256, ArrivedAt.AddDays(-7), state, "", replacedBy);

    [Fact]
    public void Compare_EverythingAsCertified_ReceivedWithoutDifferences()
    {
        Certificate c = TestCertificates.BotswanaToEu();

        ImportOutcome outcome = ImportConfirmations.Compare(c, Matching(c));

        Assert.Equal(CertificateState.Received, outcome.State);
        Assert.Empty(outcome.Differences);
        Assert.Equal("", outcome.Summary);
    }

    [Theory]
    [InlineData(1_591_025UL - 1_591UL, true)]  // exactly the tolerance (0.1%, rounded down) below
    [InlineData(1_591_025UL + 1_591UL, true)]  // and above
    [InlineData(1_591_025UL - 1_592UL, false)] // one hundredth beyond it
    [InlineData(1_591_025UL + 1_592UL, false)]
    [InlineData(0UL, false)]
    public void Compare_WeighedCarats_WithinToleranceReceivedBeyondDetained(ulong weighed, bool received)
    {
        Certificate c = TestCertificates.BotswanaToEu();
        ImportConfirmation confirmation = Matching(c);
        confirmation.CaratsReceivedHundredths = weighed;

        ImportOutcome outcome = ImportConfirmations.Compare(c, confirmation);

        Assert.Equal(received ? CertificateState.Received : CertificateState.Detained, outcome.State);
        Assert.Equal(received ? 0 : 1, outcome.Differences.Count);
        if (!received)
        {
            Assert.Equal("carats_received_hundredths", outcome.Differences[0].Field);
            Assert.StartsWith("carats: 15910.25 ct certified", outcome.Differences[0].Message);
        }
    }

    [Theory]
    [InlineData(0UL, 1UL)]
    [InlineData(999UL, 1UL)]
    [InlineData(1_000UL, 1UL)]
    [InlineData(1_591_025UL, 1_591UL)]
    public void CaratTolerance_Total_LargerOfOneHundredthAndOnePerMille(ulong total, ulong tolerance) =>
        Assert.Equal(tolerance, ImportConfirmations.CaratTolerance(total));

    [Fact]
    public void Compare_ParcelsMissingAndSealsBroken_DetainedNamingEachDifference()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        ImportConfirmation confirmation = Matching(c);
        confirmation.ParcelsReceived = 2;
        confirmation.SealsIntact = false;
        confirmation.BrokenSealIds.Add("BWS-558813");
        confirmation.BrokenSealIds.Add("XX-1");

        ImportOutcome outcome = ImportConfirmations.Compare(c, confirmation);

        Assert.Equal(CertificateState.Detained, outcome.State);
        Assert.Equal(
            ["parcels: 3 certified, 2 received", "seal BWS-558813: found broken", "seal XX-1: found broken, and the certificate lists no such seal"],
            outcome.Differences.Select(d => d.Message));
    }

    [Fact]
    public void Compare_SealsBrokenWithoutIds_DetainedNamingTheSeals()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        ImportConfirmation confirmation = Matching(c);
        confirmation.SealsIntact = false;

        ImportOutcome outcome = ImportConfirmations.Compare(c, confirmation);

        Assert.Equal(CertificateState.Detained, outcome.State);
        Assert.Equal("seals_intact", Assert.Single(outcome.Differences).Field);
    }

    [Fact]
    public void Validate_WellFormed_NoFinding() =>
        Assert.Empty(ImportConfirmations.Validate(Matching(TestCertificates.BotswanaToEu()), TestCertificates.BotswanaToEu(), PayloadSha256, ArrivedAt));

    [Fact]
    public void Validate_EveryFieldWrong_EachNamed()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        var confirmation = new ImportConfirmation
        {
            FormatVersion = 2,
            IssuingParticipant = "ZA",
            CertificateNumber = "BW-2026-999999",
            CertificatePayloadSha256 = ByteString.CopyFrom(new byte[32]),
            ImportingParticipant = "AE",
            ImportingAuthority = "",
            DateReceived = "2026-03-01",
            SealsIntact = true,
            BrokenSealIds = { "BWS-558812", "BWS-558812" },
            Remarks = new string('r', 1001),
        };

        IReadOnlyList<ConfirmationFinding> found = ImportConfirmations.Validate(confirmation, c, PayloadSha256, ArrivedAt);

        Assert.Equal(
            ["format_version", "issuing_participant", "certificate_number", "certificate_payload_sha256", "importing_participant",
             "importing_authority", "date_received", "broken_seal_ids", "broken_seal_ids[1]", "remarks"],
            found.Select(f => f.Field));
    }

    [Fact]
    public void Validate_ReceivedInTheFuture_Named()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        ImportConfirmation confirmation = Matching(c);
        confirmation.DateReceived = "2026-03-18";

        ConfirmationFinding finding = Assert.Single(ImportConfirmations.Validate(confirmation, c, PayloadSha256, ArrivedAt));

        Assert.Equal("date_received: 2026-03-18 is in the future", finding.Message);
    }

    [Fact]
    public void WhyNotConfirmable_IssuedBeforeExpiry_Null() =>
        Assert.Null(ImportConfirmations.WhyNotConfirmable(Record(CertificateState.Issued), TestCertificates.ExpiresOn, ArrivedAt));

    [Fact]
    public void WhyNotConfirmable_OnTheDateOfExpiry_Null() =>
        Assert.Null(ImportConfirmations.WhyNotConfirmable(Record(CertificateState.Issued), TestCertificates.ExpiresOn,
            new DateTimeOffset(TestCertificates.ExpiresOn.ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero)));

    [Fact]
    public void WhyNotConfirmable_DayAfterExpiry_Expired()
    {
        string? why = ImportConfirmations.WhyNotConfirmable(Record(CertificateState.Issued), TestCertificates.ExpiresOn,
            new DateTimeOffset(TestCertificates.ExpiresOn.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

        Assert.NotNull(why);
        Assert.Contains("expired on 2026-05-08", why);
    }

    [Theory]
    [InlineData(CertificateState.Received, "at most once")]
    [InlineData(CertificateState.Detained, "DETAINED")]
    [InlineData(CertificateState.Cancelled, "CANCELLED")]
    [InlineData(CertificateState.Refused, "REFUSED")]
    public void WhyNotConfirmable_NotIssued_Refused(CertificateState state, string expected) =>
        Assert.Contains(expected, ImportConfirmations.WhyNotConfirmable(Record(state), TestCertificates.ExpiresOn, ArrivedAt));

    [Fact]
    public void WhyNotConfirmable_Replaced_NamesTheReplacement() =>
        Assert.Contains("REPLACED by BW-2026-000200", ImportConfirmations.WhyNotConfirmable(Record(CertificateState.Replaced, "BW-2026-000200"), TestCertificates.ExpiresOn, ArrivedAt));
}
