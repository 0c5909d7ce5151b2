namespace KpRegistry.Domain.Statistics;

/// <summary>
/// The countries with rough-diamond production of their own, for the anomaly "origin declared by
/// a country with no production". Source: the KP's annual global summaries of production
/// (https://kimberleyprocessstatistics.org/public_statistics, "Annual Global Summary", 2019-2023):
/// every country that reported a non-zero production in at least one of those years. The list
/// was written from those summaries by hand and should be re-checked each year (a change is a code
/// change, reviewed like any rule; <see cref="AnomalyRules.Producers"/> takes another set).
/// A country outside the list may still appear as an origin legitimately (a mixed parcel's
/// listing, an old stock); the anomaly is a question for a person, never a refusal.
/// </summary>
public static class Producers
{
    /// <summary>ISO 3166-1 alpha-2 codes.</summary>
    public static readonly IReadOnlySet<string> Default = new HashSet<string>(StringComparer.Ordinal)
    {
        "AO", // Angola
        "AU", // Australia (Argyle closed in 2020; Ellendale and Merlin small producers)
        "BR", // Brazil
        "BW", // Botswana
        "CA", // Canada
        "CD", // Democratic Republic of the Congo
        "CF", // Central African Republic
        "CG", // Republic of the Congo
        "CI", // Côte d'Ivoire
        "CM", // Cameroon
        "CN", // China
        "GH", // Ghana
        "GN", // Guinea
        "GY", // Guyana
        "ID", // Indonesia
        "IN", // India
        "LR", // Liberia
        "LS", // Lesotho
        "NA", // Namibia
        "RU", // Russia
        "SL", // Sierra Leone
        "TG", // Togo
        "TZ", // Tanzania
        "VE", // Venezuela
        "ZA", // South Africa
        "ZW", // Zimbabwe
    };
}
