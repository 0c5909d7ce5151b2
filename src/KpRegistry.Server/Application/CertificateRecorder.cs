using System.Threading.Channels;
using KpRegistry.Storage;

namespace KpRegistry.Server.Application;

/// <summary>
/// Group commit for issuing: one writer takes every certificate waiting to be recorded (up to
/// <see cref="MaxBatch"/>) and writes them in ONE transaction with
/// <see cref="RegistryStore.AddCertificatesAsync"/>, then answers each caller with its own outcome.
/// With SQLite's synchronous=FULL every commit costs an fsync; sharing it among the certificates
/// that arrived meanwhile is what lets issuing scale, while a caller is still answered only after
/// the commit that made its certificate durable. Nothing waits on a timer: an idle registry
/// commits a lone certificate at once, a busy one batches what queued during the previous commit.
/// </summary>
public sealed class CertificateRecorder : IAsyncDisposable
{
    /// <summary>The most certificates in one transaction.</summary>
    public const int MaxBatch = 256;

    private readonly RegistryStore _store;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public CertificateRecorder(RegistryStore store)
    {
        _store = store;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>
    /// Records <paramref name="certificate"/> with its audit entry; returns once it is committed.
    /// Throws what <see cref="RegistryStore.AddCertificateAsync"/> throws for this certificate
    /// alone (<see cref="DuplicateCertificateException"/>, <see cref="StoreNotFoundException"/>), or
    /// the error that failed its whole batch. Cancelling stops the wait, not the write: a
    /// certificate already queued may still be recorded.
    /// </summary>
    public async Task<CertificateRecord> RecordAsync(NewCertificate certificate, AuditEntry audit, CancellationToken cancellationToken)
    {
        var pending = new Pending(new CertificateToRecord(certificate, audit));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(CertificateRecorder), "The registry is shutting down.");
        }
        return await pending.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync()
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
                IReadOnlyList<CertificateBatchOutcome> outcomes =
                    await _store.AddCertificatesAsync([.. batch.Select(p => p.Item)], CancellationToken.None).ConfigureAwait(false);
                for (int i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i].Record is { } record)
                    {
                        batch[i].Done.TrySetResult(record);
                    }
                    else
                    {
                        batch[i].Done.TrySetException(outcomes[i].Error!);
                    }
                }
            }
            catch (Exception e)
            {
                // The whole transaction failed: nothing of the batch was written.
                foreach (Pending pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }
            batch.Clear();
        }
    }

    /// <summary>Stops taking certificates and waits until those queued are committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private sealed class Pending(CertificateToRecord item)
    {
        public CertificateToRecord Item { get; } = item;
        public TaskCompletionSource<CertificateRecord> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
