using KpRegistry.Crypto;
using KpRegistry.Domain.Wire;
using DomainAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;

namespace KpRegistry.Cli;

/// <summary>
/// An authority's held private key on disk: PKCS#8 PEM, written readable by its owner only. The
/// only place kpreg reads or writes a private key; the key never reaches output or an error message.
/// </summary>
internal static class KeyFiles
{
    /// <summary>Reads a PKCS#8 private key in PEM (label "PRIVATE KEY").</summary>
    /// <exception cref="CliException">The file is missing or holds no acceptable key (the message names the file, never its content).</exception>
    public static async Task<SigningKey> ReadAsync(string path, string what, CancellationToken cancellationToken)
    {
        byte[] content = await KpregCli.ReadFileAsync(path, what, cancellationToken).ConfigureAwait(false);
        try
        {
            return SigningKey.ImportPkcs8Pem(System.Text.Encoding.UTF8.GetString(content));
        }
        catch (CryptoFormatException e)
        {
            throw new CliException($"{what} {path} is not a usable private key: {e.Message}");
        }
        finally
        {
            Array.Clear(content);
        }
    }

    /// <summary>
    /// Writes <paramref name="key"/> as PKCS#8 PEM to a NEW file (an existing file is never
    /// overwritten), created readable and writable by its owner only (on Unix, mode 0600).
    /// </summary>
    public static async Task WriteNewAsync(string path, SigningKey key, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
            throw new CliException($"{path} exists; kpreg never overwrites a key file: choose another --out or move it away");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new StreamWriter(stream);
            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteAsync(key.ExportPkcs8Pem().AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The domain algorithm of a command-line algorithm word.</summary>
    /// <exception cref="CliException">Not an algorithm word.</exception>
    public static DomainAlgorithm ToDomainAlgorithm(string word) =>
        WireEnums.FromWire(Words.ToKeyAlgorithm(word)) ?? throw new CliException($"unknown algorithm '{word}'");
}
