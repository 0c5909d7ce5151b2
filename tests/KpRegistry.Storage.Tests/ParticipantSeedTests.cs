using KpRegistry.Domain.Registry;

namespace KpRegistry.Storage.Tests;

/// <summary>The shipped participant list (Data/participants.json).</summary>
public sealed class ParticipantSeedTests
{
    private static readonly IReadOnlyList<SeedParticipant> Seed = RegistryDatabase.LoadSeed();

    [Fact]
    public void LoadSeed_ShippedList_HasSixtyDistinctParticipantsAndOneTradingEntity()
    {
        Assert.Equal(60, Seed.Count(p => p.Kind is null or ParticipantKind.Participant));
        Assert.Equal(61, Seed.Select(p => p.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Seed, p => Assert.Matches("^[A-Z]{2}$", p.Code));
        Assert.All(Seed, p => Assert.False(string.IsNullOrWhiteSpace(p.Name)));
    }

    [Theory]
    [InlineData("EU")]
    [InlineData("GB")]
    [InlineData("BW")]
    [InlineData("RU")]
    [InlineData("AE")]
    [InlineData("IN")]
    [InlineData("QA")]
    [InlineData("MZ")]
    [InlineData("KG")]
    [InlineData("UZ")]
    [InlineData("CF")]
    [InlineData("VE")]
    public void LoadSeed_KnownParticipant_IsListed(string code) => Assert.Contains(Seed, p => p.Code == code);

    [Theory]
    [InlineData("BE")]
    [InlineData("DE")]
    [InlineData("KE")]
    public void LoadSeed_NonParticipant_IsNotListed(string code) => Assert.DoesNotContain(Seed, p => p.Code == code);

    [Fact]
    public void LoadSeed_ChineseTaipei_IsATradingEntityFromTheConfirmedListOf31July2003()
    {
        SeedParticipant tw = Assert.Single(Seed, p => p.Code == "TW");
        Assert.Equal(ParticipantKind.TradingEntity, tw.Kind);
        Assert.Equal(new DateOnly(2003, 7, 31), tw.AdmittedOn);
        Assert.All(Seed.Where(p => p.Code != "TW"), p => Assert.NotEqual(ParticipantKind.TradingEntity, p.Kind));
    }

    [Fact]
    public void LoadSeed_Eu_TwoCalendarMonthsAndMemberStateAuthorities()
    {
        SeedParticipant eu = Assert.Single(Seed, p => p.Code == "EU");
        Assert.Equal(2, eu.MaxValidityMonths);
        Assert.Null(eu.MaxValidityDays);
        Assert.Equal(["EU-BE", "EU-DE"], eu.Authorities!.Select(a => a.Code));
    }

    // The admission dates corrected from the sources cited in participants.json (issue 10).
    [Theory]
    [InlineData("BR", "2003-10-31")]
    [InlineData("MY", "2003-10-31")]
    [InlineData("TG", "2003-10-31")]
    [InlineData("VN", "2003-10-31")]
    [InlineData("CG", "2003-07-31")]
    [InlineData("VE", "2003-07-31")]
    [InlineData("LR", "2007-05-04")]
    [InlineData("TR", "2007-08-14")]
    [InlineData("MX", "2008-12-31")]
    [InlineData("CM", "2012-08-14")]
    [InlineData("KZ", "2012-11-30")]
    [InlineData("PA", "2012-11-30")]
    [InlineData("KH", "2012-11-30")]
    [InlineData("ML", "2013-11-22")]
    [InlineData("GA", "2018-11-16")]
    [InlineData("GB", "2021-01-01")]
    [InlineData("QA", "2021-11-12")]
    [InlineData("MZ", "2021-11-12")]
    [InlineData("KG", "2021-11-12")]
    [InlineData("UZ", "2024-11-15")]
    public void LoadSeed_CorrectedParticipant_HasTheSourcedAdmissionDate(string code, string admittedOn) =>
        Assert.Equal(DateOnly.Parse(admittedOn, System.Globalization.CultureInfo.InvariantCulture), Seed.Single(p => p.Code == code).AdmittedOn);

    [Fact]
    public void LoadSeed_Mexico_WasNotAParticipantIn2007()
    {
        // AFP listed Mexico among the non-members at the Brussels plenary of November 2007.
        SeedParticipant mexico = Seed.Single(p => p.Code == "MX");
        Assert.True(mexico.AdmittedOn > new DateOnly(2007, 12, 31));
        Assert.Null(mexico.History);
    }

    [Fact]
    public void LoadSeed_Lebanon_HasTheGapOf2004To2005()
    {
        SeedParticipant lebanon = Seed.Single(p => p.Code == "LB");
        Assert.Equal(new DateOnly(2003, 1, 1), lebanon.AdmittedOn);
        Assert.Equal(
            [(ParticipantStatus.Removed, new DateOnly(2004, 1, 1)), (ParticipantStatus.Active, new DateOnly(2005, 11, 17))],
            lebanon.History!.Select(s => (s.Status, s.From)));
    }

    [Fact]
    public void LoadSeed_RepublicOfCongo_RemovedIn2004AndReadmittedOn8November2007()
    {
        SeedParticipant congo = Seed.Single(p => p.Code == "CG");
        Assert.Equal(
            [(ParticipantStatus.Removed, new DateOnly(2004, 7, 9)), (ParticipantStatus.Active, new DateOnly(2007, 11, 8))],
            congo.History!.Select(s => (s.Status, s.From)));
    }

    [Fact]
    public void LoadSeed_CentralAfricanRepublicAndVenezuela_HaveTheSourcedStatusChanges()
    {
        Assert.Equal(
            [(ParticipantStatus.Suspended, new DateOnly(2013, 5, 23)), (ParticipantStatus.ActiveRestricted, new DateOnly(2015, 7, 17)), (ParticipantStatus.Active, new DateOnly(2024, 11, 15))],
            Seed.Single(p => p.Code == "CF").History!.Select(s => (s.Status, s.From)));
        Assert.Equal(
            [(ParticipantStatus.SelfSuspended, new DateOnly(2008, 6, 19)), (ParticipantStatus.Active, new DateOnly(2016, 11, 17))],
            Seed.Single(p => p.Code == "VE").History!.Select(s => (s.Status, s.From)));
    }

    [Fact]
    public void LoadSeed_Founders_AreExactlyTheStatesListedFromFebruary2003()
    {
        // The Chair's lists of 1 February, 31 July and 31 October 2003 all name these 33; everyone else
        // was listed later (or, like Togo and Viet Nam, dropped in July 2003 and listed again in October).
        string[] founders =
        [
            "AE", "AM", "AO", "AU", "BW", "BY", "CA", "CD", "CF", "CH", "CI", "CN", "EU", "GN", "GY", "IL", "IN",
            "JP", "KR", "LA", "LB", "LK", "LS", "MU", "NA", "RU", "SL", "TH", "TZ", "UA", "US", "ZA", "ZW",
        ];
        Assert.Equal(founders, Seed.Where(p => p.AdmittedOn == new DateOnly(2003, 1, 1)).Select(p => p.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LoadSeed_Histories_AreAfterAdmissionAndInOrder()
    {
        Assert.All(Seed.Where(p => p.History is not null), p =>
        {
            DateOnly previous = p.AdmittedOn;
            foreach (SeedStatus s in p.History!)
            {
                Assert.True(s.From > previous, $"{p.Code}: {s.Status} from {s.From} is not after {previous}");
                previous = s.From;
            }
        });
        Assert.Equal(new DateOnly(2021, 1, 1), Seed.Single(p => p.Code == "GB").AdmittedOn);
        Assert.Equal(ParticipantStatus.Suspended, Seed.Single(p => p.Code == "CF").History![0].Status);
        Assert.Equal(new DateOnly(2013, 5, 23), Seed.Single(p => p.Code == "CF").History![0].From);
    }
}
