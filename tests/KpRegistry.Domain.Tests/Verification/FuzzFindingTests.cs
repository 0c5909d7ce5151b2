using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Tests.TestData;
using KpRegistry.Domain.Verification;

namespace KpRegistry.Domain.Tests.Verification;

/// <summary>
/// Signed certificates the property tests of issue 13 (tests/KpRegistry.FuzzTests) found making the
/// decision THROW instead of refusing; each test is named after its finding. The decision promises
/// never to throw for any envelope content, and a throw reaches a caller as INTERNAL.
/// </summary>
public sealed class FuzzFindingTests : IDisposable
{
    private readonly KpWorld _world = new();

    public void Dispose() => _world.Dispose();

    /// <summary>Finding 2: the key's validity window was computed as the day of issue plus a day, past 9999-12-31.</summary>
    [Theory]
    [InlineData("9999-12-31", "9999-12-31")]
    [InlineData("9999-12-30", "9999-12-31")]
    [InlineData("0001-01-01", "0001-02-01")]
    public void Verify_SignedDateOfIssueAtTheEndOfTheCalendar_RefusedNotThrown(string dateOfIssue, string dateOfExpiry)
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.DateOfIssue = dateOfIssue;
        c.DateOfExpiry = dateOfExpiry;
        SignedEnvelope envelope = TestEnvelopes.Sign(c, _world.KeyOf("BW"));

        VerificationResult online = CertificateVerifier.Verify(envelope, _world.View, KpWorld.Now, VerificationContext.Default);
        VerificationResult offline = CertificateVerifier.Verify(envelope, _world.Offline().View, KpWorld.Now, VerificationContext.Default);

        Assert.False(online.Valid);
        Assert.False(offline.Valid);
        Assert.NotEmpty(online.Reasons);
        Assert.NotEmpty(offline.Reasons);
    }

    /// <summary>Finding 2, offline with a RETIRED key: the day of issue minus the calendar lead, before 0001-01-01.</summary>
    [Fact]
    public void Verify_OfflineRetiredKeyDateOfIssue0001_RefusedNotThrown()
    {
        TestKey key = _world.NewKey("BW");
        _world.Register(key.Registration("BW", state: KpRegistry.Domain.Keys.KeyState.Retired, retiredAt: KpWorld.Now.AddDays(-1))).Offline();
        Certificate c = TestCertificates.BotswanaToEu();
        c.DateOfIssue = "0001-01-01";
        c.DateOfExpiry = "0001-02-01";

        VerificationResult result = CertificateVerifier.Verify(TestEnvelopes.Sign(c, key), _world.View, KpWorld.Now, VerificationContext.Default);

        Assert.False(result.Valid);
        Assert.NotEmpty(result.Reasons);
    }

    /// <summary>Finding 3: a participant whose validity is counted in calendar months, and a date of issue in 9999's last two months.</summary>
    [Fact]
    public void Validate_MonthsValidityIssuerDateOfIssueInDecember9999_JudgedNotThrown()
    {
        var view = new InMemoryRegistryView();
        view.Add(new ParticipantInfo("EU", "European Union", [new StatusPeriod(ParticipantStatus.Active, new DateOnly(2003, 1, 1), null)],
            [new AuthorityInfo("EU-BE", "EU", "FPS Economy, Antwerp")], [], MaxValidityMonths: 2));
        Certificate c = TestCertificates.Issued("EU", "EU-BE", new DateOnly(9999, 12, 30), validityDays: 1, destination: "EU");

        IReadOnlyList<RuleViolation> violations = CertificateRules.Validate(c, view, KpWorld.Now, CertificateRulesOptions.Default);

        Assert.Contains(violations, v => v.Rule == CertificateRule.DateOfIssueInFuture);
        Assert.DoesNotContain(violations, v => v.Rule == CertificateRule.ValidityTooLong);
    }
}
