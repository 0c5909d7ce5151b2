using System.Security.Cryptography;

namespace KpRegistry.Crypto;

/// <summary>
/// The key-encryption key (KEK) of managed custody: 32 random bytes, the AES-256-GCM key under
/// which <see cref="ManagedKeyVault"/> seals authorities' private keys. It comes from configuration
/// (a file or an environment variable holding base64), never from the database.
/// </summary>
/// <remarks>
/// Errors name the file or variable, never the content. <see cref="ToString"/> shows only the
/// <see cref="Fingerprint"/>. <see cref="Dispose"/> zeroes the key.
/// </remarks>
public sealed class KeyEncryptionKey : IDisposable
{
    /// <summary>The key length in bytes (AES-256).</summary>
    public const int Length = 32;

    private static readonly byte[] FingerprintLabel = "kpregistry kek fingerprint"u8.ToArray();

    private readonly byte[] _key;
    private volatile bool _disposed;

    private KeyEncryptionKey(byte[] key)
    {
        _key = key;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, FingerprintLabel, mac);
        Fingerprint = Convert.ToHexStringLower(mac[..8]);
    }

    /// <summary>
    /// A non-secret identifier of this KEK: the first 8 bytes, in lowercase hex, of
    /// HMAC-SHA256(kek, "kpregistry kek fingerprint"). Stored in every sealed key, so that a key
    /// sealed under another KEK is recognised as such; safe to log.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>A new random KEK.</summary>
    public static KeyEncryptionKey Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>A KEK from base64 text (surrounding whitespace ignored).</summary>
    /// <exception cref="KeyCustodyException">Not base64 of exactly 32 bytes.</exception>
    public static KeyEncryptionKey FromBase64(string base64) => FromBase64(base64, "The key-encryption key");

    /// <summary>Reads a KEK file: base64 text of 32 bytes, as <see cref="WriteToFile"/> writes it.</summary>
    /// <exception cref="KeyCustodyException">The file is missing, unreadable, or does not hold base64 of exactly 32 bytes; the message names the path.</exception>
    public static KeyEncryptionKey LoadFromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new KeyCustodyException($"The key-encryption key file '{path}' does not exist.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new KeyCustodyException($"The key-encryption key file '{path}' does not exist (its directory is missing).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new KeyCustodyException($"The key-encryption key file '{path}' cannot be read: {e.GetType().Name}.", e);
        }
        return FromBase64(text, $"The key-encryption key file '{path}'");
    }

    /// <summary>Reads a KEK from an environment variable holding base64 of 32 bytes.</summary>
    /// <exception cref="KeyCustodyException">The variable is unset or empty, or not base64 of exactly 32 bytes; the message names the variable.</exception>
    public static KeyEncryptionKey FromEnvironment(string variableName)
    {
        ArgumentException.ThrowIfNullOrEmpty(variableName);
        string? value = Environment.GetEnvironmentVariable(variableName);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new KeyCustodyException($"The environment variable '{variableName}' that should hold the key-encryption key is not set.");
        }
        return FromBase64(value, $"The key-encryption key in environment variable '{variableName}'");
    }

    /// <summary>
    /// Writes the KEK as base64 text to a new file; on Unix the file is created readable and
    /// writable by its owner only (0600). Refuses to overwrite an existing file.
    /// </summary>
    public void WriteToFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        // CreateNew is O_CREAT|O_EXCL: an existing file or a link at the path is refused, never followed.
        using var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // The umask only narrows the create mode; make it exactly 0600 on the handle, before any byte is written.
            File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        using var writer = new StreamWriter(stream);
        writer.Write(Convert.ToBase64String(Key));
        writer.Write('\n');
    }

    /// <summary>The raw key, for AES-GCM inside this library only.</summary>
    internal ReadOnlySpan<byte> Key
    {
        get
        {
            // The fingerprint outlives Dispose; never let a wiped (all-zero) key seal under it.
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key;
        }
    }

    /// <summary>Zeroes the key; a vault that uses it afterwards throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        Array.Clear(_key);
    }

    /// <summary>The fingerprint only; never the key.</summary>
    public override string ToString() => $"KeyEncryptionKey({Fingerprint})";

    private static KeyEncryptionKey FromBase64(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = new byte[Length];
        ReadOnlySpan<char> trimmed = text.AsSpan().Trim();
        // A larger buffer tells "too long" from "exactly 32"; it is zeroed before returning.
        var buffer = new byte[(trimmed.Length * 3 / 4) + 3];
        try
        {
            if (!Convert.TryFromBase64Chars(trimmed, buffer, out int written))
            {
                throw new KeyCustodyException($"{source} is not valid base64.");
            }
            if (written != Length)
            {
                throw new KeyCustodyException($"{source} decodes to {written} bytes; a key-encryption key is exactly {Length} bytes (base64 of 32 random bytes, e.g. `openssl rand -base64 32`).");
            }
            buffer.AsSpan(0, Length).CopyTo(key);
            return new KeyEncryptionKey(key);
        }
        finally
        {
            Array.Clear(buffer);
        }
    }
}
