using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace KpRegistry.Storage;

/// <summary>
/// Tells a database that cannot take the call now (its file read-only, its disk full, an I/O
/// error, locked past the busy timeout, the server unreachable) from a defect: the first is
/// UNAVAILABLE for the caller, who may try again when the operator has cleared the fault; nothing
/// of the call was written, because every change is one transaction.
/// </summary>
public static class StoreFaults
{
    /// <summary>
    /// A short description of the fault when <paramref name="exception"/> (or an exception inside
    /// it) is the database refusing for a reason outside the call; null otherwise. Never the
    /// provider's own message, which may name files or servers.
    /// </summary>
    public static string? Describe(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            string? fault = e switch
            {
                // Primary result codes (the low byte of an extended code).
                SqliteException s => (s.SqliteErrorCode & 0xFF) switch
                {
                    5 or 6 => "the database is locked by another writer",
                    8 => "the database is read-only",
                    10 => "the database had an I/O error",
                    13 => "the database's disk is full",
                    14 => "the database file cannot be opened",
                    _ => null,
                },
                SqlException q => q.Number switch
                {
                    -2 or 53 or 233 or 10053 or 10054 or 10060 or 40197 or 40501 or 40613 or 49918 => "the database server cannot be reached",
                    1105 or 9002 => "the database is full",
                    3906 => "the database is read-only",
                    _ => null,
                },
                _ => null,
            };
            if (fault is not null)
            {
                return fault;
            }
        }
        return null;
    }
}
