using KpRegistry.Domain.Wire;

namespace KpRegistry.Domain.Tests.Wire;

public sealed class InstantsTests
{
    [Theory]
    [InlineData("2026-11-28T07:30:00Z", "2026-11-28T07:30:00.0000000+00:00")]
    [InlineData("2026-11-28T07:30:00.5Z", "2026-11-28T07:30:00.5000000+00:00")]
    [InlineData("2026-11-28T07:30:00.1234567Z", "2026-11-28T07:30:00.1234567+00:00")]
    [InlineData("2026-11-28T09:30:00+02:00", "2026-11-28T07:30:00.0000000+00:00")]
    [InlineData("2026-11-28T02:30:00.25-05:00", "2026-11-28T07:30:00.2500000+00:00")]
    public void TryParse_Rfc3339Instant_ParsesInUtc(string text, string expected)
    {
        Assert.True(Instants.TryParse(text, out DateTimeOffset instant));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), instant);
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-11-28")]
    [InlineData("2026-11-28T07:30:00")] // no offset: a local time, not an instant
    [InlineData("2026-11-28 07:30:00Z")]
    [InlineData("2026-11-28t07:30:00Z")]
    [InlineData("2026-11-28T07:30:00z")]
    [InlineData(" 2026-11-28T07:30:00Z")]
    [InlineData("2026-11-28T07:30:00Z ")]
    [InlineData("2026-11-28T07:30:00.Z")]
    [InlineData("2026-11-28T07:30:00.12345678Z")]
    [InlineData("2026-11-28T07:30:00+2:00")]
    [InlineData("2026-11-28T07:30:00+0200")]
    [InlineData("2026-11-28T07:30Z")]
    [InlineData("2026-02-30T07:30:00Z")]
    [InlineData("2026-11-28T24:00:00Z")]
    [InlineData("28/11/2026 07:30:00 +00:00")]
    [InlineData("Sat, 28 Nov 2026 07:30:00 GMT")]
    public void TryParse_AnythingElse_Fails(string? text)
    {
        Assert.False(Instants.TryParse(text, out _));
    }

    [Fact]
    public void Format_InstantWithAnOffset_WritesUtcWithItsPrecision()
    {
        Assert.Equal("2026-11-28T07:30:00Z", Instants.Format(new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.FromHours(2))));
        Assert.Equal("2026-11-28T07:30:00.5Z", Instants.Format(new DateTimeOffset(2026, 11, 28, 7, 30, 0, 500, TimeSpan.Zero)));
    }

    [Fact]
    public void Format_Null_IsEmpty()
    {
        Assert.Equal("", Instants.Format((DateTimeOffset?)null));
    }

    [Fact]
    public void Parse_WhatFormatWrites_RoundTrips()
    {
        var instant = new DateTimeOffset(2026, 11, 28, 7, 30, 0, TimeSpan.Zero).AddTicks(1234567);

        Assert.Equal(instant, Instants.Parse(Instants.Format(instant), "at"));
    }

    [Fact]
    public void Parse_NotAnInstant_ThrowsNamingTheField()
    {
        FormatException e = Assert.Throws<FormatException>(() => Instants.Parse("yesterday", "not_before"));

        Assert.Contains("not_before", e.Message);
    }

    [Fact]
    public void ParseOptional_Empty_IsNull()
    {
        Assert.Null(Instants.ParseOptional("", "not_after"));
    }
}
