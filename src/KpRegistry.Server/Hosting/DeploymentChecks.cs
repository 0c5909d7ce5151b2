using System.Security.Cryptography.X509Certificates;
using KpRegistry.Server.Security;
using Microsoft.Data.Sqlite;

namespace KpRegistry.Server.Hosting;

/// <summary>
/// What start-up checks of the material it was given. Outside Development the registry refuses
/// material that only Development should see (issue 13, finding 2), and whatever the environment
/// it keeps the SQLite database, which holds the sealed keys, owner-only (finding 8).
/// </summary>
public static class DeploymentChecks
{
    /// <summary>
    /// Every reason the material in use is not fit outside Development, one line each, naming the
    /// file: the development CA (or a server certificate it issued), a CA private key lying beside
    /// <c>ca.crt</c>, and a KEK file that the group or others may read. Empty when there is none.
    /// </summary>
    public static IReadOnlyList<string> DevelopmentMaterialOutsideDevelopment(RegistryOptions options, X509Certificate2 clientCa, X509Certificate2 server)
    {
        string certs = options.ResolvedCertificatesDirectory;
        string caCrt = Path.Combine(certs, DevelopmentPki.CaCertificateFile);
        string caKey = Path.Combine(certs, DevelopmentPki.CaKeyFile);
        var problems = new List<string>();
        if (DevelopmentPki.IsDevelopmentMaterial(clientCa))
        {
            problems.Add($"{caCrt} is the development CA (O={DevelopmentPki.MarkerOrganisation}): anyone with the development PKI could call as an admin. Put your own client CA there.");
        }
        if (DevelopmentPki.IsDevelopmentMaterial(server))
        {
            problems.Add($"{Path.Combine(certs, DevelopmentPki.ServerCertificateFile)} is a development server certificate (O={DevelopmentPki.MarkerOrganisation}). Put your own there.");
        }
        if (SecretFiles.Exists(caKey))
        {
            problems.Add($"{caKey} is a CA private key beside the CA certificate: whoever reads it can make client certificates. Keep the CA key off the registry's host.");
        }
        else if (File.Exists(caCrt) && File.ReadAllText(caCrt).Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            problems.Add($"{caCrt} holds a private key beside the CA certificate: whoever reads it can make client certificates. Keep only the certificate there.");
        }
        string kekFile = options.ResolvedKeyEncryptionKeyFile;
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(options.KeyEncryptionKeyVariable))
            && File.Exists(kekFile) && SecretFiles.GroupOrOthersMayAccess(kekFile))
        {
            problems.Add($"{kekFile}, the key-encryption key, may be read by its group or others (mode {ModeOf(kekFile)}): make it owner-only (chmod 600).");
        }
        return problems;
    }

    /// <summary>The SQLite database file the configuration names, or null for SQL Server or an in-memory database.</summary>
    public static string? SqliteDatabaseFile(RegistryOptions options)
    {
        if (!string.Equals(options.Database.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (options.Database.ConnectionString is null)
        {
            return Path.Combine(options.ResolvedDataDirectory, "registry.db");
        }
        var builder = new SqliteConnectionStringBuilder(options.Database.ConnectionString);
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:"
            || builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            // A URI filename's options (mode, vfs) are SQLite's to read; the operator owns such a file.
            return null;
        }
        return Path.GetFullPath(builder.DataSource);
    }

    private static string ModeOf(string path) =>
        OperatingSystem.IsWindows() ? "?" : Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
}
