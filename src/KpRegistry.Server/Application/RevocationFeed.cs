namespace KpRegistry.Server.Application;

/// <summary>
/// Wakes the WatchRevocations streams when a revocation is recorded. Carries no data: a woken
/// stream reads the entries newer than the last one it sent from the store, so nothing is lost
/// between a wake-up and the read.
/// </summary>
public sealed class RevocationFeed
{
    private TaskCompletionSource _changed = NewSignal();
    private long _generation;

    /// <summary>A task that completes at the next <see cref="Publish"/>.</summary>
    public Task NextChange => Volatile.Read(ref _changed).Task;

    /// <summary>
    /// How many times <see cref="Publish"/> was called. Read AFTER <see cref="NextChange"/>: a read of
    /// the revocations made under this generation is then woken again by any later change. Watchers
    /// share one signed delta per (since version, generation) (<c>SignedLists.GetRevocationDeltaAsync</c>).
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Wakes every waiting stream.</summary>
    public void Publish()
    {
        // The generation first: a stream that sees the new signal also sees the new generation.
        Interlocked.Increment(ref _generation);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
