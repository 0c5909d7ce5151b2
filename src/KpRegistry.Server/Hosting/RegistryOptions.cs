namespace KpRegistry.Server.Hosting;

/// <summary>
/// The configuration section <c>KpRegistry</c>. Environment variables override it as usual
/// (<c>KpRegistry__DataDirectory</c>). Relative paths are resolved against <see cref="BaseDirectory"/>.
/// </summary>
public sealed class RegistryOptions
{
    public const string Section = "KpRegistry";

    /// <summary>
    /// The folder relative paths are resolved against. Default: the nearest folder at or above the
    /// working folder that holds <c>KpRegistry.sln</c> (so <c>dotnet run</c>, which starts the server
    /// in its project folder, uses the checkout's <c>data/</c> and <c>certs/dev/</c>); outside a
    /// checkout, the working folder.
    /// </summary>
    public string? BaseDirectory { get; set; }

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

    /// <summary>The transparency log (section <c>KpRegistry:Log</c>; docs/TRANSPARENCY.md).</summary>
    public LogOptions Log { get; set; } = new();

    /// <summary>
    /// How often this instance reads the database's change markers to apply what other instances
    /// over the same database changed (keys, participants, certificates and their events) and to
    /// wake its WatchRevocations streams. A change made through another instance is applied here
    /// within this interval plus the time of one reload. See docs/OPERATIONS.md.
    /// </summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Connection, stream and rate limits (section <c>KpRegistry:Limits</c>; docs/SECURITY.md).</summary>
    public LimitsOptions Limits { get; set; } = new();

    /// <summary>Maximum certificate validity in days for participants without their own setting; 0 for none.</summary>
    public int DefaultMaxValidityDays { get; set; }

    /// <summary>
    /// Whether the gRPC server reflection service is served (grpcurl lists and describes the
    /// services through it). Unset: on in Development, off elsewhere, where it would only map the
    /// API for a stranger (issue 13, finding 9); the .proto files describe it to real clients.
    /// </summary>
    public bool? Reflection { get; set; }

    internal string ResolvedBaseDirectory => Path.GetFullPath(BaseDirectory ?? FindCheckout(Environment.CurrentDirectory) ?? Environment.CurrentDirectory);

    internal string ResolvedDataDirectory => Path.GetFullPath(DataDirectory, ResolvedBaseDirectory);

    internal string ResolvedCertificatesDirectory => Path.GetFullPath(CertificatesDirectory, ResolvedBaseDirectory);

    internal string ResolvedKeyEncryptionKeyFile =>
        Path.GetFullPath(KeyEncryptionKeyFile ?? Path.Combine(ResolvedDataDirectory, "registry.kek"), ResolvedBaseDirectory);

    private static string? FindCheckout(string start)
    {
        for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "KpRegistry.sln")))
            {
                return folder.FullName;
            }
        }
        return null;
    }
}

public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default) or <c>SqlServer</c>.</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Default for SQLite: <c>Data Source=&lt;DataDirectory&gt;/registry.db</c>. Required for SQL Server.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>The transparency log's settings (<c>KpRegistry:Log</c>).</summary>
public sealed class LogOptions
{
    /// <summary>
    /// The log's origin (first checkpoint line, and the key name of its checkpoint key). Default:
    /// the scheme-less URL prefix of the log on this server, e.g. <c>localhost:7443/log</c>. Fixed at
    /// the first start, when the log key is made: a log's origin never changes.
    /// </summary>
    public string? Origin { get; set; }

    /// <summary>A new checkpoint is signed when the tree has grown, at most this often.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the server reads entries other writers (and other instances) sequenced.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The witnesses asked to cosign each new checkpoint.</summary>
    public List<WitnessEndpointOptions> Witnesses { get; set; } = [];

    /// <summary>How many of <see cref="Witnesses"/> must cosign for a checkpoint to satisfy the policy the registry announces (k of n).</summary>
    public int WitnessThreshold { get; set; }

    /// <summary>The origin when none is configured: set at start from the server's first URL.</summary>
    internal string DefaultOrigin { get; set; } = "localhost:7443/log";

    /// <summary>The scheme-less URL prefix of /log on the first of <paramref name="urls"/> (';'-separated), e.g. <c>localhost:7443/log</c>.</summary>
    internal static string OriginFor(string urls)
    {
        string first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var uri = new Uri(first.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal));
        return $"{uri.Authority}/log";
    }
}

/// <summary>One witness: its name, its verifier key (<c>name+hash+base64</c>, type 0x04) and the URL prefix of its <c>add-checkpoint</c>.</summary>
public sealed class WitnessEndpointOptions
{
    public string Name { get; set; } = "";
    public string VerifierKey { get; set; } = "";
    public string Url { get; set; } = "";
}
