using System.Security.Cryptography;

namespace KpRegistry.Crypto.Tests;

public sealed class KeyEncryptionKeyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kpreg-kek-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LoadFromFile_FileWrittenByWriteToFile_HasTheSameFingerprint()
    {
        using var kek = KeyEncryptionKey.Generate();
        string path = Path.Combine(_dir, "kek.b64");

        kek.WriteToFile(path);
        using var loaded = KeyEncryptionKey.LoadFromFile(path);

        Assert.Equal(kek.Fingerprint, loaded.Fingerprint);
        Assert.Matches("^[0-9a-f]{16}$", kek.Fingerprint);
    }

    [Fact]
    public void WriteToFile_OnUnix_CreatesOwnerOnlyFile()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes do not apply on Windows.");
        }
        using var kek = KeyEncryptionKey.Generate();
        string path = Path.Combine(_dir, "kek.b64");

        kek.WriteToFile(path);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void WriteToFile_ExistingFile_IsNotOverwritten()
    {
        using var kek = KeyEncryptionKey.Generate();
        string path = Path.Combine(_dir, "kek.b64");
        File.WriteAllText(path, "keep me");

        Assert.Throws<IOException>(() => kek.WriteToFile(path));
        Assert.Equal("keep me", File.ReadAllText(path));
    }

    [Fact]
    public void Fingerprint_IsFirst8BytesOfHmacOverLabel()
    {
        byte[] raw = RandomNumberGenerator.GetBytes(32);
        using var kek = KeyEncryptionKey.FromBase64(Convert.ToBase64String(raw));

        byte[] mac = HMACSHA256.HashData(raw, "kpregistry kek fingerprint"u8.ToArray());

        Assert.Equal(Convert.ToHexStringLower(mac[..8]), kek.Fingerprint);
        Assert.Equal($"KeyEncryptionKey({kek.Fingerprint})", kek.ToString());
    }

    [Fact]
    public void LoadFromFile_MissingFile_NamesThePath()
    {
        string path = Path.Combine(_dir, "absent.b64");

        var e = Assert.Throws<KeyCustodyException>(() => KeyEncryptionKey.LoadFromFile(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void LoadFromFile_MissingDirectory_NamesThePath()
    {
        string path = Path.Combine(_dir, "nowhere", "kek.b64");

        var e = Assert.Throws<KeyCustodyException>(() => KeyEncryptionKey.LoadFromFile(path));

        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void LoadFromFile_WrongLength_NamesThePathAndLengthButNotTheContent(int length)
    {
        string path = Path.Combine(_dir, "kek.b64");
        string content = Convert.ToBase64String(RandomNumberGenerator.GetBytes(length));
        File.WriteAllText(path, content);

        var e = Assert.Throws<KeyCustodyException>(() => KeyEncryptionKey.LoadFromFile(path));

        Assert.Contains(path, e.Message);
        Assert.Contains($"{length} bytes", e.Message);
        Assert.DoesNotContain(content, e.Message);
        Assert.DoesNotContain(content[..8], e.Message);
    }

    [Fact]
    public void LoadFromFile_NotBase64_NamesThePathButNotTheContent()
    {
        string path = Path.Combine(_dir, "kek.b64");
        File.WriteAllText(path, "this is not base64 at all!!");

        var e = Assert.Throws<KeyCustodyException>(() => KeyEncryptionKey.LoadFromFile(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("not valid base64", e.Message);
        Assert.DoesNotContain("this is not", e.Message);
    }

    [Fact]
    public void LoadFromFile_Directory_IsUnreadableWithClearMessage()
    {
        var e = Assert.Throws<KeyCustodyException>(() => KeyEncryptionKey.LoadFromFile(_dir));

        Assert.Contains(_dir, e.Message);
    }

    [Fact]
    public void FromEnvironment_UnsetVariable_NamesTheVariable()
    {
        string name = "KPREG_TEST_KEK_" + Guid.NewGuid().ToString("N");

        var e = Assert.Throws<KeyCustodyException>(() => KeyEncryptionKey.FromEnvironment(name));

        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void FromEnvironment_ValidVariable_LoadsTheKey()
    {
        string name = "KPREG_TEST_KEK_" + Guid.NewGuid().ToString("N");
        byte[] raw = RandomNumberGenerator.GetBytes(32);
        Environment.SetEnvironmentVariable(name, Convert.ToBase64String(raw) + "\n");
        try
        {
            using var kek = KeyEncryptionKey.FromEnvironment(name);

            Assert.Equal(KeyEncryptionKey.FromBase64(Convert.ToBase64String(raw)).Fingerprint, kek.Fingerprint);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
