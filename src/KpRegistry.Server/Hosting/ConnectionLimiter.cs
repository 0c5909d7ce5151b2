using System.Net;
using Microsoft.AspNetCore.Connections;

namespace KpRegistry.Server.Hosting;

/// <summary>
/// Kestrel connection middleware that holds at most <see cref="LimitsOptions.MaxConnectionsPerAddress"/>
/// open connections per client IP address. It runs before the TLS handshake, so a refused
/// connection costs the registry no handshake and no HTTP/2 state: it is closed at once, and the
/// client sees UNAVAILABLE.
/// </summary>
public sealed partial class ConnectionLimiter(int maxPerAddress, ILogger<ConnectionLimiter> logger)
{
    private readonly Dictionary<IPAddress, int> _open = [];

    /// <summary>Open connections from <paramref name="address"/> now (for tests and diagnostics).</summary>
    public int OpenFrom(IPAddress address)
    {
        lock (_open)
        {
            return _open.GetValueOrDefault(Normalize(address));
        }
    }

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (maxPerAddress <= 0 || connection.RemoteEndPoint is not IPEndPoint { Address: var remote })
        {
            await next(connection);
            return;
        }
        IPAddress address = Normalize(remote);
        if (!TryEnter(address))
        {
            // Debug: an Information line per refused connection would let a flood write the log.
            LogRefused(logger, address.ToString(), maxPerAddress);
            return;
        }
        try
        {
            await next(connection);
        }
        finally
        {
            Leave(address);
        }
    }

    private bool TryEnter(IPAddress address)
    {
        lock (_open)
        {
            int open = _open.GetValueOrDefault(address);
            if (open >= maxPerAddress)
            {
                return false;
            }
            _open[address] = open + 1;
            return true;
        }
    }

    private void Leave(IPAddress address)
    {
        lock (_open)
        {
            int open = _open[address] - 1;
            if (open == 0)
            {
                _open.Remove(address);
            }
            else
            {
                _open[address] = open;
            }
        }
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Connection from {Address} refused: it already holds {Limit} connections")]
    private static partial void LogRefused(ILogger logger, string address, int limit);
}
