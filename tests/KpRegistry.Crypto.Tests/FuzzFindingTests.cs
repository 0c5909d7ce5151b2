namespace KpRegistry.Crypto.Tests;

/// <summary>
/// Inputs the fuzz harness (fuzz/KpRegistry.Fuzz, docs/FUZZING.md) found escaping a reader as
/// anything but its documented <see cref="CryptoFormatException"/>; each test is named after its finding.
/// </summary>
public class FuzzFindingTests
{
    /// <summary>Finding 1 (target pkcs8): no bytes at all escaped the PKCS#8 reader as a NullReferenceException.</summary>
    [Fact]
    public void ImportPkcs8Der_EmptyInput_ThrowsCryptoFormatExceptionNotNullReference()
    {
        var e = Assert.Throws<CryptoFormatException>(() => SigningKey.ImportPkcs8Der([]));

        Assert.Contains("empty", e.Message);
    }

    /// <summary>Finding 1 again, as kpreg meets it: a PRIVATE KEY PEM block with nothing inside.</summary>
    [Fact]
    public void ImportPkcs8Pem_EmptyBlock_ThrowsCryptoFormatExceptionNotNullReference()
    {
        Assert.Throws<CryptoFormatException>(() => SigningKey.ImportPkcs8Pem("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"));
    }
}
