using Grpc.Core;
using KpRegistry.Client;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.IntegrationTests.TestData;
using DomainAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;
using DomainReason = KpRegistry.Domain.Verification.VerificationReason;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// The registry facts verification depends on, administered over the API (issue 10): authorities
/// named by client certificates, approved zones, dated embargoes, licensing, the trading entity of
/// Chinese Taipei and the EU's calendar months. Each issuer is used by one test only.
/// </summary>
public sealed class RegistryAdministrationTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<IssueCertificateResponse> IssueAsync(string caller, Certificate certificate)
    {
        await registry.EnsureKeyAsync(certificate.IssuingParticipant, KeyAlgorithm.Ed25519);
        return await registry.Certificates(caller).IssueCertificateAsync(new IssueCertificateRequest { Certificate = certificate });
    }

    private async Task<OfflineVerifier> OfflineAsync()
    {
        SignedEnvelope tl = await registry.Verification().GetTrustListAsync(new GetTrustListRequest());
        string pin = KeyStatement.Parser.ParseFrom(TrustList.Parser.ParseFrom(tl.Payload).RegistryKeyChain[0].Payload).KeyId;
        SignedEnvelope rl = await registry.Verification().GetRevocationListAsync(new GetRevocationListRequest());
        return OfflineVerifier.Create(pin, tl, rl);
    }

    private async Task<VerifyCertificateResult> VerifyOnlineAsync(SignedEnvelope envelope) =>
        await registry.Verification().VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = envelope });

    private static Certificate Eu(string authority, string? number = null)
    {
        Certificate c = SampleCertificates.Valid(issuer: "EU", destination: "AE", number: number);
        c.IssuingAuthority = authority;
        c.Origin = new Origin { Mixed = false, Countries = { "BE" } };
        return c;
    }

    [Fact]
    public async Task IssueCertificate_AuthorityOfBelgiumIssuingAsGermany_PermissionDenied()
    {
        Certificate asGermany = Eu("EU-DE");

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("EU-BE-authority", asGermany));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("EU-BE", refused.Status.Detail);
        Assert.Contains("EU-DE", refused.Status.Detail);
        RpcException notThere = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates().GetCertificateAsync(
            new GetCertificateRequest { IssuingParticipant = "EU", CertificateNumber = asGermany.CertificateNumber }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notThere.StatusCode);
    }

    [Fact]
    public async Task IssueCertificate_AuthorityOfBelgiumAsItself_Valid()
    {
        IssueCertificateResponse issued = await IssueAsync("EU-BE-authority", Eu("EU-BE"));

        VerifyCertificateResult result = await VerifyOnlineAsync(issued.Envelope);
        Assert.True(result.Valid, string.Join("; ", result.Details));
        Assert.Equal("EU-BE", result.IssuingAuthority);
    }

    [Fact]
    public async Task IssueCertificate_UnknownIssuingAuthorityOnceAuthoritiesRegistered_InvalidArgumentNamingIt()
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("EU-authority", Eu("EU-XX")));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("EU-XX", refused.Status.Detail);
        Assert.Contains("IssuingAuthorityUnknown", refused.Status.Detail);
    }

    [Fact]
    public async Task AddAuthority_ThenRemoveAuthority_OnlyRegisteredAuthoritiesIssueAndHistoryIsKept()
    {
        Participant added = await registry.Registry("admin").AddAuthorityAsync(new AddAuthorityRequest { ParticipantCode = "NA", Code = "NA-MME", Name = "Ministry of Mines and Energy" });
        Assert.Contains(added.Authorities, a => a.Code == "NA-MME" && a.RemovedOn == "");
        Certificate first = SampleCertificates.Valid(issuer: "NA");
        first.IssuingAuthority = "NA-MME";
        IssueCertificateResponse issued = await IssueAsync("NA-authority", first);
        Certificate other = SampleCertificates.Valid(issuer: "NA");
        other.IssuingAuthority = "NA-DIAMONDS";
        RpcException unknown = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("NA-authority", other));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);

        Participant removed = await registry.Registry("admin").RemoveAuthorityAsync(new RemoveAuthorityRequest
        {
            ParticipantCode = "NA", Code = "NA-MME", EffectiveOn = Day(Today.AddDays(1)), Reason = "reorganised",
        });

        Assert.Equal(Day(Today.AddDays(1)), removed.Authorities.Single(a => a.Code == "NA-MME").RemovedOn);
        // Issued while it was an authority: valid as of its date, online and offline.
        Assert.True((await VerifyOnlineAsync(issued.Envelope)).Valid);
        var offline = (await OfflineAsync()).Verify(issued.Envelope, DateTimeOffset.UtcNow.AddDays(3));
        Assert.True(offline.Valid, offline.ToString());
        RpcException twice = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("admin").RemoveAuthorityAsync(new RemoveAuthorityRequest
        {
            ParticipantCode = "NA", Code = "NA-MME",
        }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, twice.StatusCode);
    }

    [Fact]
    public async Task RemoveAuthority_FromToday_ItsNewCertificatesRefused()
    {
        await registry.Registry("admin").AddAuthorityAsync(new AddAuthorityRequest { ParticipantCode = "LS", Code = "LS-DMB", Name = "Diamond Marketing Board" });
        await registry.Registry("admin").AddAuthorityAsync(new AddAuthorityRequest { ParticipantCode = "LS", Code = "LS-MOM", Name = "Ministry of Mines" });
        await registry.Registry("admin").RemoveAuthorityAsync(new RemoveAuthorityRequest { ParticipantCode = "LS", Code = "LS-DMB", Reason = "dissolved" });
        Certificate certificate = SampleCertificates.Valid(issuer: "LS");
        certificate.IssuingAuthority = "LS-DMB";

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("LS-authority", certificate));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("LS-DMB", refused.Status.Detail);
    }

    [Fact]
    public async Task AddAuthority_CodeOfAnotherParticipant_InvalidArgumentAndNothingAdded()
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("admin").AddAuthorityAsync(
            new AddAuthorityRequest { ParticipantCode = "BW", Code = "ZA-SADPMR", Name = "SADPMR" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Participant bw = await registry.Registry().GetParticipantAsync(new GetParticipantRequest { Code = "BW" });
        Assert.Empty(bw.Authorities);
    }

    [Fact]
    public async Task IssueCertificate_CarFromApprovedZoneWhileRestricted_ValidAndFromAnotherZoneRefused()
    {
        // CAR's restricted years (2015-2024) lie before any key this registry can hold, so its
        // restriction is set again from today: the rule is the same, judged on the date of issue.
        var admin = registry.Registry("admin");
        await admin.SetParticipantStatusAsync(new SetParticipantStatusRequest { Code = "CF", Status = ParticipantStatus.ActiveRestricted, Reason = "exports from compliant zones only" });
        Participant cf = await admin.SetZonesAsync(new SetZonesRequest { ParticipantCode = "CF", Zones = { "Berberati", "Carnot" }, Reason = "operational framework" });
        Assert.Equal(["Berberati", "Carnot"], cf.ApprovedZones.Select(z => z.Zone));

        Certificate approved = SampleCertificates.Valid(issuer: "CF");
        approved.OriginZone = "Berberati";
        IssueCertificateResponse issued = await IssueAsync("CF-authority", approved);
        VerifyCertificateResult online = await VerifyOnlineAsync(issued.Envelope);
        Assert.True(online.Valid, string.Join("; ", online.Details));

        Certificate elsewhere = SampleCertificates.Valid(issuer: "CF");
        elsewhere.OriginZone = "Bria";
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("CF-authority", elsewhere));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("OriginZoneNotApproved", refused.Status.Detail);
    }

    [Fact]
    public async Task SetEmbargo_CertificatesInsideRefusedOutsideValid_OnlineAndOffline()
    {
        // Issued before any embargo.
        IssueCertificateResponse issued = await IssueAsync("SL-authority", SampleCertificates.Valid(issuer: "SL"));
        var admin = registry.Registry("admin");

        // An embargo in the past: outside it, valid.
        await admin.SetEmbargoAsync(new SetEmbargoRequest { IssuingParticipant = "SL", EffectiveFrom = "2001-03-07", EffectiveTo = "2003-06-05", Reason = "UN Security Council resolution 1306 (2000)" });
        Assert.True((await VerifyOnlineAsync(issued.Envelope)).Valid);

        // In ten days, for twenty days: valid now, refused when presented inside, valid again after.
        Participant sl = await admin.SetEmbargoAsync(new SetEmbargoRequest
        {
            IssuingParticipant = "SL", EffectiveFrom = Day(Today.AddDays(10)), EffectiveTo = Day(Today.AddDays(20)), Reason = "a later measure",
        });
        Embargo later = sl.Embargoes.Single(e => e.Reason == "a later measure");
        Assert.True((await VerifyOnlineAsync(issued.Envelope)).Valid);
        OfflineVerifier offline = await OfflineAsync();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Assert.True(offline.Verify(issued.Envelope, now).Valid);
        var inside = offline.Verify(issued.Envelope, now.AddDays(15));
        Assert.Equal([DomainReason.IssuerEmbargoed], inside.Reasons);
        Assert.Contains($"embargo {later.Id}", inside.Details[0]);
        Assert.True(offline.Verify(issued.Envelope, now.AddDays(25)).Valid);

        // From today: refused online, at issue and offline; still refused after it ends, as issued inside it.
        await admin.SetEmbargoAsync(new SetEmbargoRequest { IssuingParticipant = "SL", EffectiveTo = Day(Today.AddDays(2)), Reason = "today's measure" });
        VerifyCertificateResult refusedOnline = await VerifyOnlineAsync(issued.Envelope);
        Assert.False(refusedOnline.Valid);
        Assert.Contains(Contracts.Verification.V1.VerificationReason.IssuerEmbargoed, refusedOnline.Reasons);
        Assert.Contains(refusedOnline.Details, d => d.Contains("today's measure", StringComparison.Ordinal));
        RpcException atIssue = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("SL-authority", SampleCertificates.Valid(issuer: "SL")));
        Assert.Equal(StatusCode.FailedPrecondition, atIssue.StatusCode);
        OfflineVerifier offlineNow = await OfflineAsync();
        Assert.Contains(DomainReason.IssuerEmbargoed, offlineNow.Verify(issued.Envelope, now).Reasons);
        var afterItEnds = offlineNow.Verify(issued.Envelope, now.AddDays(5));
        Assert.Equal([DomainReason.IssuerEmbargoed], afterItEnds.Reasons);
        Assert.Contains("on the date of issue", afterItEnds.Details[0]);
    }

    [Fact]
    public async Task SetEmbargo_OnlyTowardsOneDestination_OtherDestinationsValid()
    {
        await registry.Registry("admin").SetEmbargoAsync(new SetEmbargoRequest { IssuingParticipant = "GY", Destinations = { "AE" }, Reason = "towards AE only" });

        IssueCertificateResponse toEu = await IssueAsync("GY-authority", SampleCertificates.Valid(issuer: "GY", destination: "EU"));
        RpcException toAe = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("GY-authority", SampleCertificates.Valid(issuer: "GY", destination: "AE")));

        Assert.True((await VerifyOnlineAsync(toEu.Envelope)).Valid);
        Assert.Equal(StatusCode.FailedPrecondition, toAe.StatusCode);
        Assert.Contains("towards AE only", toAe.Status.Detail);
    }

    [Fact]
    public async Task SetEmbargo_SupersededToLiftIt_CertificatesValidAgain()
    {
        var admin = registry.Registry("admin");
        IssueCertificateResponse issued = await IssueAsync("LR-authority", SampleCertificates.Valid(issuer: "LR"));
        Participant lr = await admin.SetEmbargoAsync(new SetEmbargoRequest { IssuingParticipant = "LR", Reason = "open-ended measure" });
        ulong id = lr.Embargoes.Single().Id;
        Assert.False((await VerifyOnlineAsync(issued.Envelope)).Valid);

        // Lifted: a new record that ends before the certificate's date replaces it.
        Participant lifted = await admin.SetEmbargoAsync(new SetEmbargoRequest
        {
            IssuingParticipant = "LR", EffectiveFrom = Day(Today.AddDays(-30)), EffectiveTo = Day(Today.AddDays(-29)), SupersedesId = id, Reason = "lifted",
        });

        Assert.DoesNotContain(lifted.Embargoes, e => e.Id == id);
        Assert.True((await VerifyOnlineAsync(issued.Envelope)).Valid);
        RpcException again = await Assert.ThrowsAsync<RpcException>(() => admin.SetEmbargoAsync(new SetEmbargoRequest { IssuingParticipant = "LR", SupersedesId = id, Reason = "x" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task SetLicensing_RequiredLicenceMissing_RefusedOnlineAndOffline()
    {
        Participant tz = await registry.Registry("admin").SetLicensingAsync(new SetLicensingRequest { ParticipantCode = "TZ", LicensesExporters = true, Reason = "Mining Act" });
        Assert.True(tz.LicensesExporters);
        Certificate unlicensed = SampleCertificates.Valid(issuer: "TZ");
        unlicensed.Exporter.LicenceNumber = "";

        RpcException issued = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("TZ-authority", unlicensed));
        Assert.Equal(StatusCode.InvalidArgument, issued.StatusCode);
        Assert.Contains("ExporterLicenceMissing", issued.Status.Detail);

        // Signed with a held key and presented to verifiers that never saw it recorded.
        using SigningKey held = SigningKey.Generate(DomainAlgorithm.EcdsaP256);
        await registry.Registry("TZ-authority").RegisterKeyAsync(new RegisterKeyRequest
        {
            Statement = KeyStatementFactory.Registration(held, "TZ", null, DateTimeOffset.UtcNow), Algorithm = KeyAlgorithm.EcdsaP256,
        });
        SignedEnvelope signed = CertificateSigner.Sign(unlicensed, held);
        RpcException submitted = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates("TZ-authority").SubmitCertificateAsync(new SubmitCertificateRequest { Envelope = signed }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, submitted.StatusCode);
        VerifyCertificateResult online = await VerifyOnlineAsync(signed);
        Assert.Contains(Contracts.Verification.V1.VerificationReason.ContentInvalid, online.Reasons);
        var offline = (await OfflineAsync()).Verify(signed, DateTimeOffset.UtcNow);
        Assert.Equal([DomainReason.ContentInvalid], offline.Reasons);
        Assert.Contains("licence", offline.Details[0]);

        Certificate licensed = SampleCertificates.Valid(issuer: "TZ");
        Assert.True((await VerifyOnlineAsync((await IssueAsync("TZ-authority", licensed)).Envelope)).Valid);
    }

    [Fact]
    public async Task IssueCertificate_ChineseTaipeiAsIssuerAndAsDestination_Valid()
    {
        Participant tw = await registry.Registry().GetParticipantAsync(new GetParticipantRequest { Code = "TW" });
        Assert.Equal(ParticipantKind.TradingEntity, tw.Kind);
        Assert.Equal(ParticipantStatus.Active, tw.Status);

        IssueCertificateResponse fromTw = await IssueAsync("TW-authority", SampleCertificates.Valid(issuer: "TW", destination: "EU"));
        IssueCertificateResponse toTw = await IssueAsync("ZA-authority", SampleCertificates.Valid(issuer: "ZA", destination: "TW"));

        Assert.True((await VerifyOnlineAsync(fromTw.Envelope)).Valid);
        Assert.True((await VerifyOnlineAsync(toTw.Envelope)).Valid);
        OfflineVerifier offline = await OfflineAsync();
        Assert.True(offline.Verify(fromTw.Envelope, DateTimeOffset.UtcNow).Valid);
        Assert.True(offline.Verify(toTw.Envelope, DateTimeOffset.UtcNow).Valid);
    }

    [Fact]
    public async Task IssueCertificate_EuTwoCalendarMonths_LastDayValidNextDayRefused()
    {
        Participant eu = await registry.Registry().GetParticipantAsync(new GetParticipantRequest { Code = "EU" });
        Assert.Equal(2u, eu.MaxValidityMonths);
        Certificate lastDay = Eu("EU-DE");
        lastDay.DateOfExpiry = Day(Today.AddMonths(2));
        Certificate dayAfter = Eu("EU-DE");
        dayAfter.DateOfExpiry = Day(Today.AddMonths(2).AddDays(1));

        IssueCertificateResponse issued = await IssueAsync("EU-DE-authority", lastDay);
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => IssueAsync("EU-DE-authority", dayAfter));

        Assert.True((await VerifyOnlineAsync(issued.Envelope)).Valid);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("calendar months", refused.Status.Detail);
    }

    public static TheoryData<string, string> AdminRpcsAndCallers()
    {
        var data = new TheoryData<string, string>();
        foreach (string rpc in new[] { "AddAuthority", "RemoveAuthority", "SetZones", "SetEmbargo", "SetLicensing" })
        {
            data.Add(rpc, "anonymous");
            data.Add(rpc, "ZW-authority");
            data.Add(rpc, "EU-BE-authority");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AdminRpcsAndCallers))]
    public async Task AdministrationRpc_NotAnAdmin_RefusedAndNothingChanged(string rpc, string caller)
    {
        Registry.RegistryClient client = registry.Registry(caller);
        Participant before = await registry.Registry().GetParticipantAsync(new GetParticipantRequest { Code = "ZW" });
        Func<Task> call = rpc switch
        {
            "AddAuthority" => () => client.AddAuthorityAsync(new AddAuthorityRequest { ParticipantCode = "ZW", Code = "ZW-MMCZ", Name = "Minerals Marketing Corporation" }).ResponseAsync,
            "RemoveAuthority" => () => client.RemoveAuthorityAsync(new RemoveAuthorityRequest { ParticipantCode = "ZW", Code = "ZW-MMCZ" }).ResponseAsync,
            "SetZones" => () => client.SetZonesAsync(new SetZonesRequest { ParticipantCode = "ZW", Zones = { "Marange" } }).ResponseAsync,
            "SetEmbargo" => () => client.SetEmbargoAsync(new SetEmbargoRequest { IssuingParticipant = "ZW", Reason = "x" }).ResponseAsync,
            _ => () => client.SetLicensingAsync(new SetLicensingRequest { ParticipantCode = "ZW", LicensesExporters = true }).ResponseAsync,
        };

        RpcException refused = await Assert.ThrowsAsync<RpcException>(call);

        Assert.Equal(caller == "anonymous" ? StatusCode.Unauthenticated : StatusCode.PermissionDenied, refused.StatusCode);
        Participant after = await registry.Registry().GetParticipantAsync(new GetParticipantRequest { Code = "ZW" });
        Assert.Equal(before, after);
    }
}

/// <summary>The kpreg commands of registry administration, against the real server.</summary>
public sealed class KpregAdministrationTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task Kpreg_AdministrationCommands_ChangeTheParticipantAsAdmin()
    {
        var add = await registry.KpregAsync("participants", "add-authority", "BW", "BW-MMGE", "--name", "Ministry of Minerals", "--as", "admin");
        Assert.True(add.Exit == 0, add.Error);
        Assert.Contains("BW-MMGE", add.Output);
        var remove = await registry.KpregAsync("participants", "remove-authority", "BW", "BW-MMGE", "--from", "2030-01-01", "--reason", "merged", "--as", "admin");
        Assert.True(remove.Exit == 0, remove.Error);
        Assert.Contains("removed from 2030-01-01", remove.Output);
        var zones = await registry.KpregAsync("participants", "set-zones", "CF", "Berberati", "Nola", "--from", "2016-07-01", "--as", "admin");
        Assert.True(zones.Exit == 0, zones.Error);
        Assert.Contains("Nola", zones.Output);
        var embargo = await registry.KpregAsync("participants", "set-embargo", "CI", "--from", "2005-12-15", "--to", "2014-04-29", "--reason", "UNSC resolution 1643 (2005)", "--as", "admin");
        Assert.True(embargo.Exit == 0, embargo.Error);
        Assert.Contains("2014-04-29", embargo.Output);
        var licensing = await registry.KpregAsync("participants", "set-licensing", "BW", "yes", "--as", "admin");
        Assert.True(licensing.Exit == 0, licensing.Error);
        Assert.Contains("licenses exporters: yes", licensing.Output);
        var denied = await registry.KpregAsync("participants", "set-licensing", "BW", "no", "--as", "BW-authority");
        Assert.NotEqual(0, denied.Exit);
    }
}
