namespace KpRegistry.Server.Application;

/// <summary>
/// Wakes the WatchRevocations streams when a revocation is recorded. Carries no data: a woken
/// stream reads the entries newer than the last one it sent from the store, so nothing is lost
/// between a wake-up and the read.
/// </summary>
public sealed class RevocationFeed
{
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>A task that completes at the next <see cref="Publish"/>.</summary>
    public Task NextChange => Volatile.Read(ref _changed).Task;

    /// <summary>Wakes every waiting stream.</summary>
    public void Publish() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
