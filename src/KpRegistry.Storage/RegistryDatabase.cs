using System.Text.Json;
using System.Text.Json.Serialization;
using KpRegistry.Domain.Registry;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

/// <summary>Start-up work on the database: migrations and the first seed.</summary>
public static class RegistryDatabase
{
    /// <summary>The actor recorded for the seed.</summary>
    public const string SeedActor = "kpregistry-seed";

    /// <summary>Applies every pending migration of the configured provider (creates the database when missing).</summary>
    public static async Task MigrateAsync(IDbContextFactory<RegistryDbContext> contextFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contextFactory);
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Seeds the Kimberley Process participants (embedded Data/participants.json) with their status
    /// history into a database that has NO participant yet, in one transaction with one audit
    /// event. Returns the number seeded: 0 when any participant already exists.
    /// </summary>
    public static async Task<int> SeedParticipantsAsync(IDbContextFactory<RegistryDbContext> contextFactory, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contextFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        IReadOnlyList<SeedParticipant> seed = LoadSeed();
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await context.Participants.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }
        DateTimeOffset now = timeProvider.GetUtcNow().ToUniversalTime();
        foreach (SeedParticipant p in seed)
        {
            context.Participants.Add(new ParticipantRow
            {
                Code = p.Code, Name = p.Name, AdmittedOn = p.AdmittedOn, Embargoed = p.Embargoed, MaxValidityDays = p.MaxValidityDays,
                MaxValidityMonths = p.MaxValidityMonths, Kind = p.Kind ?? ParticipantKind.Participant,
            });
            foreach (SeedAuthority a in p.Authorities ?? [])
            {
                context.Authorities.Add(new AuthorityRow { Code = a.Code, ParticipantCode = p.Code, Name = a.Name });
            }
            context.ParticipantStatusEvents.Add(new ParticipantStatusEventRow
            {
                ParticipantCode = p.Code, Status = ParticipantStatus.Active, EffectiveFrom = p.AdmittedOn, RecordedAt = now, Reason = "admitted", Actor = SeedActor,
            });
            foreach (SeedStatus s in p.History ?? [])
            {
                context.ParticipantStatusEvents.Add(new ParticipantStatusEventRow
                {
                    ParticipantCode = p.Code, Status = s.Status, EffectiveFrom = s.From, RecordedAt = now, Reason = s.Reason ?? "", Actor = SeedActor,
                });
            }
        }
        await RegistryStore.RaiseRegistryVersionAsync(context, cancellationToken).ConfigureAwait(false);
        context.AuditEvents.Add(new AuditEventRow { At = now, Actor = SeedActor, Action = "participants.seed", Subject = "participants", Details = $"{seed.Count} participants" });
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return seed.Count;
    }

    /// <summary>The participant list shipped with the registry (embedded Data/participants.json).</summary>
    public static IReadOnlyList<SeedParticipant> LoadSeed()
    {
        using Stream stream = typeof(RegistryDatabase).Assembly.GetManifestResourceStream("KpRegistry.Storage.Data.participants.json")
            ?? throw new InvalidOperationException("The embedded participant list is missing.");
        var options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            Converters = { new JsonStringEnumConverter() },
        };
        return JsonSerializer.Deserialize<SeedFile>(stream, options)?.Participants
            ?? throw new InvalidOperationException("The embedded participant list is empty.");
    }

    private sealed record SeedFile(IReadOnlyList<SeedParticipant> Participants);
}

/// <summary>A participant of the shipped list.</summary>
/// <param name="AdmittedOn">Admission date; where only the year or month is known, the file says so.</param>
/// <param name="History">Status changes after admission, each effective from its date.</param>
/// <param name="MaxValidityMonths">The longest validity in calendar months (the EU: 2).</param>
/// <param name="Kind">Participant when absent; TradingEntity for Chinese Taipei.</param>
/// <param name="Authorities">Its registered authorities; none: any issuing_authority is accepted.</param>
public sealed record SeedParticipant(
    string Code, string Name, DateOnly AdmittedOn, IReadOnlyList<SeedStatus>? History = null, bool Embargoed = false, int? MaxValidityDays = null,
    int? MaxValidityMonths = null, ParticipantKind? Kind = null, IReadOnlyList<SeedAuthority>? Authorities = null);

/// <summary>An authority of the shipped list.</summary>
public sealed record SeedAuthority(string Code, string Name);

/// <summary>A status change of the shipped list.</summary>
public sealed record SeedStatus(ParticipantStatus Status, DateOnly From, string? Reason = null);
