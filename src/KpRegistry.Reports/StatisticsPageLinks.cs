namespace KpRegistry.Reports;

/// <summary>Where the public statistics page's form sends the period (<paramref name="Statistics"/>) and its link back (<paramref name="Home"/>) leads.</summary>
public sealed record StatisticsPageLinks(string Statistics, string Home);
