namespace KpRegistry.LoadTest;

/// <summary>DATA of a call waiting for a send window: what is left of it goes out as the windows allow.</summary>
internal sealed class PendingData(byte[] bytes, bool endStream)
{
    public byte[] Bytes { get; } = bytes;
    public bool EndStream { get; } = endStream;
    public int Offset { get; set; }
}
