using Grpc.Core;
using KpRegistry.Server.Hosting;

namespace KpRegistry.Server.Grpc;

/// <summary>
/// The limits on long-lived calls (<see cref="LimitsOptions"/>): how many WatchRevocations streams
/// one instance holds, and how long a VerifyCertificates stream may send nothing.
/// </summary>
public sealed class StreamLimits(LimitsOptions limits)
{
    private int _watchers;

    public TimeSpan StreamIdleTimeout => limits.StreamIdleTimeout;

    /// <summary>WatchRevocations streams open now.</summary>
    public int Watchers => Volatile.Read(ref _watchers);

    /// <summary>A place for one more watcher, released when disposed.</summary>
    /// <exception cref="RpcException">RESOURCE_EXHAUSTED: <see cref="LimitsOptions.MaxWatchers"/> are already open.</exception>
    public IDisposable EnterWatcher()
    {
        if (Interlocked.Increment(ref _watchers) > limits.MaxWatchers)
        {
            Interlocked.Decrement(ref _watchers);
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"The registry already serves {limits.MaxWatchers} WatchRevocations streams; try again later, or fetch GetRevocationList with since_version."));
        }
        return new Release(this);
    }

    /// <summary>The stream sent no request for <see cref="StreamIdleTimeout"/>.</summary>
    public RpcException Idle() => new(new Status(StatusCode.ResourceExhausted,
        $"The stream sent no request for {limits.StreamIdleTimeout.TotalSeconds:0} s; the registry closed it. Open a new stream when there is more to verify."));

    private sealed class Release(StreamLimits owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref owner._watchers);
            }
        }
    }
}
