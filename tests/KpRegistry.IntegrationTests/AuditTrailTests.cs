using Grpc.Core;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Domain.Wire;
using Microsoft.Data.Sqlite;

namespace KpRegistry.IntegrationTests;

/// <summary>Issue 13: every state-changing call, allowed or refused, is in the append-only audit trail; admins read it.</summary>
public sealed class AuditTrailTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const string CreateKey = "kp.registry.v1.Registry/CreateKey";

    [Fact]
    public async Task CreateKey_RefusedForAnotherParticipant_AuditedWithCallerAndStatus()
    {
        // An authority code no other test sends, so this call's record is told apart from the same
        // refusal made by another test of this class on the shared server.
        string marker = "AUDIT" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry("BW-authority").CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "ZA", AuthorityCode = marker }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        ListAuditEventsResponse found = await registry.Registry("admin").ListAuditEventsAsync(new ListAuditEventsRequest { Action = CreateKey, ParticipantCode = "BW", PageSize = 500 });

        AuditEvent audited = Assert.Single(found.Events, e => e.Result == "PERMISSION_DENIED" && e.Target.Contains($"participant_code=ZA authority_code={marker}", StringComparison.Ordinal));
        Assert.Equal(("BW", "authority"), (audited.CallerParticipant, audited.CallerRole));
        Assert.Matches("^[0-9A-F]{64}$", audited.CertificateSha256);
        Assert.NotEmpty(audited.RequestId);
        Assert.True(audited.Call);
        Assert.True(Instants.TryParse(audited.At, out _));
    }

    [Fact]
    public async Task AdmitParticipant_Anonymous_AuditedAsUnauthenticated()
    {
        await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry().AdmitParticipantAsync(new AdmitParticipantRequest { Code = "QQ", Name = "Nowhere (audit test)" }).ResponseAsync);

        ListAuditEventsResponse found = await registry.Registry("admin").ListAuditEventsAsync(new ListAuditEventsRequest { Action = "kp.registry.v1.Registry/AdmitParticipant", PageSize = 500 });

        AuditEvent audited = Assert.Single(found.Events, e => e.Target.Contains("code=QQ", StringComparison.Ordinal));
        Assert.Equal(("UNAUTHENTICATED", "anonymous", "", ""), (audited.Result, audited.Actor, audited.CallerParticipant, audited.CertificateSha256));
    }

    [Fact]
    public async Task CreateKey_Allowed_AuditedAsOk()
    {
        Key created = await registry.Registry("ZA-authority").CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "ZA", Algorithm = KeyAlgorithm.EcdsaP256 });

        ListAuditEventsResponse found = await registry.Registry("admin").ListAuditEventsAsync(new ListAuditEventsRequest { Action = CreateKey, ParticipantCode = "ZA", PageSize = 500 });

        Assert.Contains(found.Events, e => e.Result == "OK" && e.CallerParticipant == "ZA");
        Assert.NotEmpty(created.KeyId);
    }

    [Fact]
    public async Task AuditRow_UpdateOrDeleteThroughTheDatabaseFile_RefusedByTheDatabase()
    {
        await Assert.ThrowsAsync<RpcException>(() =>
            registry.Registry("BW-authority").CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "ZA" }).ResponseAsync);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(registry.Server.DataDirectory, "registry.db")}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        long rows = await ScalarAsync(connection, "SELECT COUNT(*) FROM audit_events");
        Assert.True(rows > 0);

        SqliteException update = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(connection, "UPDATE audit_events SET result = 'OK' WHERE result = 'PERMISSION_DENIED'"));
        SqliteException delete = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(connection, "DELETE FROM audit_events"));

        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.True(await ScalarAsync(connection, "SELECT COUNT(*) FROM audit_events") >= rows);
        Assert.True(await ScalarAsync(connection, "SELECT COUNT(*) FROM audit_events WHERE result = 'PERMISSION_DENIED'") > 0);
    }

    [Fact]
    public async Task ListAuditEvents_PageSizeOne_PagesFollowWithoutRepeats()
    {
        for (int i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => registry.Registry("ZA-authority").SetZonesAsync(new SetZonesRequest { ParticipantCode = "ZA" }).ResponseAsync);
        }
        var seen = new List<long>();
        string token = "";
        do
        {
            ListAuditEventsResponse page = await registry.Registry("admin").ListAuditEventsAsync(new ListAuditEventsRequest
            {
                Action = "kp.registry.v1.Registry/SetZones",
                ParticipantCode = "ZA",
                PageSize = 1,
                PageToken = token,
            });
            Assert.True(page.Events.Count <= 1);
            seen.AddRange(page.Events.Select(e => e.Id));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.True(seen.Count >= 3, $"{seen.Count} events");
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Distinct(), seen);
    }

    [Fact]
    public async Task ListAuditEvents_TimeRange_OnlyEventsInside()
    {
        await Assert.ThrowsAsync<RpcException>(() => registry.Registry("ZA-authority").SetLicensingAsync(new SetLicensingRequest { ParticipantCode = "ZA" }).ResponseAsync);
        ListAuditEventsResponse all = await registry.Registry("admin").ListAuditEventsAsync(new ListAuditEventsRequest { PageSize = 500 });
        AuditEvent last = all.Events[^1];

        ListAuditEventsResponse from = await registry.Registry("admin").ListAuditEventsAsync(new ListAuditEventsRequest { From = last.At, PageSize = 500 });
        ListAuditEventsResponse after = await registry.Registry("admin").ListAuditEventsAsync(new ListAuditEventsRequest { From = Instants.Format(Instants.Parse(last.At, "at").AddTicks(1)), PageSize = 500 });
        ListAuditEventsResponse before = await registry.Registry("admin").ListAuditEventsAsync(new ListAuditEventsRequest { To = last.At, PageSize = 500 });

        Assert.Contains(from.Events, e => e.Id == last.Id);
        Assert.DoesNotContain(after.Events, e => e.Id == last.Id);
        Assert.DoesNotContain(before.Events, e => e.Id == last.Id);
        Assert.All(before.Events, e => Assert.True(Instants.Parse(e.At, "at") < Instants.Parse(last.At, "at")));
        Assert.All(after.Events, e => Assert.True(Instants.Parse(e.At, "at") > Instants.Parse(last.At, "at")));
    }

    [Theory]
    [InlineData("anonymous", StatusCode.Unauthenticated)]
    [InlineData("BW-authority", StatusCode.PermissionDenied)]
    public async Task ListAuditEvents_NotAnAdmin_Refused(string caller, StatusCode expected)
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Registry(caller).ListAuditEventsAsync(new ListAuditEventsRequest()).ResponseAsync);

        Assert.Equal(expected, refused.StatusCode);
    }

    [Theory]
    [InlineData("page_size", "", "", 501u)]
    [InlineData("page_token", "x", "", 0u)]
    [InlineData("from", "", "yesterday", 0u)]
    public async Task ListAuditEvents_Malformed_InvalidArgument(string field, string token, string from, uint size)
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => registry.Registry("admin").ListAuditEventsAsync(
            new ListAuditEventsRequest { PageToken = token, From = from, PageSize = size }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(field, refused.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
