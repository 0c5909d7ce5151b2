using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Tests.TestData;
using KpRegistry.Domain.Verification;
using CertificateState = KpRegistry.Domain.Registry.CertificateState;

namespace KpRegistry.Domain.Tests.Verification;

/// <summary>The frauds DOMAIN.md says the system must stop, one named test (or more) per case.</summary>
public sealed class FraudCaseTests : IDisposable
{
    private static readonly DateTimeOffset RecordedAt = new(2026, 3, 9, 10, 0, 0, TimeSpan.Zero);
    private readonly KpWorld _world = new();

    public void Dispose() => _world.Dispose();

    private VerificationResult Verify(SignedEnvelope envelope, DateTimeOffset? now = null, VerificationContext? context = null) =>
        CertificateVerifier.Verify(envelope, _world.View, now ?? KpWorld.Now, context ?? VerificationContext.Default);

    private SignedEnvelope Recorded(Certificate c, CertificateState state = CertificateState.Issued, DateTimeOffset? recordedAt = null)
    {
        SignedEnvelope envelope = TestEnvelopes.Sign(c, _world.KeyOf(c.IssuingParticipant));
        _world.Record(envelope, c.IssuingParticipant, c.CertificateNumber, recordedAt ?? RecordedAt, state);
        return envelope;
    }

    private static void AssertRefused(VerificationResult result, params VerificationReason[] expected)
    {
        Assert.False(result.Valid);
        Assert.Equal(expected, result.Reasons);
        Assert.Equal(expected.Length, result.Details.Count);
    }

    private static DateTimeOffset At(string date) => new(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    [Fact]
    public void FraudCase01_NonParticipantIssuer_IsRefused()
    {
        // Kenya is not a participant; the forger signs with a key it holds, registered to Botswana.
        _world.Offline();
        Certificate c = TestCertificates.Issued("KE", "KE-MOM", TestCertificates.IssuedOn);

        VerificationResult result = Verify(TestEnvelopes.Sign(c, _world.KeyOf("BW")));

        AssertRefused(result, VerificationReason.WrongIssuerForKey, VerificationReason.IssuerNotParticipant);
    }

    [Theory]
    [InlineData("CF", "CF-KPPS", "2014-01-10", "SUSPENDED")]
    [InlineData("VE", "VE-CVG", "2010-05-05", "SELF_SUSPENDED")]
    [InlineData("CG", "CG-BEEC", "2005-01-10", "REMOVED")]
    public void FraudCase02_IssuedWhileSuspendedOrRemoved_IsRefused(string issuer, string authority, string issuedOn, string status)
    {
        _world.Offline();
        DateOnly date = DateOnly.Parse(issuedOn, System.Globalization.CultureInfo.InvariantCulture);
        Certificate c = TestCertificates.Issued(issuer, authority, date);

        VerificationResult result = Verify(TestEnvelopes.Sign(c, _world.KeyOf(issuer)), now: At(issuedOn).AddDays(1));

        AssertRefused(result, VerificationReason.IssuerNotAllowedAtIssue, VerificationReason.IssuerNotAllowedNow);
        Assert.StartsWith($"{issuer} was {status} on {issuedOn}", result.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void FraudCase03_ZoneNotApprovedForRestrictedIssuer_IsRefused()
    {
        _world.Offline();
        Certificate c = TestCertificates.Issued("CF", KpWorld.CfAuthority, new DateOnly(2020, 6, 1));
        c.OriginZone = "Bria";

        VerificationResult result = Verify(TestEnvelopes.Sign(c, _world.KeyOf("CF")), now: At("2020-06-02"));

        AssertRefused(result, VerificationReason.ContentInvalid);
        Assert.Equal(CertificateRule.OriginZoneNotApproved, Assert.Single(result.RuleViolations).Rule);
    }

    [Fact]
    public void FraudCase03_NoZoneFromRestrictedIssuer_IsRefused()
    {
        _world.Offline();
        Certificate c = TestCertificates.Issued("CF", KpWorld.CfAuthority, new DateOnly(2020, 6, 1));

        VerificationResult result = Verify(TestEnvelopes.Sign(c, _world.KeyOf("CF")), now: At("2020-06-02"));

        AssertRefused(result, VerificationReason.ContentInvalid);
        Assert.Equal(CertificateRule.OriginZoneRequired, Assert.Single(result.RuleViolations).Rule);
    }

    [Fact]
    public void FraudCase04_Unsigned_IsRefused()
    {
        SignedEnvelope envelope = TestEnvelopes.Sign(TestCertificates.BotswanaToEu());

        AssertRefused(Verify(envelope), VerificationReason.Malformed);
    }

    [Fact]
    public void FraudCase04_SignedWithUnregisteredKey_IsRefused()
    {
        using TestKey forgersKey = _world.NewKey("BW");

        AssertRefused(Verify(TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), forgersKey)), VerificationReason.UnknownKey);
    }

    [Fact]
    public void FraudCase04_SignedWithKeyOfAnotherIssuer_IsRefused()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        SignedEnvelope envelope = TestEnvelopes.Sign(c, _world.KeyOf("AE"));
        _world.Record(envelope, "BW", c.CertificateNumber, RecordedAt);

        AssertRefused(Verify(envelope), VerificationReason.WrongIssuerForKey);
    }

    [Fact]
    public void FraudCase05_NumberFromAnotherIssuersRange_IsRefused()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.CertificateNumber = "ZA-2026-000123";

        VerificationResult result = Verify(Recorded(c));

        AssertRefused(result, VerificationReason.ContentInvalid);
        Assert.Equal(CertificateRule.NumberNotPrefixedByIssuer, Assert.Single(result.RuleViolations).Rule);
    }

    [Fact]
    public void FraudCase05_ReusedNumber_IsRefused()
    {
        Recorded(TestCertificates.BotswanaToEu());
        Certificate second = TestCertificates.BotswanaToEu();
        second.Lines[1].CaratsHundredths = 100_00;
        second.WithTotalsFromLines();

        AssertRefused(Verify(TestEnvelopes.Sign(second, _world.KeyOf("BW"))), VerificationReason.RecordMismatch);
    }

    [Fact]
    public void FraudCase06_ConfirmedTwice_IsRefused()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), CertificateState.Received);
        var context = new VerificationContext { Purpose = VerificationPurpose.ImportConfirmation, PresentedAtParticipant = "EU" };

        AssertRefused(Verify(envelope, context: context), VerificationReason.AlreadyConfirmed);
    }

    [Fact]
    public void FraudCase06_PresentedAtSecondDestination_IsRefused()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), CertificateState.Received);
        var context = new VerificationContext { Purpose = VerificationPurpose.ImportConfirmation, PresentedAtParticipant = "AE" };

        AssertRefused(Verify(envelope, context: context), VerificationReason.WrongDestination, VerificationReason.AlreadyConfirmed);
    }

    [Fact]
    public void FraudCase07_CaratsChangedAfterSigning_IsRefused()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        SignedEnvelope envelope = Recorded(c);
        c.Lines[0].CaratsHundredths -= 100_000;
        c.WithTotalsFromLines();
        envelope.Payload = c.ToByteString(); // the altered content, the original signature

        VerificationResult result = Verify(envelope);

        AssertRefused(result, VerificationReason.BadSignature);
        Assert.Null(result.Certificate);
    }

    [Fact]
    public void FraudCase07_LineSumsNotMatchingTotals_IsRefused()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.Lines[1].ValueUsdCents /= 10; // under-declared line, totals left as they were

        VerificationResult result = Verify(Recorded(c));

        AssertRefused(result, VerificationReason.ContentInvalid);
        Assert.Equal(CertificateRule.TotalValueMismatch, Assert.Single(result.RuleViolations).Rule);
    }

    [Fact]
    public void FraudCase08_DetainedOnArrival_IsNotSilentlyAccepted()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), CertificateState.Detained);

        AssertRefused(Verify(envelope, context: new VerificationContext { PresentedAtParticipant = "EU" }), VerificationReason.CertificateDetained);
    }

    [Fact]
    public void FraudCase09_PresentedAfterExpiry_IsRefused()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());

        AssertRefused(Verify(envelope, now: At("2026-05-09")), VerificationReason.CertificateExpired);
    }

    [Fact]
    public void FraudCase10_CancelledPresented_IsRefused()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), CertificateState.Cancelled);

        AssertRefused(Verify(envelope), VerificationReason.CertificateCancelled);
    }

    [Fact]
    public void FraudCase10_ReplacedPresented_IsRefused()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), CertificateState.Replaced);

        AssertRefused(Verify(envelope), VerificationReason.CertificateReplaced);
    }

    [Fact]
    public void FraudCase11_HsCodeOutOfScope_IsRefused()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.Lines[0].HsCode = "7102.39";

        VerificationResult result = Verify(Recorded(c));

        AssertRefused(result, VerificationReason.ContentInvalid);
        Assert.Equal(CertificateRule.HsCodeOutOfScope, Assert.Single(result.RuleViolations).Rule);
    }

    [Fact]
    public void FraudCase11_PresentedAtAnotherDestination_IsRefused()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());

        AssertRefused(Verify(envelope, context: new VerificationContext { PresentedAtParticipant = "AE" }), VerificationReason.WrongDestination);
    }

    [Fact]
    public void FraudCase12_KeyLaterFoundCompromised_SignaturesFromCompromiseRefused()
    {
        TestKey bw = _world.KeyOf("BW");
        Certificate before = TestCertificates.Issued("BW", KpWorld.BwAuthority, new DateOnly(2026, 2, 20), number: "BW-2026-000090");
        Certificate after = TestCertificates.Issued("BW", KpWorld.BwAuthority, new DateOnly(2026, 2, 27), number: "BW-2026-000099");
        SignedEnvelope beforeEnvelope = Recorded(before, recordedAt: At("2026-02-20"));
        SignedEnvelope afterEnvelope = Recorded(after, recordedAt: At("2026-02-27"));
        _world.Register(bw.Registration("BW", state: KeyState.Revoked, compromisedSince: At("2026-02-25"), revocationReason: "officials issued fraudulent certificates"));

        Assert.True(Verify(beforeEnvelope).Valid);
        AssertRefused(Verify(afterEnvelope), VerificationReason.KeyRevoked);
    }

    [Fact]
    public void FraudCase_SeveralFraudsInOneCertificate_AllReportedTogether()
    {
        // A non-participant's certificate, out-of-scope goods, signed with a revoked key, presented
        // at the wrong place after its expiry.
        _world.Offline();
        TestKey za = _world.KeyOf("ZA");
        _world.Register(za.Registration("ZA", state: KeyState.Revoked, compromisedSince: At("2026-01-01")));
        Certificate c = TestCertificates.Issued("KE", "KE-MOM", TestCertificates.IssuedOn, validityDays: 30);
        c.Lines[1].HsCode = "7102.39";

        VerificationResult result = Verify(TestEnvelopes.Sign(c, za), now: At("2026-05-01"), context: new VerificationContext { PresentedAtParticipant = "AE" });

        AssertRefused(result,
            VerificationReason.WrongIssuerForKey,
            VerificationReason.KeyRevoked,
            VerificationReason.IssuerNotParticipant,
            VerificationReason.WrongDestination,
            VerificationReason.ContentInvalid,
            VerificationReason.CertificateExpired);
    }

    [Fact]
    public void Verify_DatedEmbargoInForceOnTheDateOfIssueOnly_IssuerEmbargoedNamingIt()
    {
        _world.Offline();
        ParticipantInfo za = _world.View.FindParticipant("ZA")!;
        _world.View.Add(za with { Embargoes = [new Embargo(7, "ZA", TestCertificates.IssuedOn.AddDays(-5), TestCertificates.IssuedOn.AddDays(1), [], [], "UN measure")] });
        Certificate c = TestCertificates.Issued("ZA", "ZA-SADPMR", TestCertificates.IssuedOn);

        VerificationResult later = Verify(TestEnvelopes.Sign(c, _world.KeyOf("ZA")), KpWorld.Now.AddDays(10));

        Assert.Equal([VerificationReason.IssuerEmbargoed], later.Reasons);
        Assert.Contains("embargo 7", later.Details[0], StringComparison.Ordinal);
        Assert.Contains("UN measure", later.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_DatedEmbargoForAnotherOriginOrDestination_Valid()
    {
        _world.Offline();
        ParticipantInfo za = _world.View.FindParticipant("ZA")!;
        _world.View.Add(za with
        {
            Embargoes =
            [
                new Embargo(1, "ZA", new DateOnly(2020, 1, 1), null, ["AE"], [], "towards AE"),
                new Embargo(2, "ZA", new DateOnly(2020, 1, 1), null, [], ["CD"], "Congolese origin"),
            ],
        });
        Certificate c = TestCertificates.Issued("ZA", "ZA-SADPMR", TestCertificates.IssuedOn);

        Assert.True(Verify(TestEnvelopes.Sign(c, _world.KeyOf("ZA"))).Valid);
        c.Origin.Countries[0] = "CD";
        Assert.Equal([VerificationReason.IssuerEmbargoed], Verify(TestEnvelopes.Sign(c, _world.KeyOf("ZA"))).Reasons);
    }
}
