using System.Text.RegularExpressions;

namespace KpRegistry.Crypto.Tests.TestSupport;

/// <summary>
/// The values docs/FORMAT.md publishes: each is the fenced block right after a
/// <c>&lt;!-- vector: name --&gt;</c> marker. Hex blocks may be wrapped; whitespace is ignored.
/// </summary>
internal sealed partial class FormatDocument
{
    public static readonly string FilePath = RepoRoot.Combine("docs", "FORMAT.md");

    public static readonly string TestVectorDirectory = RepoRoot.Combine("tests", "KpRegistry.Crypto.Tests", "TestData", "test-vectors");

    private readonly Dictionary<string, string> _blocks;

    private FormatDocument(Dictionary<string, string> blocks) => _blocks = blocks;

    public static FormatDocument Load()
    {
        string text = File.ReadAllText(FilePath).ReplaceLineEndings("\n");
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in VectorBlock().Matches(text))
        {
            string name = m.Groups["name"].Value;
            if (!blocks.TryAdd(name, m.Groups["body"].Value))
            {
                throw new InvalidOperationException($"docs/FORMAT.md defines vector '{name}' twice.");
            }
        }
        return new FormatDocument(blocks);
    }

    public IReadOnlyCollection<string> Names => _blocks.Keys;

    public string Text(string name) =>
        _blocks.TryGetValue(name, out string? body) ? body : throw new KeyNotFoundException($"docs/FORMAT.md has no vector '{name}'.");

    public string Hex(string name) => Regex.Replace(Text(name), @"\s+", "").ToLowerInvariant();

    public byte[] Bytes(string name) => Convert.FromHexString(Hex(name));

    /// <summary>Reads a test-vector data file of <c>name = hex</c> lines ('#' starts a comment).</summary>
    public static Dictionary<string, string> ReadDataFile(string fileName)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string raw in File.ReadAllLines(Path.Combine(TestVectorDirectory, fileName)))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            int eq = line.IndexOf('=');
            values.Add(line[..eq].Trim(), line[(eq + 1)..].Trim());
        }
        return values;
    }

    [GeneratedRegex(@"<!-- vector: (?<name>[a-z0-9.-]+) -->\n```[a-z]*\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex VectorBlock();
}
