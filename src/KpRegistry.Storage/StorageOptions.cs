namespace KpRegistry.Storage;

/// <summary>The database engines the registry runs on.</summary>
public enum StorageProvider
{
    /// <summary>The embedded default: a file under the working folder.</summary>
    Sqlite = 1,

    /// <summary>The production provider.</summary>
    SqlServer = 2,
}

/// <summary>Which database to use (bound from configuration by the server).</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>E.g. <c>Data Source=kpregistry.db</c> for SQLite.</summary>
    public string ConnectionString { get; set; } = "Data Source=kpregistry.db";
}
