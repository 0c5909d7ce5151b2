namespace KpRegistry.Client;

/// <summary>
/// The registry's key chain, trust list or revocation list cannot be trusted or used: a link or a
/// list that does not verify, or content that does not read. The message says which and why; it
/// never carries key material. Nothing from a refused list is used.
/// </summary>
public sealed class TrustListException : Exception
{
    public TrustListException(string message)
        : base(message)
    {
    }

    public TrustListException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
