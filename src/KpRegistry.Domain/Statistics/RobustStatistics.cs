namespace KpRegistry.Domain.Statistics;

/// <summary>
/// Median, MAD and the modified z-score of Iglewicz and Hoaglin ("How to Detect and Handle
/// Outliers", ASQC 1993): M = |x - median| / (1.4826 MAD). 1.4826 makes the MAD estimate the
/// standard deviation of normal data; they recommend labelling |M| &gt; 3.5 as a potential outlier.
/// Robust because a few outliers (the very prices we look for) barely move the median and MAD,
/// where they would drag a mean and a standard deviation towards themselves.
/// </summary>
public static class RobustStatistics
{
    /// <summary>The consistency constant for normally distributed data.</summary>
    public const double MadScale = 1.4826;

    /// <summary>The median; the mean of the two middle values for an even count. Empty: ArgumentException.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of nothing is undefined.", nameof(values));
        }
        double[] sorted = [.. values];
        Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The median absolute deviation from the median (unscaled).</summary>
    public static double Mad(IReadOnlyList<double> values, double median)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Median([.. values.Select(v => Math.Abs(v - median))]);
    }

    /// <summary>|x - median| / (1.4826 MAD); null when the MAD is 0 (no spread to judge against).</summary>
    public static double? Score(double value, double median, double mad) =>
        mad > 0 ? Math.Abs(value - median) / (MadScale * mad) : null;
}
