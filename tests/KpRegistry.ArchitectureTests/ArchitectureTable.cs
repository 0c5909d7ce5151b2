namespace KpRegistry.ArchitectureTests;

/// <summary>One row of the "Allowed edges" table of docs/ARCHITECTURE.md.</summary>
public sealed record AllowedEdges(string Project, IReadOnlySet<string> MayUse, IReadOnlySet<string> NeverUses);

/// <summary>
/// Reads the rules from docs/ARCHITECTURE.md (copied beside the test), so the page that people
/// read is the page that the test enforces.
/// </summary>
public static class ArchitectureTable
{
    private const string Heading = "## Allowed edges";

    public static IReadOnlyDictionary<string, AllowedEdges> Load()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "ARCHITECTURE.md"));
        int start = Array.IndexOf(lines, Heading);
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/ARCHITECTURE.md has no \"{Heading}\" section.");
        }
        var rows = new Dictionary<string, AllowedEdges>(StringComparer.Ordinal);
        foreach (string line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            if (!line.StartsWith("| KpRegistry.", StringComparison.Ordinal))
            {
                continue;
            }
            string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
            // "| project | may use | never uses | why |" splits into 6 cells, the outer two empty.
            if (cells.Length != 6)
            {
                throw new InvalidOperationException($"docs/ARCHITECTURE.md: a row of \"{Heading}\" needs four cells: {line}");
            }
            rows.Add(cells[1], new AllowedEdges(cells[1], Names(cells[2]), Names(cells[3])));
        }
        return rows;
    }

    private static HashSet<string> Names(string cell) =>
        cell == "-" ? [] : [.. cell.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
