using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KpRegistry.Storage;

/// <summary>
/// Stores a DateTimeOffset as its UTC ticks (100 ns since 0001-01-01 UTC): an integer that sorts
/// and compares as the instant does. Reads back with offset zero. Used on SQLite only.
/// </summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
