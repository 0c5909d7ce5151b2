using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

/// <summary>A store call refused; nothing was written.</summary>
public abstract class StoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The thing named does not exist (NOT_FOUND).</summary>
public sealed class StoreNotFoundException(string message) : StoreException(message);

/// <summary>
/// The change conflicts with the current state: it already exists, it is no longer in the state
/// the change requires (e.g. a rotation raced another), or a database rule refused it. Nothing was
/// written. (ALREADY_EXISTS or FAILED_PRECONDITION / ABORTED, as the message says.)
/// </summary>
public sealed class StoreConflictException(string message, Exception? inner = null) : StoreException(message, inner);

/// <summary>A certificate with this issuer and number is already recorded; the first record is intact and nothing was written (ALREADY_EXISTS).</summary>
public sealed class DuplicateCertificateException(string issuingParticipant, string certificateNumber, Exception? inner = null)
    : StoreException($"Certificate {certificateNumber} of {issuingParticipant} is already recorded.", inner)
{
    public string IssuingParticipant { get; } = issuingParticipant;
    public string CertificateNumber { get; } = certificateNumber;
}

/// <summary>Reads the providers' error codes.</summary>
internal static class DbErrors
{
    /// <summary>
    /// True when the database refused a write because of a unique index or primary key: SQLite
    /// SQLITE_CONSTRAINT (19) with extended code UNIQUE (2067) or PRIMARYKEY (1555); SQL Server
    /// 2601 (unique index) or 2627 (unique constraint / primary key).
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException e => e.SqliteErrorCode == 19 && e.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException e => e.Number is 2601 or 2627,
        _ => false,
    };

    /// <summary>
    /// True when two transactions took the same log index (SQL Server under snapshot reads; SQLite
    /// serialises writers, so there it never happens): the transaction is run again.
    /// </summary>
    public static bool IsLogIndexConflict(DbUpdateException exception) =>
        exception.InnerException is SqlException { Number: 2627 } e && e.Message.Contains("PK_log_entries", StringComparison.Ordinal);
}
