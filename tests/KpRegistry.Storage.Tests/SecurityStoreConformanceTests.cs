using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage.Tests;

/// <summary>Client-certificate revocations and the audit trail, on every provider: append-only in the database itself.</summary>
public abstract class SecurityStoreConformanceTests
{
    private static readonly AuditEntry Admin = new("CN=admin,O=KP", "client-certificate.revoke", "test");

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CallAuditEntry Call(string participant, string action, string result) =>
        new("CN=x", action, "participant_code=" + participant, result, participant, null, "authority", new string('A', 64), "req-" + action);

    [Fact]
    public async Task RevokeClientCertificate_Twice_ConflictAndOneRow()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        long versionBefore = await db.Store.GetRegistryVersionAsync(Ct);
        var revocation = new ClientCertificateRevocation(new string('B', 64), null, null, "stolen");

        RevokedClientCertificateRecord revoked = await db.Store.RevokeClientCertificateAsync(revocation, Admin, Ct);
        await Assert.ThrowsAsync<StoreConflictException>(() => db.Store.RevokeClientCertificateAsync(revocation, Admin, Ct));

        Assert.Equal(new string('B', 64), Assert.Single(await db.Store.ListRevokedClientCertificatesAsync(Ct)).CertificateSha256);
        Assert.Equal("CN=admin,O=KP", revoked.RevokedBy);
        Assert.True(await db.Store.GetRegistryVersionAsync(Ct) > versionBefore, "the registry version must rise so every instance reloads");
    }

    [Fact]
    public async Task RevokeClientCertificate_SameSerialOtherIssuer_BothKept()
    {
        await using TestDatabase db = await CreateDatabaseAsync();

        await db.Store.RevokeClientCertificateAsync(new ClientCertificateRevocation(null, "0A", "CN=CA one", "r"), Admin, Ct);
        await db.Store.RevokeClientCertificateAsync(new ClientCertificateRevocation(null, "0A", "CN=CA two", "r"), Admin, Ct);

        Assert.Equal(2, (await db.Store.ListRevokedClientCertificatesAsync(Ct)).Count);
    }

    [Fact]
    public async Task ListAuditEvents_FilterAndPages_OnlyMatchingInIdOrder()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        for (int i = 0; i < 5; i++)
        {
            await db.Store.AppendCallAuditAsync(Call("BW", "kp.registry.v1.Registry/CreateKey", i % 2 == 0 ? "OK" : "PERMISSION_DENIED"), Ct);
            await db.Store.AppendCallAuditAsync(Call("ZA", "kp.registry.v1.Registry/CreateKey", "OK"), Ct);
            db.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var filter = new AuditFilter(CallerParticipant: "BW", Action: "kp.registry.v1.Registry/CreateKey");

        var (first, next) = await db.Store.ListAuditEventsAsync(filter, 0, 3, Ct);
        var (second, end) = await db.Store.ListAuditEventsAsync(filter, next ?? 0, 3, Ct);

        Assert.NotNull(next);
        Assert.Null(end);
        var all = first.Concat(second).ToList();
        Assert.Equal(5, all.Count);
        Assert.All(all, e => Assert.Equal(("BW", "authority"), (e.CallerParticipant, e.CallerRole)));
        Assert.Equal(all.Select(e => e.Id).Order(), all.Select(e => e.Id));
        Assert.Equal(["OK", "PERMISSION_DENIED", "OK", "PERMISSION_DENIED", "OK"], all.Select(e => e.Result));
    }

    [Fact]
    public async Task ListAuditEvents_TimeRange_FromInclusiveToExclusive()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        DateTimeOffset start = db.Clock.GetUtcNow();
        for (int i = 0; i < 4; i++)
        {
            await db.Store.AppendCallAuditAsync(Call("BW", "a" + i, "OK"), Ct);
            db.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var (page, _) = await db.Store.ListAuditEventsAsync(new AuditFilter(From: start.AddMinutes(10), To: start.AddMinutes(30)), 0, 100, Ct);

        Assert.Equal(["a1", "a2"], page.Select(e => e.Action));
    }

    [Fact]
    public async Task AuditRow_UpdateAndDelete_RefusedByTheDatabase()
    {
        await using TestDatabase db = await CreateDatabaseAsync();
        await db.Store.AppendCallAuditAsync(Call("BW", "kp.registry.v1.Registry/RevokeKey", "PERMISSION_DENIED"), Ct);
        await using RegistryDbContext context = db.NewContext();

        Exception update = await Assert.ThrowsAnyAsync<Exception>(() =>
            context.AuditEvents.ExecuteUpdateAsync(u => u.SetProperty(a => a.Result, "OK"), Ct));
        Exception delete = await Assert.ThrowsAnyAsync<Exception>(() => context.AuditEvents.ExecuteDeleteAsync(Ct));

        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        AuditEventRow kept = Assert.Single(await context.AuditEvents.AsNoTracking().Where(a => a.Result != null).ToListAsync(Ct));
        Assert.Equal("PERMISSION_DENIED", kept.Result);
    }
}

/// <summary>The security suite on SQLite (a temp file): always runs.</summary>
public sealed class SqliteSecurityStoreTests : SecurityStoreConformanceTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => SqliteTestDatabase.CreateAsync();
}

/// <summary>The security suite on SQL Server: runs when KPREG_TEST_SQLSERVER is set, is reported skipped otherwise.</summary>
public sealed class SqlServerSecurityStoreTests : SecurityStoreConformanceTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => SqlServerTestDatabase.CreateAsync();
}
