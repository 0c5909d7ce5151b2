namespace KpRegistry.Crypto.Tests.TestSupport;

internal static class Bits
{
    /// <summary>A copy of <paramref name="bytes"/> with one bit flipped.</summary>
    public static byte[] Flip(ReadOnlySpan<byte> bytes, int index, int bit = 0)
    {
        byte[] copy = bytes.ToArray();
        copy[index] ^= (byte)(1 << bit);
        return copy;
    }
}
