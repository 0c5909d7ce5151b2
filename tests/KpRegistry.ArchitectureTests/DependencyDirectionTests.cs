using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NetArchTest.Rules;

namespace KpRegistry.ArchitectureTests;

/// <summary>
/// The direction of dependencies (docs/ARCHITECTURE.md), read from the compiled assemblies: the
/// compiler keeps a reference only to an assembly whose types the code uses, so these are the
/// edges the code really has, not the ones a .csproj declares.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly IReadOnlyDictionary<string, AllowedEdges> Table = ArchitectureTable.Load();

    /// <summary>The projects whose code may hold a private key, each its own security context.</summary>
    private static readonly HashSet<string> KeyHolders = new(StringComparer.Ordinal)
    {
        "KpRegistry.Crypto", "KpRegistry.Client", "KpRegistry.Cli", "KpRegistry.Witness",
    };

    public static TheoryData<string> Projects() => [.. Table.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Table_EverySourceProject_HasARow()
    {
        string src = Path.Combine(RepositoryRoot(), "src");
        string[] projects = [.. Directory.GetFiles(src, "*.csproj", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).Order()!];
        None(projects.Where(p => !Table.ContainsKey(p)), "src projects without a row in docs/ARCHITECTURE.md");
        None(Table.Keys.Where(p => !projects.Contains(p)), "rows of docs/ARCHITECTURE.md without a src project");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Assembly_ReferencesOnlyTheProjectsItsRowAllows(string project)
    {
        string[] used = [.. ReferencedAssemblies(project).Where(a => a.StartsWith("KpRegistry.", StringComparison.Ordinal))];
        None(used.Where(a => !Table[project].MayUse.Contains(a)), $"{project} uses projects its row in docs/ARCHITECTURE.md does not allow");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Assembly_NeverReferencesWhatItsRowForbids(string project)
    {
        None(ReferencedAssemblies(project).Where(Table[project].NeverUses.Contains), $"{project} uses assemblies its row in docs/ARCHITECTURE.md forbids");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Assembly_OutsideTheKeyHolders_NamesNoPrivateKeyType(string project)
    {
        if (KeyHolders.Contains(project))
        {
            return;
        }
        None(ReferencedTypeNames(project).Where(IsPrivateKeyType), $"{project} names private-key types");
    }

    [Fact]
    public void ServerApplication_UsesNoTransportNoEfAndNoRows()
    {
        NetArchTest.Rules.TestResult result = Types.InAssembly(typeof(KpRegistry.Server.Application.IssuanceService).Assembly)
            .That().ResideInNamespace("KpRegistry.Server.Application")
            .ShouldNot().HaveDependencyOnAny("Grpc", "Microsoft.EntityFrameworkCore", "KpRegistry.Storage.Rows", "KpRegistry.Server.Grpc", "Google.Protobuf.WellKnownTypes")
            .GetResult();
        Assert.True(result.IsSuccessful, "Server/Application depends on transport or storage details: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Server_OnlyTheCompositionRootNamesTheKeyEncryptionKey()
    {
        NetArchTest.Rules.TestResult result = Types.InAssembly(typeof(KpRegistry.Server.Application.IssuanceService).Assembly)
            .That().DoNotResideInNamespace("KpRegistry.Server.Hosting")
            .ShouldNot().HaveDependencyOnAny("KpRegistry.Crypto.KeyEncryptionKey", "KpRegistry.Crypto.ManagedKeyVault")
            .GetResult();
        Assert.True(result.IsSuccessful, "outside Hosting: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Storage_NamesNoProtoType()
    {
        // Storage keeps bytes and Domain records; the log's entries are built by Domain-typed builders.
        None(ReferencedTypeNames("KpRegistry.Storage").Where(n => n.StartsWith("KpRegistry.Contracts.", StringComparison.Ordinal) || n.StartsWith("Google.Protobuf.", StringComparison.Ordinal)),
            "KpRegistry.Storage names proto types");
        // The check can fail: the Domain names them.
        Assert.Contains(ReferencedTypeNames("KpRegistry.Domain"), n => n == "KpRegistry.Contracts.Transparency.V1.LogEntryKind" || n.StartsWith("KpRegistry.Contracts.", StringComparison.Ordinal));
    }

    [Fact]
    public void PrivateKeyCheck_SeesTheTypesItLooksFor()
    {
        // The check above must be able to fail: Crypto itself names them.
        Assert.Contains(ReferencedOrDefinedTypeNames("KpRegistry.Crypto"), IsPrivateKeyType);
        Assert.Contains(ReferencedTypeNames("KpRegistry.Client"), IsPrivateKeyType);
    }

    private static void None(IEnumerable<string> offenders, string what)
    {
        string[] found = [.. offenders];
        Assert.True(found.Length == 0, $"{what}: {string.Join(", ", found)}");
    }

    private static bool IsPrivateKeyType(string fullName) =>
        fullName is "KpRegistry.Crypto.SigningKey" or "KpRegistry.Crypto.ManagedKeyVault" or "KpRegistry.Crypto.PrivateKeyMaterial"
            or "Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair"
        || (fullName.StartsWith("Org.BouncyCastle.", StringComparison.Ordinal) && fullName.EndsWith("PrivateKeyParameters", StringComparison.Ordinal));

    /// <summary>The built assembly of a project: its &lt;AssemblyName&gt; when the .csproj sets one (kpreg), else the project's name.</summary>
    private static string AssemblyPath(string project)
    {
        string csproj = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", project, project + ".csproj"));
        System.Text.RegularExpressions.Match named = System.Text.RegularExpressions.Regex.Match(csproj, "<AssemblyName>([^<]+)</AssemblyName>");
        return Path.Combine(AppContext.BaseDirectory, (named.Success ? named.Groups[1].Value : project) + ".dll");
    }

    private static string[] ReferencedAssemblies(string project)
    {
        using var pe = new PEReader(File.OpenRead(AssemblyPath(project)));
        MetadataReader reader = pe.GetMetadataReader();
        return [.. reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name))];
    }

    private static string[] ReferencedTypeNames(string project)
    {
        using var pe = new PEReader(File.OpenRead(AssemblyPath(project)));
        MetadataReader reader = pe.GetMetadataReader();
        return [.. reader.TypeReferences.Select(h => reader.GetTypeReference(h)).Select(t => reader.GetString(t.Namespace) + "." + reader.GetString(t.Name))];
    }

    private static string[] ReferencedOrDefinedTypeNames(string project)
    {
        using var pe = new PEReader(File.OpenRead(AssemblyPath(project)));
        MetadataReader reader = pe.GetMetadataReader();
        return [.. reader.TypeDefinitions.Select(h => reader.GetTypeDefinition(h)).Select(t => reader.GetString(t.Namespace) + "." + reader.GetString(t.Name)),
            .. reader.TypeReferences.Select(h => reader.GetTypeReference(h)).Select(t => reader.GetString(t.Namespace) + "." + reader.GetString(t.Name))];
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KpRegistry.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("KpRegistry.sln not found above " + AppContext.BaseDirectory);
    }
}
