namespace KpRegistry.Crypto;

/// <summary>
/// A public key, private key or PEM text that is not in a form this library accepts, or a key whose
/// algorithm is not the one it was registered with. The message says what is wrong and never
/// contains key bytes; it derives from <see cref="ArgumentException"/> because the bad value is
/// always an argument the caller passed.
/// </summary>
public sealed class CryptoFormatException : ArgumentException
{
    public CryptoFormatException(string message)
        : base(message)
    {
    }

    public CryptoFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
