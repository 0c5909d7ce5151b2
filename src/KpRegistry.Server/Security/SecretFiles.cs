using KpRegistry.Server.Hosting;

namespace KpRegistry.Server.Security;

/// <summary>
/// Files that hold or guard secrets (private keys, the database of sealed keys) are owner-only
/// from their first byte, and never written through a link or over an existing file: a key
/// written with the default mode and narrowed afterwards was readable in between, and a link
/// planted at its path sent it elsewhere (issue 13, finding 8).
/// </summary>
public static class SecretFiles
{
    /// <summary>0600.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0644: certificates, which are public.</summary>
    public const UnixFileMode Public = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>0700: the folders that hold secrets.</summary>
    public const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates <paramref name="path"/> with exactly <paramref name="mode"/> (whatever the umask)
    /// before writing <paramref name="content"/>. The create is exclusive (O_CREAT|O_EXCL), so an
    /// existing file or a link, even a dangling one, is refused and never followed.
    /// </summary>
    /// <exception cref="StartupRefusedException">Something already exists at <paramref name="path"/>; the message names it.</exception>
    public static void CreateNew(string path, ReadOnlySpan<byte> content, UnixFileMode mode = OwnerOnly)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (IOException) when (Exists(path))
        {
            throw new StartupRefusedException(
                $"KpRegistry cannot start: {path} already exists{(IsLink(path) ? " as a link" : "")}, where it was about to write a new file. " +
                "It never writes over a file or through a link: remove it (or restore the file it belongs with) and start again.");
        }
        using (stream)
        {
            if (!OperatingSystem.IsWindows())
            {
                // The umask may only have narrowed the create mode; make it exact, on the handle, before any byte.
                File.SetUnixFileMode(stream.SafeFileHandle, mode);
            }
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>True when anything is at <paramref name="path"/>: a file, a folder, or a link (even one that leads nowhere).</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || IsLink(path);

    /// <summary>True when <paramref name="path"/> is a symbolic link.</summary>
    public static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    /// <summary>True when the group or others have any permission on <paramref name="path"/> (always false on Windows, which has no such mode).</summary>
    public static bool GroupOrOthersMayAccess(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOthers) != 0;

    /// <summary>Creates <paramref name="path"/> as an owner-only folder (0700) when it does not exist; an existing folder is left as it is.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyFolder);
        }
    }

    /// <summary>
    /// Makes the SQLite database file at <paramref name="path"/> owner-only: created with 0600
    /// before SQLite first opens it (SQLite gives its -wal and -shm files the database file's
    /// mode), or, when it exists from an earlier version with a wider mode, narrowed together
    /// with its -wal and -shm.
    /// </summary>
    /// <returns>The files whose mode was narrowed (empty when none was needed).</returns>
    public static IReadOnlyList<string> MakeDatabaseOwnerOnly(string path)
    {
        if (!Exists(path))
        {
            CreateNew(path, []);
            // An empty file is an empty database, but EF Core then opens it read-only to see
            // whether it exists, where the WAL pragma (SqlitePragmaInterceptor) cannot be set.
            // Setting WAL here writes the header: the file is a database, WAL from its first page.
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
                new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
            return [];
        }
        var narrowed = new List<string>();
        foreach (string file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (!OperatingSystem.IsWindows() && File.Exists(file) && GroupOrOthersMayAccess(file))
            {
                File.SetUnixFileMode(file, OwnerOnly);
                narrowed.Add(file);
            }
        }
        return narrowed;
    }
}
