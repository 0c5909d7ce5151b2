using KpRegistry.Domain.Registry;
using KpRegistry.Server.Security;
using KpRegistry.Storage;

namespace KpRegistry.Server.Application;

/// <summary>Participants: reads from the in-memory view, changes through the store (with audit), then a view reload.</summary>
public sealed class ParticipantDirectory(RegistryStore store, RegistryViewCache cache)
{

    public IEnumerable<ParticipantInfo> List() =>
        cache.Current.Participants.OrderBy(p => p.Code, StringComparer.Ordinal);

    /// <summary>The participant with this code; the registry's own key holder is not one.</summary>
    public ParticipantInfo Get(string code) =>
        code != RegistryParticipant.Code && cache.Current.FindParticipant(code) is { } participant
            ? participant
            : throw RegistryException.NotFound($"{code} is not a Kimberley Process participant.");

    public async Task<ParticipantInfo> AdmitAsync(Caller caller, string code, string name, DateOnly from, string reason, int? maxValidityDays, CancellationToken cancellationToken)
    {
        if (code == RegistryParticipant.Code)
        {
            throw RegistryException.Invalid("code", $"{code} is reserved for the registry's own signing keys.");
        }
        if (cache.Current.FindParticipant(code) is not null)
        {
            throw RegistryException.Exists($"{code} is already a participant; change its status with SetParticipantStatus.");
        }
        try
        {
            await store.AdmitParticipantAsync(new NewParticipant(code, name, from, maxValidityDays),
                new AuditEntry(caller.AuditName, "participant.admit", code, reason), cancellationToken);
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Exists(e.Message);
        }
        await cache.ReloadRegistryAsync(CancellationToken.None); // after a commit: the view must follow, even if the caller left
        return Get(code);
    }

    public async Task<ParticipantInfo> SetStatusAsync(Caller caller, string code, ParticipantStatus status, DateOnly from, string reason, CancellationToken cancellationToken)
    {
        ParticipantInfo participant = Get(code);
        if (participant.StatusHistory.Count > 0 && from < participant.StatusHistory[^1].EffectiveFrom)
        {
            throw RegistryException.Precondition(
                $"{code}'s current status period began {participant.StatusHistory[^1].EffectiveFrom:yyyy-MM-dd}; a new period cannot begin before it ({from:yyyy-MM-dd}). The history is never rewritten.");
        }
        await store.AppendStatusAsync(code, status, from, reason,
            new AuditEntry(caller.AuditName, "participant.status", code, $"{status} from {from:yyyy-MM-dd}: {reason}"), cancellationToken);
        await cache.ReloadRegistryAsync(CancellationToken.None); // after a commit: the view must follow, even if the caller left
        return Get(code);
    }

    public async Task<ParticipantInfo> AddAuthorityAsync(Caller caller, string participantCode, string authorityCode, string name, CancellationToken cancellationToken)
    {
        Get(participantCode);
        if (cache.Current.Participants.SelectMany(p => p.Authorities).Any(a => a.Code == authorityCode))
        {
            throw RegistryException.Exists($"Authority {authorityCode} already exists; an authority code is never reused.");
        }
        try
        {
            await store.AddAuthorityAsync(new AuthorityInfo(authorityCode, participantCode, name),
                new AuditEntry(caller.AuditName, "authority.add", authorityCode, $"{participantCode}: {name}"), cancellationToken);
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Exists(e.Message);
        }
        await cache.ReloadRegistryAsync(CancellationToken.None); // after a commit: the view must follow, even if the caller left
        return Get(participantCode);
    }

    public async Task<ParticipantInfo> RemoveAuthorityAsync(Caller caller, string participantCode, string authorityCode, DateOnly effectiveOn, string reason, CancellationToken cancellationToken)
    {
        ParticipantInfo participant = Get(participantCode);
        AuthorityInfo authority = participant.Authorities.FirstOrDefault(a => a.Code == authorityCode)
            ?? throw RegistryException.NotFound($"{authorityCode} is not an authority of {participantCode}.");
        if (authority.RemovedOn is { } removed)
        {
            throw RegistryException.Precondition($"Authority {authorityCode} was already removed from {removed:yyyy-MM-dd}.");
        }
        try
        {
            await store.RemoveAuthorityAsync(participantCode, authorityCode, effectiveOn, reason,
                new AuditEntry(caller.AuditName, "authority.remove", authorityCode, $"from {effectiveOn:yyyy-MM-dd}: {reason}"), cancellationToken);
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Precondition(e.Message);
        }
        catch (StoreNotFoundException e)
        {
            throw RegistryException.NotFound(e.Message);
        }
        await cache.ReloadRegistryAsync(CancellationToken.None);
        return Get(participantCode);
    }

    public async Task<ParticipantInfo> SetZonesAsync(Caller caller, string participantCode, IReadOnlyList<string> zones, DateOnly effectiveFrom, string reason, CancellationToken cancellationToken)
    {
        Get(participantCode);
        await store.SetZonesAsync(participantCode, zones, effectiveFrom, reason,
            new AuditEntry(caller.AuditName, "participant.zones", participantCode, $"from {effectiveFrom:yyyy-MM-dd}: [{string.Join(", ", zones)}] {reason}"), cancellationToken);
        await cache.ReloadRegistryAsync(CancellationToken.None);
        return Get(participantCode);
    }

    public async Task<ParticipantInfo> SetEmbargoAsync(Caller caller, NewEmbargo embargo, CancellationToken cancellationToken)
    {
        ParticipantInfo participant = Get(embargo.IssuingParticipant);
        if (embargo.Supersedes is long supersedes && !participant.EmbargoList.Any(e => e.Id == supersedes))
        {
            throw RegistryException.NotFound($"{embargo.IssuingParticipant} has no embargo {supersedes} in force in the registry (unknown, or already superseded).");
        }
        string scope = $"from {embargo.EffectiveFrom:yyyy-MM-dd} to {(embargo.EffectiveTo is { } to ? to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "open")}"
            + $", destinations [{string.Join(" ", embargo.Destinations)}], origins [{string.Join(" ", embargo.Origins)}]"
            + (embargo.Supersedes is { } s ? $", supersedes {s}" : "");
        try
        {
            await store.AddEmbargoAsync(embargo, new AuditEntry(caller.AuditName, "participant.embargo", embargo.IssuingParticipant, $"{scope}: {embargo.Reason}"), cancellationToken);
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Precondition(e.Message);
        }
        catch (StoreNotFoundException e)
        {
            throw RegistryException.NotFound(e.Message);
        }
        await cache.ReloadRegistryAsync(CancellationToken.None);
        return Get(embargo.IssuingParticipant);
    }

    public async Task<ParticipantInfo> SetLicensingAsync(Caller caller, string participantCode, bool licensesExporters, string reason, CancellationToken cancellationToken)
    {
        Get(participantCode);
        await store.SetLicensingAsync(participantCode, licensesExporters, reason,
            new AuditEntry(caller.AuditName, "participant.licensing", participantCode, $"licenses exporters: {(licensesExporters ? "yes" : "no")}. {reason}"), cancellationToken);
        await cache.ReloadRegistryAsync(CancellationToken.None);
        return Get(participantCode);
    }
}
