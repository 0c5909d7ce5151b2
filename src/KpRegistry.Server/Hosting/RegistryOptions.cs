namespace KpRegistry.Server.Hosting;

/// <summary>
/// The configuration section <c>KpRegistry</c>. Environment variables override it as usual
/// (<c>KpRegistry__DataDirectory</c>). Relative paths are resolved against the working folder.
/// </summary>
public sealed class RegistryOptions
{
    public const string Section = "KpRegistry";

    /// <summary>Where the SQLite database and other state live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Where the TLS material lives: <c>ca.crt</c> (the client CA), <c>server.crt</c>/<c>server.key</c>,
    /// and in Development the whole dev PKI, made on first start.
    /// </summary>
    public string CertificatesDirectory { get; set; } = "certs/dev";

    /// <summary>The file holding the key-encryption key (base64 of 32 bytes). Default: <c>&lt;DataDirectory&gt;/registry.kek</c>.</summary>
    public string? KeyEncryptionKeyFile { get; set; }

    /// <summary>An environment variable holding the key-encryption key (base64), used instead of the file when set.</summary>
    public string KeyEncryptionKeyVariable { get; set; } = "KPREG_KEK";

    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Maximum certificate validity in days for participants without their own setting; 0 for none.</summary>
    public int DefaultMaxValidityDays { get; set; }

    internal string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);

    internal string ResolvedCertificatesDirectory => Path.GetFullPath(CertificatesDirectory);

    internal string ResolvedKeyEncryptionKeyFile =>
        Path.GetFullPath(KeyEncryptionKeyFile ?? Path.Combine(ResolvedDataDirectory, "registry.kek"));
}

public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default) or <c>SqlServer</c>.</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Default for SQLite: <c>Data Source=&lt;DataDirectory&gt;/registry.db</c>. Required for SQL Server.</summary>
    public string? ConnectionString { get; set; }
}
