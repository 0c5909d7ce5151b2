using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace KpRegistry.Cli.Tests.Support;

/// <summary>
/// A one-connection-at-a-time TLS server on a loopback port that answers any HTTP/1.1 request with
/// "ok": enough to run a real handshake against the CLI's handler and see the client certificate.
/// </summary>
internal sealed class LoopbackTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = TcpListener.Create(0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackTlsServer(X509Certificate2 certificate)
    {
        _certificate = certificate;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Address => new($"https://localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The client certificate of the last completed handshake; null when none was sent.</summary>
    public X509Certificate? LastClientCertificate { get; private set; }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            using (client)
            {
                try
                {
                    await using var tls = new SslStream(client.GetStream());
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = _certificate,
                        ClientCertificateRequired = true, // asks for one; the callback also lets an anonymous client in
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    }, _stop.Token);
                    LastClientCertificate = tls.RemoteCertificate;
                    var buffer = new byte[4096];
                    _ = await tls.ReadAsync(buffer, _stop.Token);
                    await tls.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"), _stop.Token);
                }
                catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                {
                    // The client refused the handshake: that is what some tests want.
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
