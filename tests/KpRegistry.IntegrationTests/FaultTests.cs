using System.Collections.Concurrent;
using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.IntegrationTests.TestData;
using Microsoft.Data.Sqlite;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// What a fault of the machine does to the registry: a kill -9 in the middle of issuing, a database
/// that cannot take writes for a while, a wrong key-encryption key. No acknowledged write is lost,
/// nothing is half-written, and the refusal says why.
/// </summary>
public sealed class FaultTests
{
    [Fact]
    public async Task Kill9_DuringAnIssuingBurst_EveryAcknowledgedCertificateKeptAndNothingHalfWritten()
    {
        string root = RegistryProcess.NewRoot();
        try
        {
            var acknowledged = new ConcurrentDictionary<string, SignedEnvelope>();
            var attempted = new ConcurrentBag<string>();
            await using (RegistryProcess first = await RegistryProcess.StartAsync(root))
            {
                using var channel = first.ChannelAs("BW-authority");
                var registry = new Registry.RegistryClient(channel);
                var certificates = new Certificates.CertificatesClient(channel);
                await registry.CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW" });
                int stopping = 0;
                async Task IssueUntilKilledAsync()
                {
                    while (Volatile.Read(ref stopping) == 0)
                    {
                        string number = SampleCertificates.NextNumber("BW");
                        attempted.Add(number);
                        try
                        {
                            IssueCertificateResponse issued = await certificates.IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid(number: number) });
                            acknowledged[number] = issued.Envelope;
                        }
                        catch (RpcException) when (Volatile.Read(ref stopping) == 1)
                        {
                            return; // in flight when the process died: not acknowledged, so either outcome is allowed
                        }
                    }
                }
                Task[] workers = [.. Enumerable.Range(0, 8).Select(_ => Task.Run(IssueUntilKilledAsync))];
                await Eventually.UntilAsync(() => Task.FromResult(acknowledged.Count), n => n >= 150, "150 certificates acknowledged");
                // The calls in flight meet the kill: the group-commit writer is mid-batch or between batches.
                Volatile.Write(ref stopping, 1);
                await first.KillAsync();
                await Task.WhenAll(workers);
            }

            // The restart itself checks the log: entries that no longer hash to the published checkpoint stop it.
            await using RegistryProcess second = await RegistryProcess.StartAsync(root);
            using var anonymous = second.AnonymousChannel();
            var read = new Certificates.CertificatesClient(anonymous);
            var verification = new Verification.VerificationClient(anonymous);
            foreach (var (number, envelope) in acknowledged)
            {
                GetCertificateResponse stored = await read.GetCertificateAsync(new GetCertificateRequest { IssuingParticipant = "BW", CertificateNumber = number });
                Assert.Equal(envelope, stored.Envelope);
                VerifyCertificateResult check = await verification.VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = envelope });
                Assert.True(check.Valid, $"{number}: {string.Join("; ", check.Details)}");
                Assert.True(check.HasLogIndex, $"{number} has no transparency-log entry");
            }
            // Not acknowledged: absent, or recorded whole (row, audit and log entry in one transaction).
            foreach (string number in attempted.Where(n => !acknowledged.ContainsKey(n)))
            {
                GetCertificateResponse stored;
                try
                {
                    stored = await read.GetCertificateAsync(new GetCertificateRequest { IssuingParticipant = "BW", CertificateNumber = number });
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    continue;
                }
                VerifyCertificateResult check = await verification.VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = stored.Envelope });
                Assert.True(check.Valid && check.HasLogIndex, $"{number} is half-written: {string.Join("; ", check.Details)}");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task IssueCertificate_DatabaseHeldByAnotherWriter_UnavailableNothingWrittenAndRecoversWhenReleased()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        using var channel = server.ChannelAs("BW-authority");
        var registry = new Registry.RegistryClient(channel);
        var certificates = new Certificates.CertificatesClient(channel);
        await registry.CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW" });
        IssueCertificateResponse before = await certificates.IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        string refusedNumber = SampleCertificates.NextNumber("BW");

        RpcException refused;
        // Another process holds the database's write lock past the registry's busy timeout (a
        // stuck maintenance job, a backup tool): no write can commit until it lets go.
        await using (var holder = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "registry.db")}"))
        {
            await holder.OpenAsync();
            await using (SqliteCommand begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                await begin.ExecuteNonQueryAsync();
            }
            refused = await Assert.ThrowsAsync<RpcException>(() =>
                certificates.IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid(number: refusedNumber) }).ResponseAsync);
            await using (SqliteCommand rollback = holder.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK;";
                await rollback.ExecuteNonQueryAsync();
            }
        }

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("locked", refused.Status.Detail);
        Assert.Contains("Nothing was written", refused.Status.Detail);
        var read = new Certificates.CertificatesClient(channel);
        RpcException absent = await Assert.ThrowsAsync<RpcException>(() =>
            read.GetCertificateAsync(new GetCertificateRequest { IssuingParticipant = "BW", CertificateNumber = refusedNumber }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, absent.StatusCode);
        Assert.Equal(before.Envelope, (await read.GetCertificateAsync(new GetCertificateRequest { IssuingParticipant = "BW", CertificateNumber = before.Record.CertificateNumber })).Envelope);
        // Released: the same request now succeeds, with no restart.
        IssueCertificateResponse after = await certificates.IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid(number: refusedNumber) });
        Assert.Equal(refusedNumber, after.Record.CertificateNumber);
    }

    [Fact]
    public async Task Start_WrongKeyEncryptionKey_RefusesNamingTheCauseAndLeavesTheSealedKeysUntouched()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        string kekFile = Path.Combine(server.DataDirectory, "registry.kek");
        using (var channel = server.ChannelAs("BW-authority"))
        {
            await new Registry.RegistryClient(channel).CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW" });
        }
        await server.StopAsync();
        var sealedBefore = await SealedKeysAsync(server.DataDirectory);
        byte[] rightKek = await File.ReadAllBytesAsync(kekFile);
        File.Delete(kekFile);
        using (KeyEncryptionKey wrong = KeyEncryptionKey.Generate())
        {
            wrong.WriteToFile(kekFile);
        }

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(server.StartAsync);

        Assert.Contains("key-encryption key", refusal.Message);
        Assert.Contains("does not open the registry's sealed keys", refusal.Message);
        Assert.Equal(sealedBefore, await SealedKeysAsync(server.DataDirectory));
        // The right KEK back: the same keys open and sign.
        File.Delete(kekFile);
        await File.WriteAllBytesAsync(kekFile, rightKek);
        await server.StartAsync();
        using var again = server.ChannelAs("BW-authority");
        IssueCertificateResponse issued = await new Certificates.CertificatesClient(again).IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        Assert.Contains(issued.Record.KeyId, sealedBefore.Keys);
    }

    /// <summary>Every sealed private key in the database (participants', registry's, the log's), by key id, as hex.</summary>
    internal static async Task<SortedDictionary<string, string>> SealedKeysAsync(string dataDirectory)
    {
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "registry.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        foreach (string table in new[] { "keys", "log_keys" })
        {
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = $"SELECT key_id, sealed_private_key FROM {table} WHERE sealed_private_key IS NOT NULL";
            await using SqliteDataReader reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                found[reader.GetString(0)] = Convert.ToHexString((byte[])reader[1]);
            }
        }
        return found;
    }
}
