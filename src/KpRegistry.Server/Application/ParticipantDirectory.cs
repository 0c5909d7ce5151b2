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
}
