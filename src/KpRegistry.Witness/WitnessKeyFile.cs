using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;

namespace KpRegistry.Witness;

/// <summary>
/// The witness's Ed25519 key on disk, as PKCS#8 PEM. Created owner-only (0600) from its first byte,
/// never widened afterwards; a key file that others can read is refused rather than used.
/// </summary>
internal static class WitnessKeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Loads the key at <paramref name="path"/>, or makes and writes a new one; <paramref name="created"/> says which.</summary>
    public static SigningKey LoadOrCreate(string path, out bool created)
    {
        created = false;
        if (File.Exists(path))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(OwnerOnly | UnixFileMode.UserExecute)) != 0)
            {
                throw new InvalidOperationException($"The witness key file {path} is readable by others; make it owner-only (chmod 600) or remove it.");
            }
            SigningKey existing = SigningKey.ImportPkcs8Pem(File.ReadAllText(path));
            if (existing.Algorithm != KeyAlgorithm.Ed25519)
            {
                existing.Dispose();
                throw new InvalidOperationException($"The witness key file {path} does not hold an Ed25519 key.");
            }
            return existing;
        }
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Set at creation, so the key is never on disk with wider permissions, not even briefly.
            options.UnixCreateMode = OwnerOnly;
        }
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key.ExportPkcs8Pem());
        }
        created = true;
        return key;
    }
}
