using System.Security.Cryptography;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage.Tests;

/// <summary>
/// <see cref="RegistryStore.AddCertificatesAsync"/> (group commit), on every provider: one
/// transaction for the batch, an audit row per certificate, and a certificate that cannot be
/// recorded fails alone while the rest of its batch lands.
/// </summary>
public abstract class CertificateBatchConformanceTests
{
    private static readonly AuditEntry Admin = new("CN=admin,O=KP", "test", "test");

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> ArrangeBotswanaKeyAsync(TestDatabase db)
    {
        await db.Store.AdmitParticipantAsync(new NewParticipant("BW", "Botswana", new DateOnly(2003, 1, 1)), Admin, Ct);
        byte[] spki = RandomNumberGenerator.GetBytes(44);
        var key = new NewKey(KeyIds.FromSpki(spki), "BW", null, KeyAlgorithm.Ed25519, KeyCustody.Managed, spki, RandomNumberGenerator.GetBytes(80),
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), null);
        return (await db.Store.AddKeyAsync(key, Admin, Ct)).KeyId;
    }

    private static CertificateToRecord Item(string keyId, string number, string issuer = "BW")
    {
        byte[] envelope = RandomNumberGenerator.GetBytes(300);
        return new CertificateToRecord(
            new NewCertificate(issuer, number, "BW-KP", keyId, envelope, SHA256.HashData(envelope), new DateOnly(2026, 2, 27), new DateOnly(2026, 4, 27), "EU", 100, 200),
            new AuditEntry("CN=bw-authority,O=BW", "certificate.issue", $"{issuer}/{number}"));
    }

    private static async Task<int> CountAsync<T>(TestDatabase db)
        where T : class
    {
        await using RegistryDbContext context = db.NewContext();
        return await context.Set<T>().CountAsync(Ct);
    }

    [Fact]
    public async Task AddCertificates_NewNumbers_RecordsEveryOneWithItsAuditRowAndExactBytes()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        string keyId = await ArrangeBotswanaKeyAsync(db);
        int auditBefore = await CountAsync<AuditEventRow>(db);
        CertificateToRecord[] batch = [.. Enumerable.Range(1, 50).Select(i => Item(keyId, $"BW{i:D6}"))];

        IReadOnlyList<CertificateBatchOutcome> outcomes = await db.Store.AddCertificatesAsync(batch, Ct);

        Assert.Equal(50, outcomes.Count);
        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(batch.Select(b => b.Certificate.CertificateNumber), outcomes.Select(o => o.Record!.CertificateNumber));
        Assert.Equal(50, await CountAsync<CertificateRow>(db));
        Assert.Equal(auditBefore + 50, await CountAsync<AuditEventRow>(db));
        CertificateRecord got = (await db.Store.GetCertificateAsync("BW", "BW000007", Ct))!;
        Assert.Equal(batch[6].Certificate.Envelope, got.Envelope);
        Assert.Equal(batch[6].Certificate.PayloadSha256, got.PayloadSha256);
        Assert.Equal(CertificateState.Issued, got.State);
        IReadOnlyList<AuditRecord> audit = await db.Store.ListAuditAsync(0, 1000, Ct);
        Assert.Contains(audit, a => a.Action == "certificate.issue" && a.Subject == "BW/BW000050");
    }

    [Fact]
    public async Task AddCertificates_NumberAlreadyRecorded_FailsOnlyThatOneAndTheFirstRecordStaysIntact()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        string keyId = await ArrangeBotswanaKeyAsync(db);
        CertificateToRecord first = Item(keyId, "BW000002");
        await db.Store.AddCertificateAsync(first.Certificate, first.Audit, Ct);
        int auditBefore = await CountAsync<AuditEventRow>(db);

        IReadOnlyList<CertificateBatchOutcome> outcomes = await db.Store.AddCertificatesAsync(
            [Item(keyId, "BW000001"), Item(keyId, "BW000002"), Item(keyId, "BW000003")], Ct);

        Assert.NotNull(outcomes[0].Record);
        var duplicate = Assert.IsType<DuplicateCertificateException>(outcomes[1].Error);
        Assert.Equal(("BW", "BW000002"), (duplicate.IssuingParticipant, duplicate.CertificateNumber));
        Assert.Null(outcomes[1].Record);
        Assert.NotNull(outcomes[2].Record);
        Assert.Equal(3, await CountAsync<CertificateRow>(db));
        Assert.Equal(auditBefore + 2, await CountAsync<AuditEventRow>(db));
        Assert.Equal(first.Certificate.Envelope, (await db.Store.GetCertificateAsync("BW", "BW000002", Ct))!.Envelope);
    }

    [Fact]
    public async Task AddCertificates_SameNumberTwiceInOneBatch_FirstRecordedSecondDuplicate()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        string keyId = await ArrangeBotswanaKeyAsync(db);
        CertificateToRecord one = Item(keyId, "BW000777");
        CertificateToRecord two = Item(keyId, "BW000777");

        IReadOnlyList<CertificateBatchOutcome> outcomes = await db.Store.AddCertificatesAsync([one, Item(keyId, "BW000778"), two], Ct);

        Assert.NotNull(outcomes[0].Record);
        Assert.NotNull(outcomes[1].Record);
        Assert.IsType<DuplicateCertificateException>(outcomes[2].Error);
        Assert.Equal(one.Certificate.Envelope, (await db.Store.GetCertificateAsync("BW", "BW000777", Ct))!.Envelope);
        Assert.Equal(2, await CountAsync<CertificateRow>(db));
    }

    [Fact]
    public async Task AddCertificates_UnknownKeyOrIssuer_FailsOnlyThoseWithNotFound()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        string keyId = await ArrangeBotswanaKeyAsync(db);

        IReadOnlyList<CertificateBatchOutcome> outcomes = await db.Store.AddCertificatesAsync(
            [Item(new string('f', 64), "BW000001"), Item(keyId, "BW000002"), Item(keyId, "ZZ000003", issuer: "ZZ")], Ct);

        Assert.IsType<StoreNotFoundException>(outcomes[0].Error);
        Assert.NotNull(outcomes[1].Record);
        Assert.IsType<StoreNotFoundException>(outcomes[2].Error);
        Assert.Equal(1, await CountAsync<CertificateRow>(db));
    }

    [Fact]
    public async Task AddCertificates_Empty_ReturnsNoOutcomeAndWritesNothing()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await ArrangeBotswanaKeyAsync(db);
        int auditBefore = await CountAsync<AuditEventRow>(db);

        Assert.Empty(await db.Store.AddCertificatesAsync([], Ct));
        Assert.Equal(auditBefore, await CountAsync<AuditEventRow>(db));
    }
}

/// <summary>The batch suite on SQLite (a temp file): always runs.</summary>
public sealed class SqliteCertificateBatchTests : CertificateBatchConformanceTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => SqliteTestDatabase.CreateAsync();
}

/// <summary>The batch suite on SQL Server: runs when KPREG_TEST_SQLSERVER is set, is reported skipped otherwise.</summary>
public sealed class SqlServerCertificateBatchTests : CertificateBatchConformanceTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => SqlServerTestDatabase.CreateAsync();
}
