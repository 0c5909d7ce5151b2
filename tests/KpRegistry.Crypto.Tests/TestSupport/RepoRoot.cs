namespace KpRegistry.Crypto.Tests.TestSupport;

/// <summary>The repository root: the nearest directory above the test binaries that holds KpRegistry.sln.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "KpRegistry.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"KpRegistry.sln not found above {AppContext.BaseDirectory}.");
    }
}
