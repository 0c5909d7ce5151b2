namespace KpRegistry.Server.Hosting;

/// <summary>
/// What one client may hold or ask of the registry (<c>KpRegistry:Limits</c>; docs/SECURITY.md,
/// "Limits"). The defaults are generous, so that the load tests and benchmarks (about 30,000
/// anonymous verifications a second from one address) are not throttled; a deployment sets them
/// to what its clients need. Past a limit a call is RESOURCE_EXHAUSTED naming it; past the per-address
/// connection limit the connection is closed before its TLS handshake.
/// </summary>
public sealed class LimitsOptions
{
    /// <summary>
    /// Concurrent HTTP/2 streams (calls) on one connection; a client waits, or opens another
    /// connection, for more. 250 (it was 1,000): room for the load test's open loop at half the
    /// unary rate, which keeps under a hundred calls in flight per connection.
    /// </summary>
    public int MaxStreamsPerConnection { get; set; } = 250;

    /// <summary>Open connections in all; past it Kestrel closes new ones at once.</summary>
    public long MaxConnections { get; set; } = 10_000;

    /// <summary>Open connections from one IP address; past it a new connection is closed before its TLS handshake. 0: no limit.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 200;

    /// <summary>A connection silent this long is pinged; one that does not answer within <see cref="KeepAlivePingTimeout"/> is closed with its streams.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a keep-alive ping may go unanswered.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A VerifyCertificates stream that sends no request this long is ended (RESOURCE_EXHAUSTED).</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>WatchRevocations streams open at once on this instance; one more is RESOURCE_EXHAUSTED.</summary>
    public int MaxWatchers { get; set; } = 20_000;

    /// <summary>Calls without a client certificate from one IP address per <see cref="RateWindow"/> (the page's included). 0: no limit.</summary>
    public int AnonymousCallsPerWindow { get; set; } = 3_600_000;

    /// <summary>State-changing calls by one client certificate per <see cref="RateWindow"/> (every Registry and Certificates call but Get*, List*, Watch*). 0: no limit.</summary>
    public int ChangeCallsPerWindow { get; set; } = 600_000;

    /// <summary>The window the two rates count in: each client's permits are refilled at the end of each window (a token bucket).</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);
}
