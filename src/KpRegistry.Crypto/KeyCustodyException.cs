namespace KpRegistry.Crypto;

/// <summary>
/// Managed custody failed: the key-encryption key is missing, unreadable or wrong, or a sealed key
/// cannot be opened for the key id and participant asked for. The message names what failed (a
/// file path, an environment variable name, a fingerprint, a key id) and never any secret.
/// </summary>
public sealed class KeyCustodyException : Exception
{
    public KeyCustodyException(string message)
        : base(message)
    {
    }

    public KeyCustodyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
