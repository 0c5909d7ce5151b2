namespace KpRegistry.Witness;

/// <summary>The witness's configuration (section <c>Witness</c>: appsettings.json, environment, or command line).</summary>
public sealed class WitnessOptions
{
    public const string Section = "Witness";

    /// <summary>The witness's key name, a schema-less URL that identifies it (e.g. <c>witness.example.org/kp</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>The private key file (PKCS#8 PEM, owner-only); made at first start.</summary>
    public string KeyFile { get; set; } = "witness-key.pem";

    /// <summary>The SQLite file holding the latest cosigned checkpoint of each log.</summary>
    public string Database { get; set; } = "witness.db";

    /// <summary>The logs this witness follows. Several entries with one origin give that log several trusted keys.</summary>
    public List<WitnessLogOptions> Logs { get; set; } = [];
}

/// <summary>One followed log: its checkpoint origin and its signed-note verifier key (<c>name+hash+base64</c>, type 0x01).</summary>
public sealed class WitnessLogOptions
{
    public string Origin { get; set; } = "";

    public string VerifierKey { get; set; } = "";
}
