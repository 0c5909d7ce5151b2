using KpRegistry.Domain.Registry;

namespace KpRegistry.Storage.Tests;

/// <summary>The shipped participant list (Data/participants.json).</summary>
public sealed class ParticipantSeedTests
{
    private static readonly IReadOnlyList<SeedParticipant> Seed = RegistryDatabase.LoadSeed();

    [Fact]
    public void LoadSeed_ShippedList_HasSixtyDistinctParticipants()
    {
        Assert.Equal(60, Seed.Count);
        Assert.Equal(60, Seed.Select(p => p.Code).Distinct(StringComparer.Ordinal).Count());
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
    [InlineData("TW")]
    [InlineData("KE")]
    public void LoadSeed_NonParticipant_IsNotListed(string code) => Assert.DoesNotContain(Seed, p => p.Code == code);

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
