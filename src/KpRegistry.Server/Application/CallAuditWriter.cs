using System.Threading.Channels;
using KpRegistry.Storage;

namespace KpRegistry.Server.Application;

/// <summary>
/// Writes the audit trail's call records with group commit: every record waiting when the writer
/// is free goes into one transaction (at most <see cref="MaxBatch"/>), and each caller's task
/// completes when its record is committed. One transaction per state-changing call would make
/// every issue wait behind every other's audit write on SQLite's single writer.
/// </summary>
public sealed class CallAuditWriter(RegistryStore store) : IAsyncDisposable
{
    public const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private Task? _loop;

    /// <summary>Completes when <paramref name="entry"/> is committed; faults when its batch could not be written.</summary>
    public Task AppendAsync(CallAuditEntry entry)
    {
        var pending = new Pending(entry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_start)
        {
            _loop ??= Task.Run(RunAsync);
        }
        if (!_queue.Writer.TryWrite(pending))
        {
            // Shutting down: written alone rather than lost.
            return store.AppendCallAuditsAsync([entry], CancellationToken.None);
        }
        return pending.Committed.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out Pending? next))
            {
                batch.Add(next);
            }
            try
            {
                await store.AppendCallAuditsAsync([.. batch.Select(p => p.Entry)], CancellationToken.None).ConfigureAwait(false);
                batch.ForEach(p => p.Committed.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Committed.TrySetException(e));
            }
            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_start)
        {
            loop = _loop;
        }
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }
    }

    private sealed record Pending(CallAuditEntry Entry, TaskCompletionSource Committed);
}
