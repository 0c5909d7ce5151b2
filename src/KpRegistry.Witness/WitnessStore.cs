using Microsoft.Data.Sqlite;

namespace KpRegistry.Witness;

/// <summary>The latest cosigned checkpoint of one log: its size and root hash.</summary>
internal sealed record LogState(long Size, byte[] RootHash);

/// <summary>
/// The witness's only state: for each origin, the size and root it last cosigned, in SQLite.
/// Each check-and-advance runs inside one IMMEDIATE transaction (the write lock is taken before the
/// read), and the write is a compare-and-swap on the size read, so two concurrent requests can
/// never roll the log back (the race tlog-witness describes).
/// </summary>
internal sealed class WitnessStore
{
    private readonly string _connectionString;

    public WitnessStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using SqliteConnection connection = Open();
        using SqliteCommand create = connection.CreateCommand();
        create.CommandText =
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS log_state (
                origin TEXT NOT NULL PRIMARY KEY,
                size INTEGER NOT NULL CHECK (size >= 0),
                root BLOB NOT NULL CHECK (length(root) = 32)
            );
            """;
        create.ExecuteNonQuery();
    }

    /// <summary>What <see cref="Advance"/> decided, given the stored state.</summary>
    public delegate AdvanceDecision Decide(LogState? stored);

    /// <summary>
    /// Reads the state of <paramref name="origin"/>, lets <paramref name="decide"/> judge it, and
    /// stores the new state it returns, all in one transaction: nothing is written when the decision
    /// is a refusal, and the write only lands if the stored size is still the one read.
    /// </summary>
    public AdvanceDecision Advance(string origin, Decide decide)
    {
        using SqliteConnection connection = Open();
        // deferred: false is BEGIN IMMEDIATE: the write lock is held from the read on.
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        LogState? stored = Read(connection, transaction, origin);
        AdvanceDecision decision = decide(stored);
        if (decision.NewState is { } next && (stored is null || stored.Size != next.Size || !stored.RootHash.AsSpan().SequenceEqual(next.RootHash)))
        {
            using SqliteCommand write = connection.CreateCommand();
            write.Transaction = transaction;
            if (stored is null)
            {
                write.CommandText = "INSERT INTO log_state (origin, size, root) VALUES ($origin, $size, $root)";
            }
            else
            {
                write.CommandText = "UPDATE log_state SET size = $size, root = $root WHERE origin = $origin AND size = $old";
                write.Parameters.AddWithValue("$old", stored.Size);
            }
            write.Parameters.AddWithValue("$origin", origin);
            write.Parameters.AddWithValue("$size", next.Size);
            write.Parameters.AddWithValue("$root", next.RootHash);
            if (write.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"The stored size of {origin} changed under a transaction that held the write lock.");
            }
        }
        transaction.Commit();
        return decision;
    }

    /// <summary>The stored state of <paramref name="origin"/>, if any (for tests and operators).</summary>
    public LogState? Get(string origin)
    {
        using SqliteConnection connection = Open();
        return Read(connection, null, origin);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static LogState? Read(SqliteConnection connection, SqliteTransaction? transaction, string origin)
    {
        using SqliteCommand read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT size, root FROM log_state WHERE origin = $origin";
        read.Parameters.AddWithValue("$origin", origin);
        using SqliteDataReader reader = read.ExecuteReader();
        return reader.Read() ? new LogState(reader.GetInt64(0), (byte[])reader.GetValue(1)) : null;
    }
}

/// <summary>A decision inside <see cref="WitnessStore.Advance"/>: the response, and the state to store when it is a success.</summary>
internal sealed record AdvanceDecision(WitnessResponse Response, LogState? NewState);
