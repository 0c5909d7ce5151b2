using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Tests.TestData;
using KpRegistry.Domain.Verification;
using CertificateState = KpRegistry.Domain.Registry.CertificateState;

namespace KpRegistry.Domain.Tests.Verification;

public sealed class CertificateVerifierTests : IDisposable
{
    private static readonly DateTimeOffset RecordedAt = new(2026, 3, 9, 10, 0, 0, TimeSpan.Zero);
    private readonly KpWorld _world = new();

    public void Dispose() => _world.Dispose();

    private VerificationResult Verify(SignedEnvelope envelope, DateTimeOffset? now = null, VerificationContext? context = null) =>
        CertificateVerifier.Verify(envelope, _world.View, now ?? KpWorld.Now, context ?? VerificationContext.Default);

    /// <summary>Signs with BW's key and has the registry record it, as the issue flow does.</summary>
    private SignedEnvelope Recorded(Certificate c, TestKey? key = null, DateTimeOffset? recordedAt = null,
        CertificateState state = CertificateState.Issued, string stateReason = "", string? replacedBy = null)
    {
        SignedEnvelope envelope = TestEnvelopes.Sign(c, key ?? _world.KeyOf(c.IssuingParticipant));
        _world.Record(envelope, c.IssuingParticipant, c.CertificateNumber, recordedAt ?? RecordedAt, state, stateReason, replacedBy);
        return envelope;
    }

    private static void AssertReasons(VerificationResult result, params VerificationReason[] expected)
    {
        Assert.Equal(expected, result.Reasons);
        Assert.Equal(result.Reasons.Count, result.Details.Count);
        Assert.False(result.Valid);
    }

    // ---- valid ------------------------------------------------------------------------------

    [Fact]
    public void Verify_RecordedValidCertificate_ValidWithNoReasons()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());

        VerificationResult result = Verify(envelope);

        Assert.True(result.Valid, result.ToString());
        Assert.Empty(result.Reasons);
        Assert.Empty(result.Details);
        Assert.Empty(result.RuleViolations);
    }

    [Fact]
    public void Verify_ValidCertificate_ReportsTheFacts()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        SignedEnvelope envelope = Recorded(c);

        VerificationResult result = Verify(envelope);

        Assert.Equal("BW", result.IssuingParticipant);
        Assert.Equal(KpWorld.BwAuthority, result.IssuingAuthority);
        Assert.Equal(TestCertificates.Number, result.CertificateNumber);
        Assert.Equal("EU", result.DestinationParticipant);
        Assert.Equal(_world.KeyOf("BW").KeyId, result.KeyId);
        Assert.Equal(KeyState.Active, result.KeyState);
        Assert.Equal("BW", result.KeyParticipant);
        Assert.Equal(RecordedAt, result.RecordedAt);
        Assert.Equal(CertificateState.Issued, result.CertificateState);
        Assert.Equal(TestCertificates.IssuedOn, result.DateOfIssue);
        Assert.Equal(TestCertificates.ExpiresOn, result.DateOfExpiry);
        Assert.Equal(c, result.Certificate);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(envelope.Payload.Span), result.PayloadSha256);
        Assert.Equal(KpWorld.Now, result.CheckedAt);
    }

    [Fact]
    public void Verify_ValidCertificate_VerifiedHoldsTheFactsToRecord()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        SignedEnvelope envelope = Recorded(c);

        VerifiedCertificate verified = Verify(envelope).Verified ?? throw new Xunit.Sdk.XunitException("a valid result carries its verified certificate");

        Assert.Equal(c, verified.Certificate);
        Assert.Equal(_world.KeyOf("BW").KeyId, verified.KeyId);
        Assert.Equal(KeyState.Active, verified.KeyState);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(envelope.Payload.Span), verified.PayloadSha256);
        Assert.Equal(TestCertificates.IssuedOn, verified.DateOfIssue);
        Assert.Equal(TestCertificates.ExpiresOn, verified.DateOfExpiry);
    }

    [Fact]
    public void Verify_CancelledCertificate_NoVerifiedCertificate()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), state: CertificateState.Cancelled);

        VerificationResult result = Verify(envelope);

        Assert.False(result.Valid);
        Assert.Null(result.Verified);
        Assert.NotNull(result.Certificate);
    }

    [Fact]
    public void Verify_OfflineViewValidCertificate_ValidWithoutRecord()
    {
        _world.Offline();
        SignedEnvelope envelope = TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), _world.KeyOf("BW"));

        VerificationResult result = Verify(envelope);

        Assert.True(result.Valid, result.ToString());
        Assert.Null(result.RecordedAt);
        Assert.Null(result.CertificateState);
    }

    [Fact]
    public void Verify_PurposeIssueWithoutRecord_Valid()
    {
        SignedEnvelope envelope = TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), _world.KeyOf("BW"));

        VerificationResult result = Verify(envelope, context: new VerificationContext { Purpose = VerificationPurpose.Issue });

        Assert.True(result.Valid, result.ToString());
    }

    [Fact]
    public void Verify_LargeCertificate_ValidThroughPooledBuffer()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        for (int i = 0; i < 98; i++)
        {
            c.Lines.Add(new Line { HsCode = "7102.21", CaratsHundredths = 1_000 + (ulong)i, ValueUsdCents = 250_000 });
        }
        for (int i = 0; i < 300; i++)
        {
            c.SealIds.Add($"BWS-{600_000 + i}");
        }
        c.WithTotalsFromLines();
        SignedEnvelope envelope = Recorded(c);
        Assert.True(envelope.Payload.Length > 4096);

        VerificationResult result = Verify(envelope);

        Assert.True(result.Valid, result.ToString());
    }

    [Fact]
    public void Verify_SecondSignatureByIssuerKey_ValidWhateverTheFirst()
    {
        using var stranger = TestKey.Create();
        Certificate c = TestCertificates.BotswanaToEu();
        SignedEnvelope envelope = TestEnvelopes.Sign(c, stranger, _world.KeyOf("ZA"), _world.KeyOf("BW"));
        _world.Record(envelope, "BW", c.CertificateNumber, RecordedAt);

        VerificationResult result = Verify(envelope);

        Assert.True(result.Valid, result.ToString());
        Assert.Equal(_world.KeyOf("BW").KeyId, result.KeyId);
    }

    // ---- never valid by default -------------------------------------------------------------

    [Fact]
    public void Verify_EmptyEnvelope_MalformedAndUnsupportedType()
    {
        VerificationResult result = Verify(new SignedEnvelope());

        AssertReasons(result, VerificationReason.Malformed, VerificationReason.UnsupportedPayloadType);
        Assert.Null(result.Certificate);
        Assert.Null(result.KeyId);
        Assert.Contains("no signature", result.Details[0], StringComparison.Ordinal);
        Assert.Contains("payload is empty", result.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NoSignatures_Malformed()
    {
        SignedEnvelope envelope = TestEnvelopes.Sign(TestCertificates.BotswanaToEu());

        VerificationResult result = Verify(envelope);

        AssertReasons(result, VerificationReason.Malformed);
        Assert.Null(result.Certificate);
    }

    [Fact]
    public void Verify_EmptyPayloadSigned_Malformed()
    {
        SignedEnvelope envelope = TestEnvelopes.SignBytes([], PayloadTypes.Certificate, _world.KeyOf("BW"));

        AssertReasons(Verify(envelope), VerificationReason.Malformed);
    }

    [Fact]
    public void Verify_TooManySignatures_Malformed()
    {
        TestKey bw = _world.KeyOf("BW");
        SignedEnvelope envelope = TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), bw, bw, bw, bw, bw, bw, bw, bw, bw);

        AssertReasons(Verify(envelope), VerificationReason.Malformed);
    }

    [Fact]
    public void Verify_OtherPayloadType_UnsupportedPayloadType()
    {
        SignedEnvelope envelope = TestEnvelopes.SignBytes(TestCertificates.BotswanaToEu().ToByteArray(), PayloadTypes.TrustList, _world.KeyOf("BW"));

        AssertReasons(Verify(envelope), VerificationReason.UnsupportedPayloadType);
    }

    [Fact]
    public void Verify_SignedBytesNotACertificate_Malformed()
    {
        SignedEnvelope envelope = TestEnvelopes.SignBytes([0xFF, 0xFF, 0xFF, 0xFF], PayloadTypes.Certificate, _world.KeyOf("BW"));

        VerificationResult result = Verify(envelope);

        AssertReasons(result, VerificationReason.Malformed);
        Assert.Equal(_world.KeyOf("BW").KeyId, result.KeyId);
        Assert.Null(result.Certificate);
    }

    // ---- signature ---------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(100)]
    public void Verify_FlippedBitInPayload_BadSignature(int byteIndex)
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());

        VerificationResult result = Verify(envelope.WithPayloadBitFlipped(byteIndex));

        AssertReasons(result, VerificationReason.BadSignature);
        Assert.Equal(_world.KeyOf("BW").KeyId, result.KeyId);
        Assert.Null(result.Certificate);
        Assert.Null(result.IssuingParticipant);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(20)]
    [InlineData(40)]
    public void Verify_FlippedBitInSignature_BadSignature(int byteIndex)
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());

        AssertReasons(Verify(envelope.WithSignatureBitFlipped(byteIndex)), VerificationReason.BadSignature);
    }

    [Fact]
    public void Verify_PayloadTypeChangedAfterSigning_BadSignature()
    {
        // Signed as another type, relabelled as a certificate: the type is covered by PAE.
        byte[] payload = TestCertificates.BotswanaToEu().ToByteArray();
        SignedEnvelope envelope = TestEnvelopes.SignBytes(payload, "application/vnd.kp.certificate.v1+json", _world.KeyOf("BW"));
        envelope.PayloadType = PayloadTypes.Certificate;

        AssertReasons(Verify(envelope), VerificationReason.BadSignature);
    }

    [Fact]
    public void Verify_FlippedBitInPayloadType_RefusedBeforeSignature()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());
        envelope.PayloadType = "application/vnd.kp.certificate.v1+protobug";

        AssertReasons(Verify(envelope), VerificationReason.UnsupportedPayloadType);
    }

    [Fact]
    public void Verify_BadSignatureOverGarbage_PayloadNotParsed()
    {
        SignedEnvelope envelope = TestEnvelopes.SignBytes([0xFF, 0xFF, 0xFF], PayloadTypes.Certificate, _world.KeyOf("BW"));
        envelope.Payload = ByteString.CopyFrom(0xFE, 0xFF, 0xFF);

        // Not Malformed: unauthenticated bytes are never read.
        AssertReasons(Verify(envelope), VerificationReason.BadSignature);
    }

    [Fact]
    public void Verify_UnregisteredKey_UnknownKey()
    {
        using TestKey stranger = _world.NewKey("BW");
        SignedEnvelope envelope = TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), stranger);

        VerificationResult result = Verify(envelope);

        AssertReasons(result, VerificationReason.UnknownKey);
        Assert.Equal(stranger.KeyId, result.KeyId);
        Assert.Null(result.KeyState);
    }

    [Fact]
    public void Verify_KeyIdNotWellFormed_UnknownKey()
    {
        SignedEnvelope envelope = TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), _world.KeyOf("BW"));
        envelope.Signatures[0].KeyId = envelope.Signatures[0].KeyId.ToUpperInvariant();

        AssertReasons(Verify(envelope), VerificationReason.UnknownKey);
    }

    [Fact]
    public void Verify_SignatureByOtherRegisteredKeyUnderIssuerKeyId_BadSignature()
    {
        // The envelope names BW's key but ZA's key signed: the registered key's verifier decides.
        Certificate c = TestCertificates.BotswanaToEu();
        SignedEnvelope envelope = TestEnvelopes.Sign(c, _world.KeyOf("ZA"));
        envelope.Signatures[0].KeyId = _world.KeyOf("BW").KeyId;

        AssertReasons(Verify(envelope), VerificationReason.BadSignature);
    }

    [Fact]
    public void Verify_VerifierOfAnotherAlgorithmThanRegistered_BadSignature()
    {
        using TestKey confused = TestKey.CreateClaiming(KeyAlgorithm.Ed25519);
        _world.Register(confused.Registration("BW"));
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), confused);

        AssertReasons(Verify(envelope), VerificationReason.BadSignature);
    }

    [Fact]
    public void Verify_AnotherParticipantsKey_WrongIssuerForKey()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), _world.KeyOf("ZA"));

        VerificationResult result = Verify(envelope);

        AssertReasons(result, VerificationReason.WrongIssuerForKey);
        Assert.Equal("ZA", result.KeyParticipant);
        Assert.Contains("registered for ZA", result.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyOfAnotherAuthority_WrongIssuerForKey()
    {
        using TestKey diamondHub = _world.NewKey("BW");
        _world.Register(diamondHub.Registration("BW", authority: "BW-DMS"));
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), diamondHub);

        VerificationResult result = Verify(envelope);

        AssertReasons(result, VerificationReason.WrongIssuerForKey);
        Assert.Contains("authority BW-DMS", result.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyOfTheIssuingAuthority_Valid()
    {
        using TestKey ministry = _world.NewKey("BW");
        _world.Register(ministry.Registration("BW", authority: KpWorld.BwAuthority));

        Assert.True(Verify(Recorded(TestCertificates.BotswanaToEu(), ministry)).Valid);
    }

    // ---- key validity and state --------------------------------------------------------------

    [Fact]
    public void Verify_KeyExpiredBeforeDateOfIssue_KeyNotValidAtIssue()
    {
        _world.Offline();
        using TestKey old = _world.NewKey("BW");
        _world.Register(old.Registration("BW", notBefore: At(2025, 1, 1), notAfter: At(2026, 3, 1)));

        VerificationResult result = Verify(TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), old));

        AssertReasons(result, VerificationReason.KeyNotValidAtIssue);
        Assert.Contains("the certificate is dated 2026-03-09", result.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyNotYetValidAtIssue_KeyNotValidAtIssue()
    {
        using TestKey future = _world.NewKey("BW");
        _world.Register(future.Registration("BW", notBefore: At(2026, 3, 11)));
        SignedEnvelope envelope = TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), future);

        AssertReasons(Verify(envelope, context: new VerificationContext { Purpose = VerificationPurpose.Issue }), VerificationReason.KeyNotValidAtIssue);
    }

    [Fact]
    public void Verify_KeyValidFromEveningOfDateOfIssue_Valid()
    {
        // 2026-03-09 is still the date of issue in UTC-12 until 2026-03-10T12:00Z.
        using TestKey fresh = _world.NewKey("BW");
        _world.Register(fresh.Registration("BW", notBefore: new DateTimeOffset(2026, 3, 9, 20, 0, 0, TimeSpan.Zero)));
        SignedEnvelope envelope = TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), fresh);

        Assert.True(Verify(envelope, context: new VerificationContext { Purpose = VerificationPurpose.Issue }).Valid);
    }

    [Fact]
    public void Verify_RecordedAfterKeyNotAfter_KeyNotValidAtIssue()
    {
        using TestKey ending = _world.NewKey("BW");
        _world.Register(ending.Registration("BW", notBefore: At(2025, 1, 1), notAfter: new DateTimeOffset(2026, 3, 9, 8, 0, 0, TimeSpan.Zero)));
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), ending, recordedAt: RecordedAt);

        VerificationResult result = Verify(envelope);

        AssertReasons(result, VerificationReason.KeyNotValidAtIssue);
        Assert.Contains("the registry recorded this certificate at 2026-03-09T10:00Z", result.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyRevokedBetweenTwoRecordedCertificates_EarlierValidLaterKeyRevoked()
    {
        TestKey bw = _world.KeyOf("BW");
        Certificate earlier = TestCertificates.Issued("BW", KpWorld.BwAuthority, new DateOnly(2026, 3, 2), number: "BW-2026-000100");
        Certificate later = TestCertificates.Issued("BW", KpWorld.BwAuthority, new DateOnly(2026, 3, 4), number: "BW-2026-000101");
        SignedEnvelope earlierEnvelope = Recorded(earlier, bw, new DateTimeOffset(2026, 3, 2, 15, 0, 0, TimeSpan.Zero));
        SignedEnvelope laterEnvelope = Recorded(later, bw, new DateTimeOffset(2026, 3, 4, 9, 12, 0, TimeSpan.Zero));
        _world.Register(bw.Registration("BW", state: KeyState.Revoked, compromisedSince: At(2026, 3, 3), revocationReason: "signing officer's credentials stolen"));

        VerificationResult first = Verify(earlierEnvelope);
        VerificationResult second = Verify(laterEnvelope);

        Assert.True(first.Valid, first.ToString());
        Assert.Equal(KeyState.Revoked, first.KeyState);
        AssertReasons(second, VerificationReason.KeyRevoked);
        Assert.Equal(
            $"key {bw.KeyId} was revoked with compromise from 2026-03-03T00:00Z (signing officer's credentials stolen); the registry recorded this certificate at 2026-03-04T09:12Z",
            second.Details[0]);
    }

    [Fact]
    public void Verify_KeyRevokedRecordedExactlyAtCompromise_KeyRevoked()
    {
        TestKey bw = _world.KeyOf("BW");
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), bw, RecordedAt);
        _world.Register(bw.Registration("BW", state: KeyState.Revoked, compromisedSince: RecordedAt));

        AssertReasons(Verify(envelope), VerificationReason.KeyRevoked);
    }

    [Fact]
    public void Verify_KeyRevokedOffline_KeyRevokedWhateverTheDateOfIssue()
    {
        // Offline there is no recorded-at; a date inside the certificate is never trusted for compromise.
        _world.Offline();
        TestKey bw = _world.KeyOf("BW");
        _world.Register(bw.Registration("BW", state: KeyState.Revoked, compromisedSince: At(2026, 3, 9, 12)));
        Certificate c = TestCertificates.Issued("BW", KpWorld.BwAuthority, new DateOnly(2026, 3, 1));

        VerificationResult result = Verify(TestEnvelopes.Sign(c, bw));

        AssertReasons(result, VerificationReason.KeyRevoked);
        Assert.Contains("no record says when the registry recorded it", result.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_KeyRetiredAfterRecording_Valid()
    {
        TestKey bw = _world.KeyOf("BW");
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), bw, RecordedAt);
        _world.Register(bw.Registration("BW", state: KeyState.Retired, retiredAt: RecordedAt.AddHours(1)));

        VerificationResult result = Verify(envelope);

        Assert.True(result.Valid, result.ToString());
        Assert.Equal(KeyState.Retired, result.KeyState);
    }

    [Fact]
    public void Verify_RetiredKeyPresentedAsNewForIssue_KeyRetired()
    {
        TestKey bw = _world.KeyOf("BW");
        _world.Register(bw.Registration("BW", state: KeyState.Retired, retiredAt: At(2026, 3, 5)));
        SignedEnvelope envelope = TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), bw);

        VerificationResult result = Verify(envelope, context: new VerificationContext { Purpose = VerificationPurpose.Issue });

        AssertReasons(result, VerificationReason.KeyRetired);
        Assert.Equal($"key {bw.KeyId} was retired at 2026-03-05T00:00Z; it is being recorded now, at 2026-03-10T12:00Z", result.Details[0]);
    }

    [Fact]
    public void Verify_RetiredKeyUnrecordedCertificateOnline_KeyRetiredAndNotRecorded()
    {
        TestKey bw = _world.KeyOf("BW");
        _world.Register(bw.Registration("BW", state: KeyState.Retired, retiredAt: At(2026, 3, 5)));

        AssertReasons(Verify(TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), bw)), VerificationReason.KeyRetired, VerificationReason.NotRecorded);
    }

    [Fact]
    public void Verify_RetiredKeyOfflineDatedBeforeRetirement_Valid()
    {
        _world.Offline();
        TestKey bw = _world.KeyOf("BW");
        _world.Register(bw.Registration("BW", state: KeyState.Retired, retiredAt: At(2026, 3, 5)));
        Certificate c = TestCertificates.Issued("BW", KpWorld.BwAuthority, new DateOnly(2026, 3, 4));

        Assert.True(Verify(TestEnvelopes.Sign(c, bw)).Valid);
    }

    [Fact]
    public void Verify_RetiredKeyOfflineDatedAfterRetirement_KeyRetired()
    {
        _world.Offline();
        TestKey bw = _world.KeyOf("BW");
        _world.Register(bw.Registration("BW", state: KeyState.Retired, retiredAt: At(2026, 3, 5)));

        VerificationResult result = Verify(TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), bw));

        AssertReasons(result, VerificationReason.KeyRetired);
        Assert.Contains("dated 2026-03-09, after the retirement", result.Details[0], StringComparison.Ordinal);
    }

    // ---- issuer and destination --------------------------------------------------------------

    [Fact]
    public void Verify_IssuerNotAParticipantWithItsOwnKey_IssuerNotParticipant()
    {
        _world.Offline();
        using TestKey kenya = _world.NewKey("KE");
        _world.Register(kenya.Registration("KE"));
        Certificate c = TestCertificates.Issued("KE", "KE-MOM", TestCertificates.IssuedOn);

        VerificationResult result = Verify(TestEnvelopes.Sign(c, kenya));

        AssertReasons(result, VerificationReason.IssuerNotParticipant);
        Assert.Equal("\"KE\" is not a KP participant", result.Details[0]);
    }

    [Fact]
    public void Verify_IssuedDuringSelfSuspensionPresentedAfter_IssuerNotAllowedAtIssue()
    {
        _world.Offline();
        Certificate c = TestCertificates.Issued("VE", "VE-CVG", new DateOnly(2016, 6, 20));

        VerificationResult result = Verify(TestEnvelopes.Sign(c, _world.KeyOf("VE")), now: At(2016, 7, 5));

        AssertReasons(result, VerificationReason.IssuerNotAllowedAtIssue);
        Assert.Equal("VE was SELF_SUSPENDED on 2016-06-20, the date of issue (since 2008-11-01: voluntary separation)", result.Details[0]);
    }

    [Fact]
    public void Verify_IssuedBeforeRemovalPresentedAfter_IssuerNotAllowedNow()
    {
        _world.Offline();
        Certificate c = TestCertificates.Issued("CG", "CG-BEEC", new DateOnly(2004, 7, 1));

        VerificationResult result = Verify(TestEnvelopes.Sign(c, _world.KeyOf("CG")), now: At(2004, 7, 20));

        AssertReasons(result, VerificationReason.IssuerNotAllowedNow);
        Assert.StartsWith("CG is REMOVED on 2004-07-20", result.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_IssuedBeforeSuspensionPresentedDuring_IssuerNotAllowedNow()
    {
        _world.Offline();
        Certificate c = TestCertificates.Issued("CF", KpWorld.CfAuthority, new DateOnly(2013, 5, 20));

        AssertReasons(Verify(TestEnvelopes.Sign(c, _world.KeyOf("CF")), now: At(2013, 5, 24)), VerificationReason.IssuerNotAllowedNow);
    }

    [Fact]
    public void Verify_EmbargoedIssuer_IssuerEmbargoed()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.Issued("CI", "CI-MMG", TestCertificates.IssuedOn));

        AssertReasons(Verify(envelope), VerificationReason.IssuerEmbargoed);
    }

    [Fact]
    public void Verify_DestinationSelfSuspended_DestinationNotAllowed()
    {
        _world.Offline();
        Certificate c = TestCertificates.Issued("BW", KpWorld.BwAuthority, new DateOnly(2010, 3, 1), destination: "VE");

        VerificationResult result = Verify(TestEnvelopes.Sign(c, _world.KeyOf("BW")), now: At(2010, 3, 2));

        AssertReasons(result, VerificationReason.DestinationNotAllowed);
        Assert.Contains("the destination VE was SELF_SUSPENDED on 2010-03-01", result.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_DestinationSuspendedSinceIssue_DestinationNotAllowed()
    {
        _world.Offline();
        Certificate c = TestCertificates.Issued("BW", KpWorld.BwAuthority, new DateOnly(2008, 10, 25), destination: "VE");

        VerificationResult result = Verify(TestEnvelopes.Sign(c, _world.KeyOf("BW")), now: At(2008, 11, 5));

        AssertReasons(result, VerificationReason.DestinationNotAllowed);
        Assert.Equal("the destination VE is SELF_SUSPENDED on 2008-11-05 and may not receive", result.Details[0]);
    }

    [Fact]
    public void Verify_IssuedBeforeTheSchemeExisted_EveryStatusReason()
    {
        // Dated before BW, the EU and BW's key existed in the registry: each fact is its own reason.
        _world.Offline();
        Certificate c = TestCertificates.Issued("BW", KpWorld.BwAuthority, new DateOnly(2002, 12, 1));

        VerificationResult result = Verify(TestEnvelopes.Sign(c, _world.KeyOf("BW")), now: At(2002, 12, 2));

        AssertReasons(result,
            VerificationReason.KeyNotValidAtIssue,
            VerificationReason.IssuerNotAllowedAtIssue,
            VerificationReason.IssuerNotAllowedNow,
            VerificationReason.DestinationNotAllowed);
        Assert.Equal("BW had no participant status on 2002-12-01, the date of issue (not yet admitted, or gone)", result.Details[1]);
    }

    [Fact]
    public void Verify_HostileKeyIdUnknown_NotEchoedAsKeyId()
    {
        SignedEnvelope envelope = TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), _world.KeyOf("BW"));
        envelope.Signatures[0].KeyId = new string('k', 10_000);

        VerificationResult result = Verify(envelope);

        AssertReasons(result, VerificationReason.UnknownKey);
        Assert.Null(result.KeyId);
        Assert.True(result.Details[0].Length < 200);
    }

    [Fact]
    public void Verify_PresentedAtTheDestination_Valid()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());

        Assert.True(Verify(envelope, context: new VerificationContext { PresentedAtParticipant = "EU" }).Valid);
    }

    [Fact]
    public void Verify_PresentedAtEmptyParticipant_NotChecked()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());

        Assert.True(Verify(envelope, context: new VerificationContext { PresentedAtParticipant = "" }).Valid);
    }

    [Fact]
    public void Verify_PresentedElsewhere_WrongDestination()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());

        VerificationResult result = Verify(envelope, context: new VerificationContext { PresentedAtParticipant = "AE" });

        AssertReasons(result, VerificationReason.WrongDestination);
        Assert.Equal("the certificate is destined for \"EU\" but presented at \"AE\"", result.Details[0]);
    }

    // ---- content ------------------------------------------------------------------------------

    [Fact]
    public void Verify_TotalsNotTheSumOfLines_ContentInvalidWithViolations()
    {
        Certificate c = TestCertificates.BotswanaToEu();
        c.TotalCaratsHundredths += 500;

        VerificationResult result = Verify(Recorded(c));

        AssertReasons(result, VerificationReason.ContentInvalid);
        RuleViolation v = Assert.Single(result.RuleViolations);
        Assert.Equal(CertificateRule.TotalCaratsMismatch, v.Rule);
        Assert.Contains(v.Message, result.Details[0], StringComparison.Ordinal);
        Assert.NotNull(result.Certificate);
    }

    [Fact]
    public void Verify_DateOfIssueAfterRecording_ContentInvalidThoughPastNow()
    {
        // Judged at the registry's recorded-at, not at the time of the check.
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), recordedAt: At(2026, 3, 1));

        VerificationResult result = Verify(envelope);

        AssertReasons(result, VerificationReason.ContentInvalid);
        Assert.Equal(CertificateRule.DateOfIssueInFuture, Assert.Single(result.RuleViolations).Rule);
    }

    [Fact]
    public void Verify_ContextOptionsDefaultMaximum_Applied()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.Issued("ZA", "ZA-SADPMR", TestCertificates.IssuedOn, validityDays: 120));
        var context = new VerificationContext { RulesOptions = new CertificateRulesOptions { DefaultMaxValidityDays = 60 } };

        VerificationResult result = Verify(envelope, context: context);

        AssertReasons(result, VerificationReason.ContentInvalid);
        Assert.Equal(CertificateRule.ValidityTooLong, Assert.Single(result.RuleViolations).Rule);
    }

    // ---- the registry's record ----------------------------------------------------------------

    [Fact]
    public void Verify_OnlineWithoutRecord_NotRecorded()
    {
        VerificationResult result = Verify(TestEnvelopes.Sign(TestCertificates.BotswanaToEu(), _world.KeyOf("BW")));

        AssertReasons(result, VerificationReason.NotRecorded);
        Assert.Null(result.RecordedAt);
    }

    [Fact]
    public void Verify_DifferentPayloadRecordedUnderNumber_RecordMismatch()
    {
        Recorded(TestCertificates.BotswanaToEu());
        Certificate second = TestCertificates.BotswanaToEu();
        second.Importer.Name = "Another Importer BV";

        VerificationResult result = Verify(TestEnvelopes.Sign(second, _world.KeyOf("BW")));

        AssertReasons(result, VerificationReason.RecordMismatch);
        Assert.Null(result.RecordedAt);
        Assert.Null(result.CertificateState);
    }

    [Fact]
    public void Verify_ReusedNumberWithCompromisedKey_RecordTimeNotBorrowed()
    {
        // The record of another payload predates the compromise; the forged payload must not inherit its time.
        TestKey bw = _world.KeyOf("BW");
        Recorded(TestCertificates.BotswanaToEu(), bw, RecordedAt);
        _world.Register(bw.Registration("BW", state: KeyState.Revoked, compromisedSince: RecordedAt.AddDays(0.5)));
        Certificate forged = TestCertificates.BotswanaToEu();
        forged.Lines[0].CaratsHundredths += 100_000;
        forged.WithTotalsFromLines();

        AssertReasons(Verify(TestEnvelopes.Sign(forged, bw)), VerificationReason.KeyRevoked, VerificationReason.RecordMismatch);
    }

    [Fact]
    public void Verify_Cancelled_CertificateCancelled()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), state: CertificateState.Cancelled, stateReason: "shipment called off");

        VerificationResult result = Verify(envelope);

        AssertReasons(result, VerificationReason.CertificateCancelled);
        Assert.Equal("the issuer cancelled certificate BW-2026-000123 (shipment called off)", result.Details[0]);
        Assert.Equal(CertificateState.Cancelled, result.CertificateState);
    }

    [Fact]
    public void Verify_Replaced_CertificateReplaced()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), state: CertificateState.Replaced, replacedBy: "BW-2026-000124");

        VerificationResult result = Verify(envelope);

        AssertReasons(result, VerificationReason.CertificateReplaced);
        Assert.Contains("replaced by BW-2026-000124", result.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_Detained_CertificateDetained()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), state: CertificateState.Detained, stateReason: "weighed 15,850.00 ct");

        AssertReasons(Verify(envelope), VerificationReason.CertificateDetained);
    }

    [Fact]
    public void Verify_AfterDateOfExpiry_CertificateExpired()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());

        VerificationResult result = Verify(envelope, now: At(2026, 5, 9));

        AssertReasons(result, VerificationReason.CertificateExpired);
        Assert.Contains("2026-05-08 is before 2026-05-09", result.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OnDateOfExpiry_Valid()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());

        Assert.True(Verify(envelope, now: new DateTimeOffset(2026, 5, 8, 23, 59, 0, TimeSpan.Zero)).Valid);
    }

    [Fact]
    public void Verify_ReceivedThenCheckedAfterExpiry_Valid()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), state: CertificateState.Received);

        VerificationResult result = Verify(envelope, now: At(2026, 9, 1));

        Assert.True(result.Valid, result.ToString());
        Assert.Equal(CertificateState.Received, result.CertificateState);
    }

    [Fact]
    public void Verify_ReceivedForImportConfirmation_AlreadyConfirmed()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu(), state: CertificateState.Received);

        VerificationResult result = Verify(envelope, context: new VerificationContext { Purpose = VerificationPurpose.ImportConfirmation, PresentedAtParticipant = "EU" });

        AssertReasons(result, VerificationReason.AlreadyConfirmed);
    }

    [Fact]
    public void Verify_IssuedForImportConfirmation_Valid()
    {
        SignedEnvelope envelope = Recorded(TestCertificates.BotswanaToEu());

        Assert.True(Verify(envelope, context: new VerificationContext { Purpose = VerificationPurpose.ImportConfirmation, PresentedAtParticipant = "EU" }).Valid);
    }

    // ---- several at once ---------------------------------------------------------------------

    [Fact]
    public void Verify_ManyProblems_EveryReasonInEnumOrderWithOneDetailEach()
    {
        TestKey za = _world.KeyOf("ZA");
        Certificate c = TestCertificates.BotswanaToEu();
        c.Lines[0].HsCode = "7102.39";
        SignedEnvelope envelope = Recorded(c, za, state: CertificateState.Cancelled);
        _world.Register(za.Registration("ZA", state: KeyState.Revoked, compromisedSince: At(2026, 3, 1)));

        VerificationResult result = Verify(envelope, now: At(2026, 6, 1), context: new VerificationContext { PresentedAtParticipant = "AE" });

        AssertReasons(result,
            VerificationReason.WrongIssuerForKey,
            VerificationReason.KeyRevoked,
            VerificationReason.WrongDestination,
            VerificationReason.ContentInvalid,
            VerificationReason.CertificateCancelled,
            VerificationReason.CertificateExpired);
        Assert.Equal(result.Reasons.Count, result.Reasons.Distinct().Count());
    }

    [Fact]
    public void Verify_NullArguments_Throw()
    {
        SignedEnvelope envelope = new();
        Assert.Throws<ArgumentNullException>(() => CertificateVerifier.Verify(null!, _world.View, KpWorld.Now, VerificationContext.Default));
        Assert.Throws<ArgumentNullException>(() => CertificateVerifier.Verify(envelope, null!, KpWorld.Now, VerificationContext.Default));
        Assert.Throws<ArgumentNullException>(() => CertificateVerifier.Verify(envelope, _world.View, KpWorld.Now, null!));
    }

    [Fact]
    public void VerificationReason_EveryMember_IsDocumentedAsOneOfAClosedSet()
    {
        // Values are stable and dense: a new member is a deliberate, reviewed change.
        VerificationReason[] members = Enum.GetValues<VerificationReason>();
        Assert.Equal(23, members.Length);
        for (int i = 0; i < members.Length; i++)
        {
            Assert.Equal(i + 1, (int)members[i]);
        }
    }

    private static DateTimeOffset At(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);
}
