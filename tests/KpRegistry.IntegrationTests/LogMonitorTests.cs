using System.Net;
using System.Text;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Transparency;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Server.Application;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using KeyAlgorithm = KpRegistry.Contracts.Registry.V1.KeyAlgorithm;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// <c>kpreg log monitor</c> against the real server: it lists what was done in a participant's
/// name, then only what is new; and when the operator rewrites the tree behind the server, the
/// real witness refuses to cosign it and the monitor raises the alarm.
/// </summary>
public sealed class LogMonitorTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task Monitor_CertificatesAndKeyRevocationInBotswanasName_ListedThenOnlyTheNewOnes()
    {
        Key key = await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        await registry.EnsureKeyAsync("NA", KeyAlgorithm.Ed25519);
        IssueCertificateResponse issued = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        IssueCertificateResponse toBotswana = await registry.Certificates("NA-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid("NA", "BW") });
        IssueCertificateResponse elsewhere = await registry.Certificates("NA-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid("NA", "EU") });
        await registry.Registry("admin").RevokeKeyAsync(new RevokeKeyRequest { KeyId = key.KeyId, Reason = "key file leaked" });
        await WaitForSizeAsync(elsewhere.LogIndex + 2);
        string logKey = LogKey(registry.Server);
        string folder = Directory.CreateTempSubdirectory("kpreg-monitor-").FullName;
        try
        {
            string state = Path.Combine(folder, "bw.state");

            var first = await registry.KpregAsync("log", "monitor", "--participant", "BW", "--state", state, "--log-key", logKey);

            Assert.True(first.Exit == 0, first.Output + first.Error);
            Assert.Contains($"CertificateRecorded BW {issued.Record.CertificateNumber} to EU", first.Output);
            Assert.Contains($"CertificateRecorded NA {toBotswana.Record.CertificateNumber} to BW", first.Output);
            Assert.DoesNotContain(elsewhere.Record.CertificateNumber, first.Output);
            Assert.Contains($"KeyRevoked BW key {key.KeyId}", first.Output);
            Assert.Contains("CONSISTENT: entries 0 to ", first.Output);
            Assert.StartsWith(MonitorState.Header, await File.ReadAllTextAsync(state));

            await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
            IssueCertificateResponse later = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
            await WaitForSizeAsync(later.LogIndex + 1);

            var second = await registry.KpregAsync("log", "monitor", "--participant", "BW", "--state", state, "--log-key", logKey);

            Assert.True(second.Exit == 0, second.Output + second.Error);
            Assert.Contains($"{later.LogIndex} ", second.Output);
            Assert.Contains($"CertificateRecorded BW {later.Record.CertificateNumber}", second.Output);
            Assert.DoesNotContain(issued.Record.CertificateNumber, second.Output);
            Assert.DoesNotContain(toBotswana.Record.CertificateNumber, second.Output);
            Assert.DoesNotContain("KeyRevoked", second.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Monitor_StateFileDamaged_ErrorAndStateUntouched()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        await WaitForSizeAsync(1);
        string folder = Directory.CreateTempSubdirectory("kpreg-monitor-").FullName;
        try
        {
            string state = Path.Combine(folder, "bw.state");
            var first = await registry.KpregAsync("log", "monitor", "--participant", "BW", "--state", state, "--log-key", LogKey(registry.Server));
            Assert.True(first.Exit == 0, first.Output + first.Error);
            // Another root in the saved checkpoint: the saved range no longer hashes to it.
            string[] lines = (await File.ReadAllTextAsync(state)).Split('\n');
            int rootLine = Array.IndexOf(lines, "") + 3;
            lines[rootLine] = Convert.ToBase64String(MerkleHash.Leaf([1]));
            string damaged = string.Join('\n', lines);
            await File.WriteAllTextAsync(state, damaged);

            var refused = await registry.KpregAsync("log", "monitor", "--participant", "BW", "--state", state, "--log-key", LogKey(registry.Server));

            Assert.Equal(1, refused.Exit);
            Assert.Contains("the state is damaged", refused.Error);
            Assert.Equal(damaged, await File.ReadAllTextAsync(state));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task WitnessAndMonitor_TreeRewrittenBehindTheServer_WitnessRefuses422AndMonitorAlarms()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        TransparencyLog started = server.Services.GetRequiredService<TransparencyLog>();
        string origin = started.Origin;
        string logKey = started.VerifierKey.ToString();
        await server.StopAsync();

        string folder = Directory.CreateTempSubdirectory("kp-it-rewrite-").FullName;
        try
        {
            await using TestWitness witness = await TestWitness.StartAsync(origin, logKey);
            witness.Configure(server);
            await server.StartAsync();
            await new Registry.RegistryClient(server.ChannelAs("BW-authority")).CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.Ed25519 });
            IssueCertificateResponse issued = await Issue(server);
            var cosignedPolicy = new LogTrust(origin, NoteVerifiers.FromVerifierKey(logKey), new WitnessPolicy([NoteVerifiers.FromVerifierKey(witness.VerifierKey)], 1));
            PublishedCheckpoint cosigned = await TransparencyLogTests.WaitForAsync(() => Task.FromResult(server.Services.GetRequiredService<TransparencyLog>().Latest!),
                c => c is not null && c.TreeSize > issued.LogIndex && cosignedPolicy.VerifyCheckpoint(c.Note).IsValid);
            string state = Path.Combine(folder, "bw.state");
            var watched = await KpregAsync(server, "log", "monitor", "--participant", "BW", "--state", state, "--log-key", logKey, "--witness", witness.VerifierKey);
            Assert.True(watched.Exit == 0, watched.Output + watched.Error);
            string savedState = await File.ReadAllTextAsync(state);
            await server.StopAsync();

            // Whoever holds the database rewrites the certificate (ten carats fewer) in the log and
            // in its table, and drops the published checkpoints so the server signs the new tree.
            RewriteCertificate(server, issued);
            await server.StartAsync();
            IssueCertificateResponse after = await Issue(server);
            PublishedCheckpoint rewritten = await TransparencyLogTests.WaitForAsync(() => Task.FromResult(server.Services.GetRequiredService<TransparencyLog>().Latest!),
                c => c is not null && c.TreeSize > after.LogIndex);
            GetConsistencyProofResponse proof = await new Log.LogClient(server.AnonymousChannel())
                .GetConsistencyProofAsync(new GetConsistencyProofRequest { First = cosigned.TreeSize, Second = rewritten.TreeSize });
            var body = new StringBuilder($"old {cosigned.TreeSize}\n");
            foreach (ByteString hash in proof.Proof)
            {
                body.Append(Convert.ToBase64String(hash.ToByteArray())).Append('\n');
            }
            body.Append('\n').Append(rewritten.Note);
            using var http = new HttpClient();
            using HttpResponseMessage refused = await http.PostAsync(new Uri(new Uri(witness.Url), "/add-checkpoint"), new StringContent(body.ToString(), Encoding.UTF8, "text/plain"));

            var alarm = await KpregAsync(server, "log", "monitor", "--participant", "BW", "--state", state, "--log-key", logKey);

            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.False(cosignedPolicy.VerifyCheckpoint(server.Services.GetRequiredService<TransparencyLog>().Latest!.Note).IsValid);
            Assert.Equal(3, alarm.Exit);
            Assert.Contains("ALARM: the new checkpoint", alarm.Error);
            Assert.Contains("is not consistent with the saved one", alarm.Error);
            Assert.Equal(savedState, await File.ReadAllTextAsync(state));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<IssueCertificateResponse> Issue(RegistryServer server) =>
        new Certificates.CertificatesClient(server.ChannelAs("BW-authority"))
            .IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() }).ResponseAsync;

    private static void RewriteCertificate(RegistryServer server, IssueCertificateResponse issued)
    {
        Certificate altered = Certificate.Parser.ParseFrom(issued.Envelope.Payload);
        altered.TotalCaratsHundredths -= 1000;
        var forged = issued.Envelope.Clone();
        forged.Payload = altered.ToByteString();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "registry.db")};Pooling=False");
        connection.Open();
        LogEntry entry;
        using (SqliteCommand select = connection.CreateCommand())
        {
            select.CommandText = "SELECT entry FROM log_entries WHERE leaf_index = $index";
            select.Parameters.AddWithValue("$index", issued.LogIndex);
            entry = LogEntries.Parse((byte[])select.ExecuteScalar()!);
        }
        entry.Certificate.Envelope = forged.ToByteString();
        using SqliteCommand update = connection.CreateCommand();
        update.CommandText = "UPDATE log_entries SET entry = $entry WHERE leaf_index = $index; UPDATE certificates SET envelope = $envelope WHERE certificate_number = $number; DELETE FROM log_checkpoints";
        update.Parameters.AddWithValue("$entry", entry.ToByteArray());
        update.Parameters.AddWithValue("$index", issued.LogIndex);
        update.Parameters.AddWithValue("$envelope", forged.ToByteArray());
        update.Parameters.AddWithValue("$number", issued.Record.CertificateNumber);
        Assert.True(update.ExecuteNonQuery() >= 3);
    }

    private Task WaitForSizeAsync(long size) =>
        TransparencyLogTests.WaitForAsync(() => new Log.LogClient(registry.As("anonymous")).GetCheckpointAsync(new GetCheckpointRequest()).ResponseAsync, c => c.TreeSize >= size);

    private static string LogKey(RegistryServer server) => server.Services.GetRequiredService<TransparencyLog>().VerifierKey.ToString();

    /// <summary>kpreg in-process against a server of this test's own.</summary>
    private static async Task<(int Exit, string Output, string Error)> KpregAsync(RegistryServer server, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new KpRegistry.Cli.KpregContext
        {
            Output = output,
            Error = error,
            Environment = name => name switch
            {
                "KPREG_SERVER" => server.Address.ToString().TrimEnd('/'),
                "KPREG_CERTS_DIR" => server.CertificatesDirectory,
                _ => null,
            },
        };
        int exit = await KpRegistry.Cli.KpregCli.InvokeAsync(args, context, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
