using KpRegistry.Domain.Certificates;

namespace KpRegistry.Domain.Tests.Certificates;

public sealed class CertificateDatesTests
{
    [Theory]
    [InlineData("2026-03-09", 2026, 3, 9)]
    [InlineData("2024-02-29", 2024, 2, 29)]
    [InlineData("0001-01-01", 1, 1, 1)]
    public void TryParse_IsoCalendarDate_Parses(string text, int year, int month, int day)
    {
        Assert.True(CertificateDates.TryParse(text, out DateOnly date));
        Assert.Equal(new DateOnly(year, month, day), date);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-3-9")]
    [InlineData("2026-03-9")]
    [InlineData("2025-02-29")]
    [InlineData("2026-13-01")]
    [InlineData("2026/03/09")]
    [InlineData("09-03-2026")]
    [InlineData(" 2026-03-09")]
    [InlineData("2026-03-09 ")]
    [InlineData("2026-03-09T00:00")]
    [InlineData("2026-03-09Z")]
    [InlineData("+2026-03-09")]
    [InlineData("２０２６-03-09")]
    [InlineData("0000-01-01")]
    [InlineData("2026-00-10")]
    [InlineData("2026-04-31")]
    [InlineData("2026-03-00")]
    [InlineData("-026-03-09")]
    [InlineData("2026-0a-09")]
    public void TryParse_AnythingElse_Fails(string? text)
    {
        Assert.False(CertificateDates.TryParse(text, out _));
    }

    [Fact]
    public void ToText_Date_RoundTrips()
    {
        var date = new DateOnly(2026, 5, 8);
        Assert.Equal("2026-05-08", CertificateDates.ToText(date));
        Assert.True(CertificateDates.TryParse(CertificateDates.ToText(date), out DateOnly back));
        Assert.Equal(date, back);
    }

    [Fact]
    public void UtcDate_OffsetInstant_GivesUtcCalendarDate()
    {
        var instant = new DateTimeOffset(2026, 3, 10, 1, 0, 0, TimeSpan.FromHours(3)); // 2026-03-09T22:00Z
        Assert.Equal(new DateOnly(2026, 3, 9), CertificateDates.UtcDate(instant));
    }
}
