namespace KpRegistry.Storage.Rows;

/// <summary>
/// The registry (trust list) version (table <c>registry_version</c>, one row, id 1): a counter
/// raised by one in the same transaction as every change to participants, their status,
/// authorities, zones or keys, so a trust list's version says exactly which registry it shows.
/// </summary>
public sealed class RegistryVersionRow
{
    /// <summary>The one row's id.</summary>
    public const int SingletonId = 1;

    public int Id { get; set; }
    public long Version { get; set; }
}
