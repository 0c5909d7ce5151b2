using System.Security.Cryptography;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KpRegistry.LoadTest;

/// <summary>One participant's managed key and how many certificates it signs into the data folder.</summary>
public sealed record KeyPlan(string Participant, KeyAlgorithm Algorithm, int Certificates);

/// <summary>The certificates of one algorithm that the load sends: distinct, signed, recorded.</summary>
public sealed class SignedSet(KeyAlgorithm algorithm)
{
    public KeyAlgorithm Algorithm { get; } = algorithm;
    public List<SignedEnvelope> Envelopes { get; } = [];
    public Dictionary<string, ISignatureVerifier> Verifiers { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Prepares a data folder the way a registry that has run for a while would look: the schema and
/// participant seed (the server's own migrations), a KEK in <c>registry.kek</c>, managed keys sealed
/// under it (so the server signs with them through IssueCertificate), and certificates signed by
/// those keys written straight into the certificates table in large transactions. Only the
/// certificates skip the API (they carry no audit rows): issuing 1,000,000 through the API would
/// take longer than the whole run may.
/// </summary>
public static class DataBuilder
{
    private const int Chunk = 20_000;
    private static readonly string[] Destinations = ["EU", "AE", "IN", "IL", "CN", "US", "CH", "GB", "JP", "SG"];

    /// <summary>Builds <paramref name="dataDirectory"/>; returns the first <paramref name="keepPerAlgorithm"/> envelopes of each algorithm, for the load.</summary>
    public static async Task<Dictionary<KeyAlgorithm, SignedSet>> BuildAsync(string dataDirectory, IReadOnlyList<KeyPlan> plans, int keepPerAlgorithm, string tag)
    {
        Directory.CreateDirectory(dataDirectory);
        string dbPath = Path.Combine(dataDirectory, "registry.db");
        using var kek = KeyEncryptionKey.Generate();
        kek.WriteToFile(Path.Combine(dataDirectory, "registry.kek"));
        var vault = new ManagedKeyVault(kek);

        var services = new ServiceCollection();
        services.AddRegistryStorage(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={dbPath}" });
        await using ServiceProvider provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
        await RegistryDatabase.MigrateAsync(factory);
        await RegistryDatabase.SeedParticipantsAsync(factory, TimeProvider.System);
        RegistryStore store = provider.GetRequiredService<RegistryStore>();

        DateTimeOffset now = DateTimeOffset.UtcNow;
        var sets = new Dictionary<KeyAlgorithm, SignedSet>();
        var keys = new List<(KeyPlan Plan, SigningKey Key)>();
        foreach (KeyPlan plan in plans)
        {
            var key = SigningKey.Generate(plan.Algorithm);
            await store.AddKeyAsync(
                new NewKey(key.KeyId, plan.Participant, null, plan.Algorithm, KeyCustody.Managed, key.Spki, vault.Seal(key, plan.Participant), now.AddDays(-1), null),
                new AuditEntry("kpreg-loadtest", "key.create", key.KeyId, "benchmark data"));
            keys.Add((plan, key));
            SignedSet set = sets.TryGetValue(plan.Algorithm, out var s) ? s : sets[plan.Algorithm] = new SignedSet(plan.Algorithm);
            set.Verifiers[key.KeyId] = SignatureVerifiers.Create(plan.Algorithm, key.Spki);
        }
        SqliteConnection.ClearAllPools();

        await using var connection = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        await connection.OpenAsync();
        using (SqliteCommand pragma = connection.CreateCommand())
        {
            // Bulk preparation only; the server opens the file with its own pragmas (WAL, synchronous=FULL).
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;";
            await pragma.ExecuteNonQueryAsync();
        }
        long recordedTicks = now.AddHours(-1).UtcTicks;
        DateOnly today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var (plan, key) in keys)
        {
            SignedSet set = sets[plan.Algorithm];
            for (int start = 0; start < plan.Certificates; start += Chunk)
            {
                int count = Math.Min(Chunk, plan.Certificates - start);
                var rows = new (Certificate Certificate, SignedEnvelope Envelope, byte[] Sha)[count];
                Parallel.For(0, count, i =>
                {
                    int n = start + i;
                    Certificate certificate = MakeCertificate(plan.Participant, $"{plan.Participant}-{tag}{AlgorithmTag(plan.Algorithm)}-{n:D7}", Destinations[n % Destinations.Length], today, n);
                    byte[] payload = certificate.ToByteArray();
                    rows[i] = (certificate, EnvelopeSigner.Sign(PayloadTypes.Certificate, payload, key), SHA256.HashData(payload));
                });
                await InsertAsync(connection, rows, key.KeyId, recordedTicks);
                // Keep an equal share from every key, so the load is signed by several participants.
                int perKey = keepPerAlgorithm == int.MaxValue ? int.MaxValue : keepPerAlgorithm / plans.Count(x => x.Algorithm == plan.Algorithm);
                foreach (var row in rows.Take(Math.Max(0, Math.Min(count, perKey - start))))
                {
                    set.Envelopes.Add(row.Envelope);
                }
            }
        }
        using (SqliteCommand checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }
        foreach (var (_, key) in keys)
        {
            key.Dispose();
        }
        // Interleave the participants' certificates so that consecutive requests use different keys.
        foreach (SignedSet set in sets.Values)
        {
            Shuffle(set.Envelopes);
        }
        return sets;
    }

    public static Certificate MakeCertificate(string issuer, string number, string destination, DateOnly today, int n)
    {
        var certificate = new Certificate
        {
            FormatVersion = 1,
            CertificateNumber = number,
            IssuingParticipant = issuer,
            IssuingAuthority = $"{issuer}-KP",
            Exporter = new Party { Name = "Okavango Diamond Company", Address = "Plot 63016, Block 8, Gaborone", LicenceNumber = "EXP-0042" },
            Importer = new Party { Name = "Antwerp Rough Trading NV", Address = "Hoveniersstraat 30, 2018 Antwerpen" },
            DestinationParticipant = destination,
            Origin = new Origin { Mixed = false, Countries = { issuer } },
            NumberOfParcels = (uint)(1 + n % 7),
            SealIds = { $"SEAL-{n:D7}" },
            DateOfIssue = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            DateOfExpiry = today.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Statement = "The rough diamonds in this shipment have been handled in accordance with the provisions of the Kimberley Process Certification Scheme for rough diamonds",
        };
        ulong carats = 10_000 + (ulong)(n % 100_000);
        ulong value = 1_000_000 + (ulong)n * 7;
        certificate.Lines.Add(new Line { HsCode = "7102.10", CaratsHundredths = carats, ValueUsdCents = value });
        certificate.TotalCaratsHundredths = carats;
        certificate.TotalValueUsdCents = value;
        return certificate;
    }

    private static string AlgorithmTag(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Ed25519 => "E",
        KeyAlgorithm.EcdsaP256 => "P",
        _ => "M",
    };

    private static async Task InsertAsync(SqliteConnection connection, (Certificate Certificate, SignedEnvelope Envelope, byte[] Sha)[] rows, string keyId, long recordedTicks)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        using SqliteCommand insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO certificates (issuing_participant, certificate_number, issuing_authority, key_id, envelope, payload_sha256,
                date_of_issue, date_of_expiry, destination_participant, total_carats_hundredths, total_value_usd_cents, recorded_at)
            VALUES ($p, $n, $a, $k, $e, $s, $i, $x, $d, $c, $v, $r) RETURNING id
            """;
        SqliteParameter p = insert.Parameters.Add("$p", SqliteType.Text), n = insert.Parameters.Add("$n", SqliteType.Text),
            a = insert.Parameters.Add("$a", SqliteType.Text), k = insert.Parameters.Add("$k", SqliteType.Text),
            e = insert.Parameters.Add("$e", SqliteType.Blob), s = insert.Parameters.Add("$s", SqliteType.Blob),
            i = insert.Parameters.Add("$i", SqliteType.Text), x = insert.Parameters.Add("$x", SqliteType.Text),
            d = insert.Parameters.Add("$d", SqliteType.Text), c = insert.Parameters.Add("$c", SqliteType.Integer),
            v = insert.Parameters.Add("$v", SqliteType.Integer), r = insert.Parameters.Add("$r", SqliteType.Integer);
        insert.Prepare();
        // The statistics rows the registry writes with every certificate (issue 14): without them
        // the server would fill them at start from the envelopes, a million of them.
        using SqliteCommand line = connection.CreateCommand();
        line.Transaction = transaction;
        line.CommandText = """
            INSERT INTO certificate_lines (certificate_id, line_number, date_of_issue, issuing_participant, destination_participant, hs_code, carats_hundredths, value_usd_cents)
            VALUES ($id, $ln, $i, $p, $d, $h, $c, $v)
            """;
        SqliteParameter lineId = line.Parameters.Add("$id", SqliteType.Integer), lineNumber = line.Parameters.Add("$ln", SqliteType.Integer),
            lineIssued = line.Parameters.Add("$i", SqliteType.Text), lineIssuer = line.Parameters.Add("$p", SqliteType.Text),
            lineDestination = line.Parameters.Add("$d", SqliteType.Text), lineCode = line.Parameters.Add("$h", SqliteType.Text),
            lineCarats = line.Parameters.Add("$c", SqliteType.Integer), lineValue = line.Parameters.Add("$v", SqliteType.Integer);
        line.Prepare();
        using SqliteCommand origin = connection.CreateCommand();
        origin.Transaction = transaction;
        origin.CommandText = "INSERT INTO certificate_origins (certificate_id, country) VALUES ($id, $o)";
        SqliteParameter originId = origin.Parameters.Add("$id", SqliteType.Integer), originCountry = origin.Parameters.Add("$o", SqliteType.Text);
        origin.Prepare();
        foreach (var (certificate, envelope, sha) in rows)
        {
            p.Value = certificate.IssuingParticipant;
            n.Value = certificate.CertificateNumber;
            a.Value = certificate.IssuingAuthority;
            k.Value = keyId;
            e.Value = envelope.ToByteArray();
            s.Value = sha;
            i.Value = certificate.DateOfIssue;
            x.Value = certificate.DateOfExpiry;
            d.Value = certificate.DestinationParticipant;
            c.Value = (long)certificate.TotalCaratsHundredths;
            v.Value = (long)certificate.TotalValueUsdCents;
            r.Value = recordedTicks;
            long id = (long)(await insert.ExecuteScalarAsync())!;
            for (int l = 0; l < certificate.Lines.Count; l++)
            {
                lineId.Value = id;
                lineNumber.Value = l;
                lineIssued.Value = certificate.DateOfIssue;
                lineIssuer.Value = certificate.IssuingParticipant;
                lineDestination.Value = certificate.DestinationParticipant;
                lineCode.Value = certificate.Lines[l].HsCode;
                lineCarats.Value = (long)certificate.Lines[l].CaratsHundredths;
                lineValue.Value = (long)certificate.Lines[l].ValueUsdCents;
                await line.ExecuteNonQueryAsync();
            }
            foreach (string country in certificate.Origin.Countries.Distinct(StringComparer.Ordinal))
            {
                originId.Value = id;
                originCountry.Value = country;
                await origin.ExecuteNonQueryAsync();
            }
        }
        await transaction.CommitAsync();
    }

    private static void Shuffle<T>(List<T> items)
    {
        var random = new Random(12345);
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
