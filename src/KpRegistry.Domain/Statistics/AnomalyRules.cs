using System.Globalization;

namespace KpRegistry.Domain.Statistics;

/// <summary>What an anomaly is about.</summary>
public enum AnomalyKind
{
    PriceOutlierIssuer,
    PriceOutlierOrigin,
    NonProducerOrigin,
    ExportJump,
}

/// <summary>One counted certificate as the price and origin rules read it.</summary>
public sealed record PricedCertificate(
    string IssuingParticipant, string CertificateNumber, string DestinationParticipant,
    long CaratsHundredths, long ValueUsdCents, IReadOnlyList<string> OriginCountries, bool MixedOrigin)
{
    /// <summary>US cents per carat, unrounded (the median works on these).</summary>
    public double CentsPerCarat => CaratsHundredths > 0 ? ValueUsdCents * 100.0 / CaratsHundredths : 0;
}

/// <summary>Exports of one pair in one period.</summary>
public sealed record PairExports(string Exporter, string Importer, long CaratsHundredths, long ValueUsdCents, long Certificates);

/// <summary>One flag for a person, with the figures behind it.</summary>
public sealed record AnomalyFinding(
    AnomalyKind Kind, string IssuingParticipant, string CertificateNumber, string Partner, string OriginCountry, string Reason,
    long CentsPerCarat = 0, long MedianCentsPerCarat = 0, long MadCentsPerCarat = 0, long ScoreMilli = 0, int GroupSize = 0,
    PairExports? Current = null, PairExports? Previous = null);

/// <summary>
/// The anomaly rules of issue 14 (docs/STATISTICS.md): a certificate's price far from its
/// issuer's or its origin's median over the period (the laundering signal of fraud case 13:
/// value moved by over- or under-invoicing at a hub shows as a price per carat out of line), an
/// origin that produces no diamonds, and a pair's exports jumping against the same period a year
/// earlier. Pure: the caller supplies the period's certificates and pair totals.
/// </summary>
public sealed class AnomalyRules
{
    /// <summary>Iglewicz and Hoaglin's recommended cut-off for the modified z-score.</summary>
    public double OutlierScore { get; init; } = 3.5;

    /// <summary>Fewer certificates than this in a group: no median is trusted, nothing is flagged.</summary>
    public int MinimumGroupSize { get; init; } = 5;

    /// <summary>A pair's value this period at least this many times the same period's a year earlier.</summary>
    public double JumpRatio { get; init; } = 2.0;

    /// <summary>...and larger by at least this (US cents): $1,000,000, so small trades doubling are not flags.</summary>
    public long JumpMinimumIncreaseUsdCents { get; init; } = 100_000_000;

    public IReadOnlySet<string> Producers { get; init; } = Statistics.Producers.Default;

    public string PriceRule => string.Create(CultureInfo.InvariantCulture,
        $"|x - median| / (1.4826 MAD) > {OutlierScore} of US$/ct, per issuer and per single origin over the period, groups of at least {MinimumGroupSize} certificates with MAD > 0");

    public string JumpRule => string.Create(CultureInfo.InvariantCulture,
        $"a pair's exports (US$) at least {JumpRatio}x the same period of the previous year and larger by at least US${JumpMinimumIncreaseUsdCents / 100:N0}; a pair without exports a year earlier is not flagged");

    /// <summary>Every finding, by kind, then issuer, then certificate number (then partner).</summary>
    public IReadOnlyList<AnomalyFinding> Find(IReadOnlyList<PricedCertificate> certificates, IReadOnlyList<PairExports> current, IReadOnlyList<PairExports> previousYear)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previousYear);
        var findings = new List<AnomalyFinding>();
        findings.AddRange(PriceOutliers(certificates, c => c.IssuingParticipant, AnomalyKind.PriceOutlierIssuer, "issuer"));
        findings.AddRange(PriceOutliers(
            certificates.Where(c => !c.MixedOrigin && c.OriginCountries.Count == 1).ToList(), c => c.OriginCountries[0], AnomalyKind.PriceOutlierOrigin, "origin"));
        foreach (PricedCertificate c in certificates)
        {
            foreach (string origin in c.OriginCountries.Where(o => !Producers.Contains(o)).Distinct(StringComparer.Ordinal))
            {
                findings.Add(new AnomalyFinding(AnomalyKind.NonProducerOrigin, c.IssuingParticipant, c.CertificateNumber, c.DestinationParticipant, origin,
                    $"origin {origin} declared, a country with no diamond production of its own", CentsPerCarat: StatisticsMath.CentsPerCarat(c.CaratsHundredths, c.ValueUsdCents)));
            }
        }
        var before = previousYear.ToDictionary(p => (p.Exporter, p.Importer));
        foreach (PairExports now in current)
        {
            if (before.TryGetValue((now.Exporter, now.Importer), out PairExports? then) && then.ValueUsdCents > 0
                && now.ValueUsdCents >= JumpRatio * then.ValueUsdCents && now.ValueUsdCents - then.ValueUsdCents >= JumpMinimumIncreaseUsdCents)
            {
                findings.Add(new AnomalyFinding(AnomalyKind.ExportJump, now.Exporter, "", now.Importer, "", string.Create(CultureInfo.InvariantCulture,
                    $"exports of {now.Exporter} to {now.Importer} US${now.ValueUsdCents / 100m:N2} against US${then.ValueUsdCents / 100m:N2} a year earlier ({(double)now.ValueUsdCents / then.ValueUsdCents:0.00}x)"),
                    Current: now, Previous: then));
            }
        }
        return [.. findings.OrderBy(f => f.Kind).ThenBy(f => f.IssuingParticipant, StringComparer.Ordinal)
            .ThenBy(f => f.CertificateNumber, StringComparer.Ordinal).ThenBy(f => f.Partner, StringComparer.Ordinal).ThenBy(f => f.OriginCountry, StringComparer.Ordinal)];
    }

    private IEnumerable<AnomalyFinding> PriceOutliers(IReadOnlyList<PricedCertificate> certificates, Func<PricedCertificate, string> groupOf, AnomalyKind kind, string groupName)
    {
        foreach (var group in certificates.Where(c => c.CaratsHundredths > 0).GroupBy(groupOf, StringComparer.Ordinal))
        {
            var members = group.ToList();
            if (members.Count < MinimumGroupSize)
            {
                continue;
            }
            var prices = members.Select(c => c.CentsPerCarat).ToList();
            double median = RobustStatistics.Median(prices);
            double mad = RobustStatistics.Mad(prices, median);
            foreach (PricedCertificate c in members)
            {
                if (RobustStatistics.Score(c.CentsPerCarat, median, mad) is { } score && score > OutlierScore)
                {
                    yield return new AnomalyFinding(kind, c.IssuingParticipant, c.CertificateNumber, c.DestinationParticipant,
                        kind == AnomalyKind.PriceOutlierOrigin ? group.Key : "",
                        string.Create(CultureInfo.InvariantCulture,
                            $"US${c.CentsPerCarat / 100:N2}/ct against the {groupName} {group.Key}'s median US${median / 100:N2}/ct (MAD US${mad / 100:N2}, score {score:0.0} > {OutlierScore}, {members.Count} certificates)"),
                        (long)Math.Round(c.CentsPerCarat, MidpointRounding.AwayFromZero), (long)Math.Round(median, MidpointRounding.AwayFromZero),
                        (long)Math.Round(mad, MidpointRounding.AwayFromZero), (long)Math.Round(score * 1000, MidpointRounding.AwayFromZero), members.Count);
                }
            }
        }
    }
}

/// <summary>Exact integer arithmetic of the statistics' units.</summary>
public static class StatisticsMath
{
    /// <summary>US cents per carat from hundredths of a carat and US cents, rounded half up; 0 without carats.</summary>
    public static long CentsPerCarat(long caratsHundredths, long valueUsdCents)
    {
        if (caratsHundredths <= 0)
        {
            return 0;
        }
        // value * 100 / carats, half up, in 128 bits so no realistic total can overflow.
        Int128 numerator = (Int128)valueUsdCents * 200 + caratsHundredths;
        return (long)(numerator / ((Int128)caratsHundredths * 2));
    }

    /// <summary>value * part / whole, rounded half up (the value of part of a weight at its certificate's price).</summary>
    public static long Prorate(long valueUsdCents, long part, long whole)
    {
        if (whole <= 0)
        {
            return 0;
        }
        Int128 numerator = (Int128)valueUsdCents * part * 2 + whole;
        return (long)(numerator / ((Int128)whole * 2));
    }
}
