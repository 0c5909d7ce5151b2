using System.Security.Cryptography;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;

namespace KpRegistry.Storage.Tests;

/// <summary>
/// RegistryStore.Statistics.cs on SQLite with rows seeded for a past period (the API can only
/// issue today): the trade matrix leaves cancelled certificates out, reconciliation finds an expired
/// certificate never confirmed, and the start-up fill gives an older row its lines once.
/// </summary>
public sealed class StatisticsStoreTests
{
    private static readonly AuditEntry Admin = new("CN=admin,O=KP", "test", "test");
    private static readonly DateOnly First = new(2025, 7, 1);
    private static readonly DateOnly Last = new(2025, 12, 31);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> ArrangeAsync(TestDatabase db)
    {
        await db.Store.AdmitParticipantAsync(new NewParticipant("BW", "Botswana", new DateOnly(2003, 1, 1)), Admin, Ct);
        byte[] spki = RandomNumberGenerator.GetBytes(44);
        var key = new NewKey(KeyIds.FromSpki(spki), "BW", null, KeyAlgorithm.Ed25519, KeyCustody.Managed, spki, RandomNumberGenerator.GetBytes(80),
            new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), null);
        return (await db.Store.AddKeyAsync(key, Admin, Ct)).KeyId;
    }

    private static NewCertificate Certificate(string keyId, string number, DateOnly issued, long carats, long value, bool withLines = true)
    {
        byte[] envelope = RandomNumberGenerator.GetBytes(100);
        return new NewCertificate("BW", number, "BW-KP", keyId, envelope, SHA256.HashData(envelope), issued, issued.AddDays(30), "EU", carats, value, null,
            withLines ? new CertificateTradeDetail([new CertificateLineFigures("7102.10", carats, value)], ["BW"], false) : null);
    }

    [Fact]
    public async Task ReadTradeCells_CancelledAndOutsideThePeriod_LeftOut()
    {
        await using TestDatabase db = await SqliteTestDatabase.CreateAsync();
        string keyId = await ArrangeAsync(db);
        await db.Store.AddCertificateAsync(Certificate(keyId, "BW-1", new DateOnly(2025, 8, 1), 100, 1_000), Admin, Ct);
        await db.Store.AddCertificateAsync(Certificate(keyId, "BW-2", new DateOnly(2025, 12, 31), 300, 6_000), Admin, Ct);
        await db.Store.AddCertificateAsync(Certificate(keyId, "BW-3", new DateOnly(2025, 9, 1), 5_000, 5_000), Admin, Ct);
        await db.Store.AppendCertificateEventAsync("BW", "BW-3", new NewCertificateEvent(CertificateEventKind.Cancelled, "called off"), Admin, Ct);
        await db.Store.AddCertificateAsync(Certificate(keyId, "BW-4", new DateOnly(2026, 1, 1), 7_000, 7_000), Admin, Ct);

        IReadOnlyList<TradeCell> cells = await db.Store.ReadTradeCellsAsync(First, Last, Ct);

        Assert.Equal([new TradeCell("BW", "EU", "7102.10", 400, 7_000, 2, 2)], cells);
    }

    [Fact]
    public async Task Reconcile_ExpiredNeverConfirmed_CountedAndListedAsExpired()
    {
        await using TestDatabase db = await SqliteTestDatabase.CreateAsync();
        string keyId = await ArrangeAsync(db);
        await db.Store.AddCertificateAsync(Certificate(keyId, "BW-1", new DateOnly(2025, 8, 1), 100, 1_000), Admin, Ct);
        await db.Store.AddCertificateAsync(Certificate(keyId, "BW-2", new DateOnly(2025, 12, 20), 300, 6_000), Admin, Ct);

        // As of 2026-01-10: BW-1 expired on 2025-08-31; BW-2 runs to 2026-01-19.
        IReadOnlyList<PairReconciliationRecord> pairs = await db.Store.ReconcileAsync(First, Last, new DateOnly(2026, 1, 10), Ct);
        IReadOnlyList<ReconciliationException> listed = await db.Store.ReadReconciliationExceptionsAsync(First, Last, new DateOnly(2026, 1, 10), Ct);

        PairReconciliationRecord pair = Assert.Single(pairs);
        Assert.Equal((2L, 1L, 100L, 1L, 300L, 0L), (pair.Certificates, pair.Expired, pair.ExpiredCaratsHundredths, pair.Unconfirmed, pair.UnconfirmedCaratsHundredths, pair.Confirmed));
        Assert.Equal(["BW-1", "BW-2"], listed.Select(e => e.CertificateNumber));
        Assert.All(listed, e => Assert.Null(e.ConfirmedCaratsHundredths));
    }

    [Fact]
    public async Task FillCertificateTrade_RowRecordedWithoutLines_FilledOnceThenCounted()
    {
        await using TestDatabase db = await SqliteTestDatabase.CreateAsync();
        string keyId = await ArrangeAsync(db);
        await db.Store.AddCertificateAsync(Certificate(keyId, "BW-1", new DateOnly(2025, 8, 1), 100, 1_000, withLines: false), Admin, Ct);
        await db.Store.AddCertificateAsync(Certificate(keyId, "BW-2", new DateOnly(2025, 8, 2), 200, 2_000), Admin, Ct);

        IReadOnlyList<EnvelopeToBackfill> missing = await db.Store.ReadCertificatesWithoutLinesAsync(10, Ct);
        EnvelopeToBackfill only = Assert.Single(missing);
        var trade = new CertificateTradeDetail([new CertificateLineFigures("7102.21", 100, 1_000)], ["BW"], false);
        bool first = await db.Store.FillCertificateTradeAsync(only.Id, trade, Ct);
        bool second = await db.Store.FillCertificateTradeAsync(only.Id, trade, Ct);

        Assert.True(first);
        Assert.False(second);
        Assert.Empty(await db.Store.ReadCertificatesWithoutLinesAsync(10, Ct));
        Assert.Equal(["7102.10", "7102.21"], (await db.Store.ReadTradeCellsAsync(First, Last, Ct)).Select(c => c.HsCode));
    }
}
