using System.Globalization;
using System.Text;

namespace KpRegistry.Domain.Transparency;

/// <summary>
/// One tile of C2SP tlog-tiles: level <see cref="Level"/> (0 to 63; each tile level is 8 tree
/// levels), index <see cref="Index"/> within the level, and <see cref="Width"/> hashes (256 for a
/// full tile, 1 to 255 for a partial one). Level 0 tiles hold leaf hashes; the entry bundle with the
/// same index holds the entries those leaves hash.
/// </summary>
public readonly record struct Tile
{
    /// <summary>The hashes in a full tile.</summary>
    public const int FullWidth = 256;

    /// <summary>The highest tile level the path syntax allows.</summary>
    public const int MaxLevel = 63;

    public Tile(int level, long index, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, FullWidth);
        Level = level;
        Index = index;
        Width = width;
    }

    public int Level { get; }

    public long Index { get; }

    public int Width { get; }

    public bool IsPartial => Width < FullWidth;

    /// <summary>The path below the log prefix: <c>tile/L/N[.p/W]</c>.</summary>
    public string Path => $"tile/{Level.ToString(CultureInfo.InvariantCulture)}/{PathSuffix()}";

    /// <summary>The path of the entry bundle with this index and width (level-0 tiles only): <c>tile/entries/N[.p/W]</c>.</summary>
    public string EntriesPath
    {
        get
        {
            if (Level != 0)
            {
                throw new InvalidOperationException("Entry bundles match level-0 tiles only.");
            }
            return $"tile/entries/{PathSuffix()}";
        }
    }

    /// <summary>
    /// The encoding of a tile index: zero-padded three-digit elements, all but the last prefixed
    /// with <c>x</c> (1234067 is <c>x001/x234/067</c>).
    /// </summary>
    public static string EncodeIndex(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var elements = new List<string>();
        do
        {
            elements.Add((index % 1000).ToString("D3", CultureInfo.InvariantCulture));
            index /= 1000;
        }
        while (index > 0);
        var text = new StringBuilder();
        for (int i = elements.Count - 1; i > 0; i--)
        {
            text.Append('x').Append(elements[i]).Append('/');
        }
        return text.Append(elements[0]).ToString();
    }

    /// <summary>
    /// Reads <c>L/N[.p/W]</c> (after <c>tile/</c>) or, with <paramref name="entries"/>,
    /// <c>N[.p/W]</c> (after <c>tile/entries/</c>). Only the canonical spelling is accepted, so one
    /// tile has one path: no leading zeroes in L or W, three digits per index element, W 1 to 255.
    /// </summary>
    public static bool TryParse(string path, bool entries, out Tile tile)
    {
        tile = default;
        ArgumentNullException.ThrowIfNull(path);
        int level = 0;
        string rest = path;
        if (!entries)
        {
            int slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !TryParseDecimal(path[..slash], out long l) || l > MaxLevel)
            {
                return false;
            }
            level = (int)l;
            rest = path[(slash + 1)..];
        }
        int width = FullWidth;
        int partial = rest.IndexOf(".p/", StringComparison.Ordinal);
        if (partial >= 0)
        {
            if (!TryParseDecimal(rest[(partial + 3)..], out long w) || w < 1 || w >= FullWidth)
            {
                return false;
            }
            width = (int)w;
            rest = rest[..partial];
        }
        string[] elements = rest.Split('/');
        long index = 0;
        for (int i = 0; i < elements.Length; i++)
        {
            string element = elements[i];
            bool last = i == elements.Length - 1;
            if (!last)
            {
                if (!element.StartsWith('x'))
                {
                    return false;
                }
                element = element[1..];
            }
            if (element.Length != 3 || !element.All(char.IsAsciiDigit))
            {
                return false;
            }
            try
            {
                index = checked(index * 1000 + int.Parse(element, NumberStyles.None, CultureInfo.InvariantCulture));
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        // "x000/001" would name tile 1 a second way.
        if (elements.Length > 1 && elements[0] == "x000")
        {
            return false;
        }
        tile = new Tile(level, index, width);
        return true;
    }

    /// <summary>The width of the partial tile at <paramref name="level"/> for a tree of <paramref name="treeSize"/>: floor(s / 256^l) mod 256 (0 when there is none).</summary>
    public static int PartialWidth(int level, long treeSize) => (int)(HashesAtLevel(level, treeSize) % FullWidth);

    /// <summary>The number of full tiles at <paramref name="level"/> for a tree of <paramref name="treeSize"/>.</summary>
    public static long FullTileCount(int level, long treeSize) => HashesAtLevel(level, treeSize) / FullWidth;

    /// <summary>Every tile a tree of <paramref name="treeSize"/> has, level by level: the full ones, then the partial one if any.</summary>
    public static IEnumerable<Tile> OfTree(long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        for (int level = 0; level <= MaxLevel && HashesAtLevel(level, treeSize) > 0; level++)
        {
            long full = FullTileCount(level, treeSize);
            for (long n = 0; n < full; n++)
            {
                yield return new Tile(level, n, FullWidth);
            }
            int partial = PartialWidth(level, treeSize);
            if (partial > 0)
            {
                yield return new Tile(level, full, partial);
            }
        }
    }

    /// <summary>The tile at <paramref name="level"/> holding hash <paramref name="hashIndex"/> of that level, as wide as the tree of <paramref name="treeSize"/> makes it.</summary>
    public static Tile Containing(int level, long hashIndex, long treeSize)
    {
        long n = hashIndex / FullWidth;
        int width = n < FullTileCount(level, treeSize) ? FullWidth : PartialWidth(level, treeSize);
        if (width == 0 || hashIndex % FullWidth >= width)
        {
            throw new ArgumentOutOfRangeException(nameof(hashIndex), hashIndex, $"A tree of {treeSize} has no hash {hashIndex} at tile level {level}.");
        }
        return new Tile(level, n, width);
    }

    /// <summary>floor(s / 256^level): the hashes of a tree of s leaves at tile level <paramref name="level"/>.</summary>
    private static long HashesAtLevel(int level, long treeSize)
    {
        int shift = 8 * level;
        return shift >= 63 ? 0 : treeSize >> shift;
    }

    private string PathSuffix() =>
        IsPartial ? $"{EncodeIndex(Index)}.p/{Width.ToString(CultureInfo.InvariantCulture)}" : EncodeIndex(Index);

    private static bool TryParseDecimal(string text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 18 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }
        value = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }
}
