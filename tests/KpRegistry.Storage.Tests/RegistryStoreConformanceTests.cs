using System.Security.Cryptography;
using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage.Tests;

/// <summary>
/// The storage conformance suite: every provider must pass it unchanged. Each test gets a fresh
/// database migrated with the real migrations.
/// </summary>
public abstract class RegistryStoreConformanceTests
{
    private static readonly AuditEntry Admin = new("CN=admin,O=KP", "test", "test");
    private static readonly DateOnly Admission = new(2003, 1, 1);

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditEntry As(string action, string subject) => new("CN=bw-authority,O=BW", action, subject, "details of " + action);

    private static NewKey NewKeyFor(string participant, string? authority, KeyAlgorithm algorithm = KeyAlgorithm.Ed25519, bool managed = true)
    {
        byte[] spki = RandomNumberGenerator.GetBytes(44);
        return new NewKey(KeyIds.FromSpki(spki), participant, authority, algorithm,
            managed ? KeyCustody.Managed : KeyCustody.Held, spki, managed ? RandomNumberGenerator.GetBytes(80) : null,
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)));
    }

    private static NewCertificate NewCertificateFor(string keyId, string number)
    {
        byte[] envelope = RandomNumberGenerator.GetBytes(300);
        return new NewCertificate("BW", number, "BW-MMEWR", keyId, envelope, SHA256.HashData(envelope),
            new DateOnly(2026, 2, 27), new DateOnly(2026, 4, 27), "EU", 123_456, 9_876_543_21);
    }

    /// <summary>BW (with authority BW-MMEWR) and EU admitted; an ACTIVE Ed25519 key of BW-MMEWR.</summary>
    private static async Task<KeyRecord> ArrangeBotswanaAsync(TestDatabase db)
    {
        await db.Store.AdmitParticipantAsync(new NewParticipant("BW", "Botswana", Admission), Admin, Ct);
        await db.Store.AdmitParticipantAsync(new NewParticipant("EU", "European Union", Admission, MaxValidityDays: 60), Admin, Ct);
        await db.Store.AddAuthorityAsync(new AuthorityInfo("BW-MMEWR", "BW", "Ministry of Minerals and Energy"), Admin, Ct);
        return await db.Store.AddKeyAsync(NewKeyFor("BW", "BW-MMEWR"), Admin, Ct);
    }

    private static async Task<int> CountAsync<T>(TestDatabase db)
        where T : class
    {
        await using RegistryDbContext context = db.NewContext();
        return await context.Set<T>().CountAsync(Ct);
    }

    [Fact]
    public async Task Migrate_FreshDatabase_AppliesEveryMigration()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await using RegistryDbContext context = db.NewContext();
        Assert.Empty(await context.Database.GetPendingMigrationsAsync(Ct));
        Assert.Contains(await context.Database.GetAppliedMigrationsAsync(Ct), m => m.EndsWith("_InitialCreate", StringComparison.Ordinal));
        Assert.Equal(0, await context.Participants.CountAsync(Ct));
    }

    [Fact]
    public async Task SeedParticipants_EmptyDatabase_SeedsTheListOnceWithHistory()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        int seeded = await RegistryDatabase.SeedParticipantsAsync(db.Factory, db.Clock, Ct);
        int again = await RegistryDatabase.SeedParticipantsAsync(db.Factory, db.Clock, Ct);

        Assert.Equal(61, seeded);
        Assert.Equal(0, again);
        var all = await db.Store.ListParticipantsAsync(Ct);
        Assert.Equal(60, all.Count(p => p.Kind == ParticipantKind.Participant));
        Assert.Equal(ParticipantKind.TradingEntity, Assert.Single(all, p => p.Code == "TW").Kind);
        Assert.Equal(2, Assert.Single(all, p => p.Code == "EU").MaxValidityMonths);
        ParticipantInfo car = (await db.Store.GetParticipantAsync("CF", Ct))!.ToParticipantInfo();
        Assert.Equal(ParticipantStatus.Active, car.StatusOn(new DateOnly(2012, 1, 1)));
        Assert.Equal(ParticipantStatus.Suspended, car.StatusOn(new DateOnly(2013, 5, 23)));
        Assert.Equal(ParticipantStatus.ActiveRestricted, car.StatusOn(new DateOnly(2020, 1, 1)));
        Assert.Equal(ParticipantStatus.Active, car.StatusOn(new DateOnly(2025, 6, 1)));
        ParticipantInfo venezuela = (await db.Store.GetParticipantAsync("VE", Ct))!.ToParticipantInfo();
        Assert.Equal(ParticipantStatus.SelfSuspended, venezuela.StatusOn(new DateOnly(2012, 1, 1)));
        ParticipantInfo congo = (await db.Store.GetParticipantAsync("CG", Ct))!.ToParticipantInfo();
        Assert.Equal(ParticipantStatus.Removed, congo.StatusOn(new DateOnly(2005, 1, 1)));
        Assert.Equal(ParticipantStatus.Active, congo.StatusOn(new DateOnly(2007, 11, 8)));
        ParticipantInfo lebanon = (await db.Store.GetParticipantAsync("LB", Ct))!.ToParticipantInfo();
        Assert.Equal(ParticipantStatus.Active, lebanon.StatusOn(new DateOnly(2003, 12, 31)));
        Assert.Equal(ParticipantStatus.Removed, lebanon.StatusOn(new DateOnly(2005, 7, 29)));
        Assert.Equal(ParticipantStatus.Active, lebanon.StatusOn(new DateOnly(2006, 1, 1)));
        // Gabon's provisional acceptance of December 2017 is not participation: admitted 16 November 2018.
        ParticipantInfo gabon = (await db.Store.GetParticipantAsync("GA", Ct))!.ToParticipantInfo();
        Assert.Null(gabon.StatusOn(new DateOnly(2018, 1, 15)));
        Assert.Equal(ParticipantStatus.Active, gabon.StatusOn(new DateOnly(2018, 11, 16)));
        Assert.Null(await db.Store.GetParticipantAsync("BE", Ct));
        Assert.Single(await db.Store.ListAuditAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task AdmitParticipant_WithAuthorityAndZone_RoundTrips()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await db.Store.AdmitParticipantAsync(new NewParticipant("CF", "Central African Republic", Admission, MaxValidityDays: 45, Embargoed: true), Admin, Ct);
        await db.Store.AddAuthorityAsync(new AuthorityInfo("CF-BECDOR", "CF", "BECDOR"), Admin, Ct);
        await db.Store.ApproveZoneAsync("CF", new ZoneApproval("Berberati", new DateOnly(2016, 6, 1), new DateOnly(2024, 11, 1)), Admin, Ct);

        ParticipantRecord? got = await db.Store.GetParticipantAsync("CF", Ct);
        var listed = await db.Store.ListParticipantsAsync(Ct);

        Assert.NotNull(got);
        Assert.Equal("Central African Republic", got.Name);
        Assert.Equal(Admission, got.AdmittedOn);
        Assert.True(got.Embargoed);
        Assert.Equal(45, got.MaxValidityDays);
        Assert.Equal([new StatusPeriod(ParticipantStatus.Active, Admission, null, "admitted")], got.StatusHistory);
        Assert.Equal([new AuthorityInfo("CF-BECDOR", "CF", "BECDOR")], got.Authorities);
        Assert.Equal([new ZoneApproval("Berberati", new DateOnly(2016, 6, 1), new DateOnly(2024, 11, 1))], got.ApprovedZones);
        Assert.True(got.ToParticipantInfo().IsZoneApprovedOn("Berberati", new DateOnly(2020, 1, 1)));
        Assert.Equal(got with { }, Assert.Single(listed) with { StatusHistory = got.StatusHistory, Authorities = got.Authorities, ApprovedZones = got.ApprovedZones, Embargoes = got.Embargoes });
        Assert.Null(await db.Store.GetParticipantAsync("KE", Ct));
    }

    [Fact]
    public async Task Administration_ZonesEmbargoesLicensingRemovals_AppendedAndDerived()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await db.Store.AdmitParticipantAsync(new NewParticipant("CF", "Central African Republic", Admission), Admin, Ct);
        await db.Store.AddAuthorityAsync(new AuthorityInfo("CF-BECDOR", "CF", "BECDOR"), Admin, Ct);
        await db.Store.SetZonesAsync("CF", ["Berberati", "Carnot"], new DateOnly(2016, 1, 1), "framework", Admin, Ct);
        await db.Store.SetZonesAsync("CF", ["Berberati"], new DateOnly(2018, 1, 1), "Carnot withdrawn", Admin, Ct);
        var (_, first) = await db.Store.AddEmbargoAsync(new NewEmbargo("CF", new DateOnly(2013, 5, 1), null, ["AE"], [], "measure", null), Admin, Ct);
        await db.Store.AddEmbargoAsync(new NewEmbargo("CF", new DateOnly(2013, 5, 1), new DateOnly(2016, 1, 1), ["AE"], [], "lifted", first.Id), Admin, Ct);
        await db.Store.SetLicensingAsync("CF", true, "licensed", Admin, Ct);
        ParticipantRecord got = await db.Store.RemoveAuthorityAsync("CF", "CF-BECDOR", new DateOnly(2020, 1, 1), "closed", Admin, Ct);

        ParticipantInfo cf = got.ToParticipantInfo();
        Assert.True(cf.IsZoneApprovedOn("Carnot", new DateOnly(2017, 6, 1)));
        Assert.False(cf.IsZoneApprovedOn("Carnot", new DateOnly(2018, 6, 1)));
        Assert.True(cf.IsZoneApprovedOn("Berberati", new DateOnly(2025, 6, 1)));
        Embargo embargo = Assert.Single(cf.EmbargoList);
        Assert.Equal((new DateOnly(2016, 1, 1), first.Id), (embargo.EffectiveTo!.Value, embargo.Supersedes!.Value));
        Assert.Equal(["AE"], embargo.Destinations);
        Assert.True(cf.LicensesExporters);
        Assert.Equal(new DateOnly(2020, 1, 1), Assert.Single(cf.Authorities).RemovedOn);
        await Assert.ThrowsAsync<StoreConflictException>(() =>
            db.Store.AddEmbargoAsync(new NewEmbargo("CF", new DateOnly(2013, 5, 1), null, [], [], "again", first.Id), Admin, Ct));
        await Assert.ThrowsAsync<StoreConflictException>(() => db.Store.RemoveAuthorityAsync("CF", "CF-BECDOR", new DateOnly(2021, 1, 1), "again", Admin, Ct));
    }

    [Fact]
    public async Task AdmitParticipant_ExistingCode_ThrowsConflictAndWritesNothing()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await db.Store.AdmitParticipantAsync(new NewParticipant("BW", "Botswana", Admission), Admin, Ct);

        await Assert.ThrowsAsync<StoreConflictException>(() => db.Store.AdmitParticipantAsync(new NewParticipant("BW", "Other", Admission), Admin, Ct));

        Assert.Equal("Botswana", (await db.Store.GetParticipantAsync("BW", Ct))!.Name);
        Assert.Single(await db.Store.ListAuditAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task AppendStatus_RecordedOutOfOrder_ReadsBackInEffectiveOrderWithChainedPeriods()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await db.Store.AdmitParticipantAsync(new NewParticipant("CF", "Central African Republic", Admission), Admin, Ct);
        await db.Store.AppendStatusAsync("CF", ParticipantStatus.ActiveRestricted, new DateOnly(2015, 7, 1), "compliant zones", Admin, Ct);
        await db.Store.AppendStatusAsync("CF", ParticipantStatus.Suspended, new DateOnly(2013, 5, 23), "coup", Admin, Ct);
        await db.Store.AppendStatusAsync("CF", ParticipantStatus.Active, new DateOnly(2024, 11, 1), "lifted", Admin, Ct);

        ParticipantRecord got = (await db.Store.GetParticipantAsync("CF", Ct))!;

        Assert.Equal(
            [
                new StatusPeriod(ParticipantStatus.Active, Admission, new DateOnly(2013, 5, 23), "admitted"),
                new StatusPeriod(ParticipantStatus.Suspended, new DateOnly(2013, 5, 23), new DateOnly(2015, 7, 1), "coup"),
                new StatusPeriod(ParticipantStatus.ActiveRestricted, new DateOnly(2015, 7, 1), new DateOnly(2024, 11, 1), "compliant zones"),
                new StatusPeriod(ParticipantStatus.Active, new DateOnly(2024, 11, 1), null, "lifted"),
            ],
            got.StatusHistory);
        await Assert.ThrowsAsync<StoreNotFoundException>(() => db.Store.AppendStatusAsync("KE", ParticipantStatus.Active, Admission, "", Admin, Ct));
    }

    [Fact]
    public async Task AddKey_ManagedKey_RoundTripsWithEventsAndSealedKeyApart()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await ArrangeBotswanaAsync(db);
        NewKey key = NewKeyFor("BW", null, KeyAlgorithm.MlDsa65);

        KeyRecord added = await db.Store.AddKeyAsync(key, As("key.add", key.KeyId), Ct);
        KeyRecord? got = await db.Store.GetKeyAsync(key.KeyId, Ct);

        Assert.NotNull(got);
        Assert.Equal(added, got with { Spki = added.Spki });
        Assert.Equal(key.Spki, got.Spki);
        Assert.Null(got.AuthorityCode);
        Assert.Equal(KeyAlgorithm.MlDsa65, got.Algorithm);
        Assert.Equal(KeyCustody.Managed, got.Custody);
        Assert.Equal(KeyState.Active, got.State);
        Assert.Equal(key.NotBefore, got.NotBefore);
        Assert.Equal(key.NotAfter, got.NotAfter);
        Assert.Equal(TimeSpan.Zero, got.NotAfter!.Value.Offset);
        Assert.Equal(key.SealedPrivateKey, await db.Store.GetSealedPrivateKeyAsync(key.KeyId, Ct));
        Assert.Equal([KeyEventKind.Created, KeyEventKind.Activated], (await db.Store.ListKeyEventsAsync(key.KeyId, Ct)).Select(e => e.Kind));
        Assert.Equal(2, (await db.Store.ListKeysByParticipantAsync("BW", Ct)).Count);
        Assert.Equal(2, (await db.Store.ListKeysAsync(Ct)).Count);
        Assert.Null(await db.Store.GetKeyAsync(new string('0', 64), Ct));
    }

    [Fact]
    public async Task AddKey_HeldKey_StoresNoPrivateKey()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await ArrangeBotswanaAsync(db);
        NewKey key = NewKeyFor("BW", null, managed: false);

        await db.Store.AddKeyAsync(key, Admin, Ct);

        Assert.Null(await db.Store.GetSealedPrivateKeyAsync(key.KeyId, Ct));
        Assert.Equal(KeyCustody.Held, (await db.Store.GetKeyAsync(key.KeyId, Ct))!.Custody);
    }

    [Theory]
    [InlineData("BW-MMEWR")]
    [InlineData(null)]
    public async Task AddKey_SecondActiveKeyInSlot_ThrowsConflictAndWritesNothing(string? authority)
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await ArrangeBotswanaAsync(db);
        await db.Store.AddKeyAsync(NewKeyFor("BW", null), Admin, Ct);
        int audits = (await db.Store.ListAuditAsync(cancellationToken: Ct)).Count;
        NewKey second = NewKeyFor("BW", authority);

        await Assert.ThrowsAsync<StoreConflictException>(() => db.Store.AddKeyAsync(second, Admin, Ct));

        Assert.Null(await db.Store.GetKeyAsync(second.KeyId, Ct));
        Assert.Empty(await db.Store.ListKeyEventsAsync(second.KeyId, Ct));
        Assert.Equal(audits, (await db.Store.ListAuditAsync(cancellationToken: Ct)).Count);
        // Another algorithm is another slot.
        await db.Store.AddKeyAsync(NewKeyFor("BW", authority, KeyAlgorithm.EcdsaP256), Admin, Ct);
    }

    [Theory]
    [InlineData("BW-MMEWR")]
    [InlineData("")]
    public async Task KeysTable_SecondActiveRowBypassingStore_DatabaseRefuses(string authority)
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await ArrangeBotswanaAsync(db);
        KeyRow Row(KeyState state)
        {
            byte[] spki = RandomNumberGenerator.GetBytes(44);
            return new KeyRow
            {
                KeyId = KeyIds.FromSpki(spki), ParticipantCode = "BW", AuthorityCode = authority, Algorithm = KeyAlgorithm.EcdsaP256,
                Custody = KeyCustody.Held, Spki = spki, NotBefore = db.Clock.GetUtcNow(), CreatedAt = db.Clock.GetUtcNow(), State = state,
            };
        }

        await using (RegistryDbContext context = db.NewContext())
        {
            context.Keys.AddRange(Row(KeyState.Active), Row(KeyState.Retired), Row(KeyState.Revoked));
            await context.SaveChangesAsync(Ct);
        }
        await using (RegistryDbContext context = db.NewContext())
        {
            context.Keys.Add(Row(KeyState.Active));
            var e = await Assert.ThrowsAsync<DbUpdateException>(() => context.SaveChangesAsync(Ct));
            Assert.True(DbErrors.IsUniqueViolation(e), e.InnerException?.Message);
        }
    }

    [Fact]
    public async Task RotateKey_ActiveKey_RetiresOldAndActivatesNewInOneStep()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord old = await ArrangeBotswanaAsync(db);
        NewKey next = NewKeyFor("BW", "BW-MMEWR");

        KeyRecord rotated = await db.Store.RotateKeyAsync(old.KeyId, next, As("key.rotate", old.KeyId), Ct);

        KeyRecord oldNow = (await db.Store.GetKeyAsync(old.KeyId, Ct))!;
        Assert.Equal(KeyState.Retired, oldNow.State);
        Assert.Equal(rotated.CreatedAt, oldNow.RetiredAt);
        Assert.Equal(KeyState.Active, (await db.Store.GetKeyAsync(next.KeyId, Ct))!.State);
        Assert.Equal([KeyEventKind.Created, KeyEventKind.Activated, KeyEventKind.Retired], (await db.Store.ListKeyEventsAsync(old.KeyId, Ct)).Select(e => e.Kind));
        Assert.Equal([KeyEventKind.Created, KeyEventKind.Activated], (await db.Store.ListKeyEventsAsync(next.KeyId, Ct)).Select(e => e.Kind));
        Assert.Equal("key.rotate", (await db.Store.ListAuditAsync(cancellationToken: Ct))[^1].Action);
    }

    [Fact]
    public async Task RotateKey_NewKeyRefused_OldKeyStaysActive()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord old = await ArrangeBotswanaAsync(db);
        NewKey other = NewKeyFor("BW", null);
        await db.Store.AddKeyAsync(other, Admin, Ct);
        int audits = (await db.Store.ListAuditAsync(cancellationToken: Ct)).Count;
        // The new key's id is already registered: the insert fails after the retire statement ran.
        NewKey clash = other with { AuthorityCode = "BW-MMEWR" };

        await Assert.ThrowsAsync<StoreConflictException>(() => db.Store.RotateKeyAsync(old.KeyId, clash, Admin, Ct));

        KeyRecord oldNow = (await db.Store.GetKeyAsync(old.KeyId, Ct))!;
        Assert.Equal(KeyState.Active, oldNow.State);
        Assert.Null(oldNow.RetiredAt);
        Assert.Equal(2, (await db.Store.ListKeyEventsAsync(old.KeyId, Ct)).Count);
        Assert.Equal(audits, (await db.Store.ListAuditAsync(cancellationToken: Ct)).Count);
    }

    [Fact]
    public async Task RotateKey_RetiredOrUnknownKey_Refused()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord old = await ArrangeBotswanaAsync(db);
        await db.Store.RotateKeyAsync(old.KeyId, NewKeyFor("BW", "BW-MMEWR"), Admin, Ct);

        await Assert.ThrowsAsync<StoreConflictException>(() => db.Store.RotateKeyAsync(old.KeyId, NewKeyFor("BW", "BW-MMEWR"), Admin, Ct));
        await Assert.ThrowsAsync<StoreNotFoundException>(() => db.Store.RotateKeyAsync(new string('a', 64), NewKeyFor("BW", "BW-MMEWR"), Admin, Ct));
        string current = (await db.Store.ListKeysAsync(Ct))[^1].KeyId;
        // The new key must take the old key's slot (participant and authority).
        await Assert.ThrowsAsync<StoreConflictException>(() => db.Store.RotateKeyAsync(current, NewKeyFor("BW", null), Admin, Ct));
    }

    [Fact]
    public async Task RotateKey_TwoConcurrentRotations_ExactlyOneSucceedsAndOneKeyIsActive()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord old = await ArrangeBotswanaAsync(db);
        NewKey a = NewKeyFor("BW", "BW-MMEWR");
        NewKey b = NewKeyFor("BW", "BW-MMEWR");

        async Task<(KeyRecord? Rotated, Exception? Error)> Rotate(NewKey next)
        {
            try
            {
                return (await db.Store.RotateKeyAsync(old.KeyId, next, Admin, Ct), null);
            }
            catch (Exception e)
            {
                return (null, e);
            }
        }

        var outcomes = await Task.WhenAll(Task.Run(() => Rotate(a)), Task.Run(() => Rotate(b)));

        KeyRecord winner = Assert.Single(outcomes, o => o.Rotated is not null).Rotated!;
        Assert.IsType<StoreConflictException>(Assert.Single(outcomes, o => o.Error is not null).Error);
        var active = (await db.Store.ListKeysByParticipantAsync("BW", Ct)).Where(k => k.State == KeyState.Active).ToList();
        Assert.Equal(winner.KeyId, Assert.Single(active).KeyId);
        Assert.Equal(KeyState.Retired, (await db.Store.GetKeyAsync(old.KeyId, Ct))!.State);
    }

    [Fact]
    public async Task RevokeKey_TwoKeysAndACancellation_AppendsRevocationsWithIncreasingVersions()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord first = await ArrangeBotswanaAsync(db);
        KeyRecord second = await db.Store.AddKeyAsync(NewKeyFor("BW", null), Admin, Ct);
        await db.Store.AddCertificateAsync(NewCertificateFor(first.KeyId, "BW000001"), Admin, Ct);
        var since = new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.FromHours(2));

        RevocationRecord r1 = await db.Store.RevokeKeyAsync(first.KeyId, since, "officials issued fraudulent certificates", As("key.revoke", first.KeyId), Ct);
        RevocationRecord r2 = await db.Store.RevokeKeyAsync(second.KeyId, since.AddDays(1), "lost", Admin, Ct);
        await db.Store.AppendCertificateEventAsync("BW", "BW000001", new NewCertificateEvent(CertificateEventKind.Cancelled, "shipment called off"), Admin, Ct);

        Assert.Equal(1, r1.Version);
        Assert.Equal(2, r2.Version);
        var all = await db.Store.ListRevocationsSinceAsync(0, cancellationToken: Ct);
        Assert.Equal([1L, 2L, 3L], all.Select(r => r.Version));
        Assert.Equal(r1, all[0]);
        Assert.Equal(RevocationSubject.Key, r1.Kind);
        Assert.Equal(first.KeyId, r1.KeyId);
        Assert.Equal(since, r1.CompromisedSince);
        Assert.Equal(new RevocationRecord(3, RevocationSubject.Certificate, null, "BW", "BW000001", "shipment called off", null, all[2].RecordedAt), all[2]);
        Assert.Equal([2L, 3L], (await db.Store.ListRevocationsSinceAsync(1, cancellationToken: Ct)).Select(r => r.Version));
        KeyRecord revoked = (await db.Store.GetKeyAsync(first.KeyId, Ct))!;
        Assert.Equal(KeyState.Revoked, revoked.State);
        Assert.Equal(since, revoked.CompromisedSince);
        Assert.Equal("officials issued fraudulent certificates", revoked.RevocationReason);
        Assert.Equal(KeyEventKind.Revoked, (await db.Store.ListKeyEventsAsync(first.KeyId, Ct))[^1].Kind);
        await Assert.ThrowsAsync<StoreConflictException>(() => db.Store.RevokeKeyAsync(first.KeyId, since, "again", Admin, Ct));
        Assert.Equal(3, (await db.Store.ListRevocationsSinceAsync(0, cancellationToken: Ct)).Count);
    }

    [Fact]
    public async Task AddCertificate_New_RoundTripsEveryFieldAndTheExactBytes()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord key = await ArrangeBotswanaAsync(db);
        NewCertificate certificate = NewCertificateFor(key.KeyId, "BW000123");

        CertificateRecord added = await db.Store.AddCertificateAsync(certificate, As("certificate.record", "BW/BW000123"), Ct);
        CertificateRecord? got = await db.Store.GetCertificateAsync("BW", "BW000123", Ct);

        Assert.NotNull(got);
        Assert.Equal(certificate.Envelope, got.Envelope);
        Assert.Equal(certificate.PayloadSha256, got.PayloadSha256);
        Assert.Equal(
            (certificate.IssuingParticipant, certificate.CertificateNumber, certificate.IssuingAuthority, certificate.KeyId, certificate.DateOfIssue, certificate.DateOfExpiry, certificate.DestinationParticipant, certificate.TotalCaratsHundredths, certificate.TotalValueUsdCents),
            (got.IssuingParticipant, got.CertificateNumber, got.IssuingAuthority, got.KeyId, got.DateOfIssue, got.DateOfExpiry, got.DestinationParticipant, got.TotalCaratsHundredths, got.TotalValueUsdCents));
        Assert.Equal(added.RecordedAt, got.RecordedAt);
        Assert.Equal(added.Id, got.Id);
        Assert.Equal(CertificateState.Issued, got.State);
        Assert.Empty(got.Events);
        Assert.Null(await db.Store.GetCertificateAsync("BW", "BW999999", Ct));
        await Assert.ThrowsAsync<StoreNotFoundException>(() => db.Store.AddCertificateAsync(NewCertificateFor(new string('f', 64), "BW000124"), Admin, Ct));
    }

    [Fact]
    public async Task AddCertificate_DuplicateNumber_ThrowsDuplicateAndKeepsTheFirstIntact()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord key = await ArrangeBotswanaAsync(db);
        NewCertificate first = NewCertificateFor(key.KeyId, "BW000123");
        await db.Store.AddCertificateAsync(first, Admin, Ct);
        int audits = (await db.Store.ListAuditAsync(cancellationToken: Ct)).Count;
        NewCertificate second = NewCertificateFor(key.KeyId, "BW000123") with { TotalCaratsHundredths = 1 };

        var e = await Assert.ThrowsAsync<DuplicateCertificateException>(() => db.Store.AddCertificateAsync(second, Admin, Ct));

        Assert.Equal(("BW", "BW000123"), (e.IssuingParticipant, e.CertificateNumber));
        CertificateRecord kept = (await db.Store.GetCertificateAsync("BW", "BW000123", Ct))!;
        Assert.Equal(first.Envelope, kept.Envelope);
        Assert.Equal(first.TotalCaratsHundredths, kept.TotalCaratsHundredths);
        Assert.Equal(1, await CountAsync<CertificateRow>(db));
        Assert.Equal(audits, (await db.Store.ListAuditAsync(cancellationToken: Ct)).Count);
        // The same number from another issuer is another certificate.
        await db.Store.AdmitParticipantAsync(new NewParticipant("NA", "Namibia", Admission), Admin, Ct);
        KeyRecord namibia = await db.Store.AddKeyAsync(NewKeyFor("NA", null), Admin, Ct);
        await db.Store.AddCertificateAsync(NewCertificateFor(namibia.KeyId, "BW000123") with { IssuingParticipant = "NA", IssuingAuthority = "" }, Admin, Ct);
    }

    [Fact]
    public async Task AddCertificate_SameNumberConcurrently_ExactlyOneIsRecorded()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord key = await ArrangeBotswanaAsync(db);
        NewCertificate[] attempts = [.. Enumerable.Range(0, 4).Select(_ => NewCertificateFor(key.KeyId, "BW000777"))];
        async Task<Exception?> Add(NewCertificate c)
        {
            try
            {
                await db.Store.AddCertificateAsync(c, Admin, Ct);
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }

        Exception?[] outcomes = await Task.WhenAll(attempts.Select(c => Task.Run(() => Add(c))));

        Assert.Single(outcomes, e => e is null);
        Assert.All(outcomes.Where(e => e is not null), e => Assert.IsType<DuplicateCertificateException>(e));
        CertificateRecord kept = (await db.Store.GetCertificateAsync("BW", "BW000777", Ct))!;
        Assert.Contains(attempts, a => a.Envelope.AsSpan().SequenceEqual(kept.Envelope));
        Assert.Equal(1, await CountAsync<CertificateRow>(db));
    }

    [Fact]
    public async Task RevokeKey_ManyConcurrently_VersionsAreDistinctAndGapless()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await ArrangeBotswanaAsync(db);
        var keys = new List<KeyRecord>();
        foreach (KeyAlgorithm algorithm in new[] { KeyAlgorithm.Ed25519, KeyAlgorithm.EcdsaP256, KeyAlgorithm.MlDsa65 })
        {
            keys.Add(await db.Store.AddKeyAsync(NewKeyFor("BW", null, algorithm), Admin, Ct));
        }
        keys.AddRange(await db.Store.ListKeysByParticipantAsync("BW", Ct));
        var distinct = keys.DistinctBy(k => k.KeyId).ToList();

        RevocationRecord[] revocations = await Task.WhenAll(distinct.Select(k => Task.Run(() => db.Store.RevokeKeyAsync(k.KeyId, db.Clock.GetUtcNow(), "test", Admin, Ct))));

        Assert.Equal(Enumerable.Range(1, distinct.Count).Select(i => (long)i), revocations.Select(r => r.Version).Order());
        Assert.Equal(Enumerable.Range(1, distinct.Count).Select(i => (long)i), (await db.Store.ListRevocationsSinceAsync(0, cancellationToken: Ct)).Select(r => r.Version));
    }

    [Fact]
    public async Task AppendCertificateEvent_Sequence_DerivesStateAndRefusesWhatCannotFollow()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord key = await ArrangeBotswanaAsync(db);
        await db.Store.AddCertificateAsync(NewCertificateFor(key.KeyId, "BW000001"), Admin, Ct);
        await db.Store.AddCertificateAsync(NewCertificateFor(key.KeyId, "BW000002"), Admin, Ct);
        await db.Store.AddCertificateAsync(NewCertificateFor(key.KeyId, "BW000003"), Admin, Ct);

        CertificateRecord detained = await db.Store.AppendCertificateEventAsync("BW", "BW000001", new NewCertificateEvent(CertificateEventKind.Detained, "carats differ"), As("certificate.detain", "BW/BW000001"), Ct);
        CertificateRecord received = await db.Store.AppendCertificateEventAsync("BW", "BW000001", new NewCertificateEvent(CertificateEventKind.Received, "reweighed"), Admin, Ct);
        CertificateRecord replaced = await db.Store.AppendCertificateEventAsync("BW", "BW000002", new NewCertificateEvent(CertificateEventKind.Replaced, "damaged", "BW000003"), Admin, Ct);

        Assert.Equal(CertificateState.Detained, detained.State);
        Assert.Equal(CertificateState.Received, received.State);
        Assert.Equal([(1, CertificateEventKind.Detained), (2, CertificateEventKind.Received)], received.Events.Select(e => (e.Sequence, e.Kind)));
        Assert.Equal("CN=bw-authority,O=BW", received.Events[0].Actor);
        Assert.Equal(CertificateState.Replaced, replaced.State);
        Assert.Equal(new CertificateRecordInfo("BW", "BW000002", key.KeyId, replaced.PayloadSha256, replaced.RecordedAt, CertificateState.Replaced, "damaged", "BW000003"), replaced.ToRecordInfo());
        await Assert.ThrowsAsync<StoreConflictException>(() => db.Store.AppendCertificateEventAsync("BW", "BW000001", new NewCertificateEvent(CertificateEventKind.Received, "twice"), Admin, Ct));
        await Assert.ThrowsAsync<StoreConflictException>(() => db.Store.AppendCertificateEventAsync("BW", "BW000002", new NewCertificateEvent(CertificateEventKind.Cancelled, "after replace"), Admin, Ct));
        await Assert.ThrowsAsync<StoreNotFoundException>(() => db.Store.AppendCertificateEventAsync("BW", "BW999999", new NewCertificateEvent(CertificateEventKind.Cancelled, ""), Admin, Ct));
        Assert.Empty(await db.Store.ListRevocationsSinceAsync(0, cancellationToken: Ct));
    }

    [Fact]
    public async Task ReadAllCertificateRecords_SmallBatches_StreamsEveryRecordInOrderWithState()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord key = await ArrangeBotswanaAsync(db);
        for (int i = 1; i <= 5; i++)
        {
            await db.Store.AddCertificateAsync(NewCertificateFor(key.KeyId, $"BW{i:D6}"), Admin, Ct);
        }
        await db.Store.AppendCertificateEventAsync("BW", "BW000004", new NewCertificateEvent(CertificateEventKind.Cancelled, "stolen"), Admin, Ct);

        var records = new List<CertificateRecordInfo>();
        await foreach (CertificateRecordInfo record in db.Store.ReadAllCertificateRecordsAsync(batchSize: 2, Ct))
        {
            records.Add(record);
        }

        Assert.Equal(["BW000001", "BW000002", "BW000003", "BW000004", "BW000005"], records.Select(r => r.CertificateNumber));
        Assert.Equal(CertificateState.Cancelled, records[3].State);
        Assert.Equal("stolen", records[3].StateReason);
        Assert.All(records.Where(r => r.CertificateNumber != "BW000004"), r => Assert.Equal(CertificateState.Issued, r.State));
        CertificateRecord third = (await db.Store.GetCertificateAsync("BW", "BW000003", Ct))!;
        Assert.Equal(third.ToRecordInfo() with { PayloadSha256 = records[2].PayloadSha256 }, records[2]);
        Assert.Equal(third.PayloadSha256, records[2].PayloadSha256);
    }

    [Fact]
    public async Task Times_OrderAndCompare_InTheDatabaseAsInstants()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord key = await ArrangeBotswanaAsync(db);
        var recorded = new List<DateTimeOffset>();
        for (int i = 1; i <= 3; i++)
        {
            recorded.Add((await db.Store.AddCertificateAsync(NewCertificateFor(key.KeyId, $"BW{i:D6}"), Admin, Ct)).RecordedAt);
            db.Clock.Advance(TimeSpan.FromDays(400));
        }
        // An instant given with another offset compares as the same instant.
        DateTimeOffset bound = recorded[0].ToOffset(TimeSpan.FromHours(-5));

        await using RegistryDbContext context = db.NewContext();
        var after = await context.Certificates.Where(c => c.RecordedAt > bound).OrderByDescending(c => c.RecordedAt).Select(c => c.RecordedAt).ToListAsync(Ct);

        Assert.Equal([recorded[2], recorded[1]], after);
        Assert.All(after, t => Assert.Equal(TimeSpan.Zero, t.Offset));
    }

    [Fact]
    public async Task EveryChange_AppendsOneAuditRowInTheSameTransaction()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord key = await ArrangeBotswanaAsync(db);
        await db.Store.ApproveZoneAsync("BW", new ZoneApproval("Jwaneng", Admission, null), As("zone.approve", "BW/Jwaneng"), Ct);
        await db.Store.AppendStatusAsync("BW", ParticipantStatus.Active, new DateOnly(2010, 1, 1), "", As("participant.status", "BW"), Ct);
        await db.Store.AddCertificateAsync(NewCertificateFor(key.KeyId, "BW000001"), As("certificate.record", "BW/BW000001"), Ct);
        await db.Store.AppendCertificateEventAsync("BW", "BW000001", new NewCertificateEvent(CertificateEventKind.Received, ""), As("certificate.receive", "BW/BW000001"), Ct);
        KeyRecord next = await db.Store.RotateKeyAsync(key.KeyId, NewKeyFor("BW", "BW-MMEWR"), As("key.rotate", key.KeyId), Ct);
        await db.Store.RevokeKeyAsync(next.KeyId, db.Clock.GetUtcNow(), "lost", As("key.revoke", next.KeyId), Ct);

        var audit = await db.Store.ListAuditAsync(cancellationToken: Ct);

        Assert.Equal(["test", "test", "test", "test", "zone.approve", "participant.status", "certificate.record", "certificate.receive", "key.rotate", "key.revoke"], audit.Select(a => a.Action));
        AuditRecord revoke = audit[^1];
        Assert.Equal(("CN=bw-authority,O=BW", next.KeyId, "details of key.revoke"), (revoke.Actor, revoke.Subject, revoke.Details));
        Assert.True(audit.Zip(audit.Skip(1)).All(p => p.First.Id < p.Second.Id && p.First.At < p.Second.At));
        Assert.Equal(audit.Skip(5).Select(a => a.Id), (await db.Store.ListAuditAsync(audit[4].Id, cancellationToken: Ct)).Select(a => a.Id));
    }

    [Fact]
    public async Task RegistryKeyChain_KeysWithLinks_ReadBackInOrderAndASecondLinkAtOnePlaceIsRefused()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        Assert.True(await db.Store.EnsureKeyHolderAsync("XR", "Registry", Admin, Ct));
        Assert.False(await db.Store.EnsureKeyHolderAsync("XR", "Registry", Admin, Ct));
        NewKey first = NewKeyFor("XR", null) with { RegistryChainLink = null };
        first = first with { RegistryChainLink = new RegistryKeyLink(1, first.KeyId, [1, 2, 3]) };
        NewKey second = NewKeyFor("XR", null);
        second = second with { RegistryChainLink = new RegistryKeyLink(2, second.KeyId, [4, 5, 6]) };
        NewKey rival = NewKeyFor("XR", null);
        rival = rival with { RegistryChainLink = new RegistryKeyLink(2, rival.KeyId, [7]) };

        await db.Store.AddKeyAsync(first, Admin, Ct);
        await db.Store.RotateKeyAsync(first.KeyId, second, Admin, Ct);
        await Assert.ThrowsAnyAsync<StoreException>(() => db.Store.RotateKeyAsync(second.KeyId, rival, Admin, Ct));

        var links = await db.Store.ListRegistryKeyLinksAsync(Ct);
        Assert.Equal([1L, 2L], links.Select(l => l.Sequence));
        Assert.Equal([first.KeyId, second.KeyId], links.Select(l => l.KeyId));
        Assert.Equal(new byte[] { 4, 5, 6 }, links[1].Statement);
        Assert.Equal(KeyState.Active, (await db.Store.GetKeyAsync(second.KeyId, Ct))!.State);
        Assert.Empty((await db.Store.ListParticipantsAsync(Ct)).Single(p => p.Code == "XR").StatusHistory);
    }

    [Fact]
    public async Task RevocationEntries_CancelledCertificate_CarryThePayloadHashAndRecordedTime()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord key = await ArrangeBotswanaAsync(db);
        NewCertificate certificate = NewCertificateFor(key.KeyId, "BW000001");
        CertificateRecord recorded = await db.Store.AddCertificateAsync(certificate, Admin, Ct);
        long versionBefore = await db.Store.GetRegistryVersionAsync(Ct);
        await db.Store.AppendCertificateEventAsync("BW", "BW000001", new NewCertificateEvent(CertificateEventKind.Cancelled, "lost"), Admin, Ct);
        await db.Store.RevokeKeyAsync(key.KeyId, recorded.RecordedAt, "compromised", Admin, Ct);

        var entries = await db.Store.ListRevocationEntriesSinceAsync(0, cancellationToken: Ct);
        var signed = await db.Store.ListCertificatesSignedSinceAsync(key.KeyId, recorded.RecordedAt, Ct);

        Assert.Equal(2, entries.Count);
        Assert.Equal(certificate.PayloadSha256, entries[0].PayloadSha256);
        Assert.Equal(recorded.RecordedAt, entries[0].CertificateRecordedAt);
        Assert.Null(entries[1].PayloadSha256);
        Assert.Equal(2, await db.Store.GetRevocationVersionAsync(Ct));
        Assert.Single(await db.Store.ListRevocationEntriesSinceAsync(1, cancellationToken: Ct));
        Assert.Equal([("BW", "BW000001")], signed);
        Assert.Empty(await db.Store.ListCertificatesSignedSinceAsync(key.KeyId, recorded.RecordedAt.AddTicks(1), Ct));
        Assert.True(await db.Store.GetRegistryVersionAsync(Ct) > versionBefore, "a key revocation changes the registry version");
    }

    [Fact]
    public async Task GetRegistryVersionAsync_EachRegistryChange_RaisesItByOneAndCertificatesLeaveIt()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord key = await ArrangeBotswanaAsync(db);
        long arranged = await db.Store.GetRegistryVersionAsync(Ct);

        await db.Store.AddCertificateAsync(NewCertificateFor(key.KeyId, "BW000001"), Admin, Ct);
        await db.Store.AppendCertificateEventAsync("BW", "BW000001", new NewCertificateEvent(CertificateEventKind.Cancelled, "lost"), Admin, Ct);
        long afterCertificates = await db.Store.GetRegistryVersionAsync(Ct);
        await db.Store.RevokeKeyAsync(key.KeyId, db.Clock.GetUtcNow(), "compromised", Admin, Ct);
        long afterRevocation = await db.Store.GetRegistryVersionAsync(Ct);
        await db.Store.AppendStatusAsync("BW", ParticipantStatus.Suspended, new DateOnly(2026, 4, 1), "review", Admin, Ct);

        Assert.True(arranged > 0, "arranging a participant and its key changed the registry");
        Assert.Equal(arranged, afterCertificates);
        Assert.Equal(arranged + 1, afterRevocation);
        Assert.Equal(arranged + 2, await db.Store.GetRegistryVersionAsync(Ct));
    }

    [Fact]
    public async Task ListRevocationEntriesSinceAsync_Max_ReturnsTheOldestEntriesInVersionOrder()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        KeyRecord key = await ArrangeBotswanaAsync(db);
        NewCertificate first = NewCertificateFor(key.KeyId, "BW000001");
        await db.Store.AddCertificateAsync(first, Admin, Ct);
        await db.Store.AddCertificateAsync(NewCertificateFor(key.KeyId, "BW000002"), Admin, Ct);
        await db.Store.AppendCertificateEventAsync("BW", "BW000001", new NewCertificateEvent(CertificateEventKind.Cancelled, "one"), Admin, Ct);
        await db.Store.AppendCertificateEventAsync("BW", "BW000002", new NewCertificateEvent(CertificateEventKind.Cancelled, "two"), Admin, Ct);
        await db.Store.RevokeKeyAsync(key.KeyId, db.Clock.GetUtcNow(), "compromised", Admin, Ct);

        var two = await db.Store.ListRevocationEntriesSinceAsync(0, max: 2, cancellationToken: Ct);
        var after = await db.Store.ListRevocationEntriesSinceAsync(2, cancellationToken: Ct);

        Assert.Equal([1L, 2L], two.Select(e => e.Revocation.Version));
        Assert.Equal(["BW000001", "BW000002"], two.Select(e => e.Revocation.CertificateNumber));
        Assert.Equal(first.PayloadSha256, two[0].PayloadSha256);
        Assert.Equal([3L], after.Select(e => e.Revocation.Version));
        Assert.Equal(RevocationSubject.Key, after[0].Revocation.Kind);
        Assert.Null(after[0].PayloadSha256);
        Assert.Null(after[0].CertificateRecordedAt);
    }


    [Fact]
    public async Task AdministrationChanges_EachOne_AppendsItsLogEntryWithTheChange()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await ArrangeBotswanaAsync(db);
        long before = (await db.Store.ReadLogEntriesAsync(0, 10_000, Ct)).Count;

        await db.Store.AddAuthorityAsync(new AuthorityInfo("BW-GDV", "BW", "Government Diamond Valuator"), Admin, Ct);
        await db.Store.RemoveAuthorityAsync("BW", "BW-GDV", new DateOnly(2026, 3, 1), "merged into BW-MMEWR", Admin, Ct);
        await db.Store.SetZonesAsync("BW", ["Orapa", "Jwaneng"], new DateOnly(2026, 1, 1), "new mines", Admin, Ct);
        await db.Store.ApproveZoneAsync("BW", new ZoneApproval("Karowe", new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1)), Admin, Ct);
        var (_, embargo) = await db.Store.AddEmbargoAsync(new NewEmbargo("BW", new DateOnly(2026, 1, 1), null, ["EU"], ["CF"], "UN measure", null), Admin, Ct);
        await db.Store.SetLicensingAsync("BW", true, "licensing act", Admin, Ct);
        // A refused change logs nothing.
        await Assert.ThrowsAsync<StoreConflictException>(() => db.Store.RemoveAuthorityAsync("BW", "BW-GDV", new DateOnly(2026, 4, 1), "again", Admin, Ct));

        var entries = (await db.Store.ReadLogEntriesAsync(before, 100, Ct)).Select(e => Domain.Transparency.LogEntries.Parse(e.Entry)).ToList();
        Assert.Equal(
        [
            LogEntryKind.AuthorityAdded, LogEntryKind.AuthorityRemoved, LogEntryKind.ZonesSet,
            LogEntryKind.ZoneApproved, LogEntryKind.EmbargoAdded, LogEntryKind.LicensingSet,
        ], entries.Select(e => e.Kind));
        Assert.All(entries, e => Assert.Equal(Admin.Actor, e.Actor));
        Assert.Equal(("BW", "BW-GDV", "Government Diamond Valuator"), (entries[0].AuthorityEvent.Participant, entries[0].AuthorityEvent.Authority, entries[0].AuthorityEvent.Name));
        Assert.Equal(("BW-GDV", "2026-03-01", "merged into BW-MMEWR"), (entries[1].AuthorityEvent.Authority, entries[1].AuthorityEvent.EffectiveOn, entries[1].AuthorityEvent.Reason));
        Assert.Equal(["Orapa", "Jwaneng"], entries[2].ZonesEvent.Zones);
        Assert.Equal(("Karowe", "2026-01-01", "2027-01-01"), (entries[3].ZonesEvent.Zones.Single(), entries[3].ZonesEvent.EffectiveFrom, entries[3].ZonesEvent.EffectiveTo));
        Assert.Equal((embargo.Id, "EU", "CF", "UN measure"), (entries[4].EmbargoEvent.EmbargoId, entries[4].EmbargoEvent.Destinations.Single(), entries[4].EmbargoEvent.Origins.Single(), entries[4].EmbargoEvent.Reason));
        Assert.True(entries[5].LicensingEvent.LicensesExporters);
    }
}

/// <summary>The conformance suite on SQLite (a temp file): always runs.</summary>
public sealed class SqliteRegistryStoreTests : RegistryStoreConformanceTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => SqliteTestDatabase.CreateAsync();
}

/// <summary>The conformance suite on SQL Server: runs when KPREG_TEST_SQLSERVER is set, is reported skipped otherwise.</summary>
public sealed class SqlServerRegistryStoreTests : RegistryStoreConformanceTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => SqlServerTestDatabase.CreateAsync();
}
