namespace KpRegistry.LoadTest.Tests;

/// <summary>The RFCs print their examples as hex with spaces: this reads them as they are printed.</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
