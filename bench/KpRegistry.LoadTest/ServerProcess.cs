using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.LoadTest;

/// <summary>
/// The real server as its own process (Release build, Development environment so it makes its dev
/// PKI, SQLite in the given data folder), so that its memory can be read from /proc and it can be
/// killed with SIGKILL.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port, string certificatesDirectory, TimeSpan startTime)
    {
        _process = process;
        Port = port;
        CertificatesDirectory = certificatesDirectory;
        StartTime = startTime;
    }

    public int Port { get; }
    public string CertificatesDirectory { get; }
    public TimeSpan StartTime { get; }
    public int Pid => _process.Id;
    public Uri Address => new($"https://127.0.0.1:{Port}");

    public static async Task<ServerProcess> StartAsync(string serverDll, string dataDirectory, string certificatesDirectory)
    {
        int port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // KPREG_SERVER_ENV="A=1;B=2": environment for the server process only (runtime knobs under test).
        foreach (string pair in (Environment.GetEnvironmentVariable("KPREG_SERVER_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            info.Environment[pair[..eq]] = pair[(eq + 1)..];
        }
        foreach (string arg in new[]
        {
            serverDll, "--environment", "Development", "--urls", $"https://127.0.0.1:{port}",
            $"--KpRegistry:DataDirectory={dataDirectory}", $"--KpRegistry:CertificatesDirectory={certificatesDirectory}",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            info.ArgumentList.Add(arg);
        }
        var started = Stopwatch.StartNew();
        Process process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        string log = Path.Combine(dataDirectory, $"server-{process.Id}.log");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, port, certificatesDirectory, TimeSpan.Zero);
        // Ready when an RPC answers (an empty request is refused with INVALID_ARGUMENT).
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode}; see {log}");
            }
            if (started.Elapsed > TimeSpan.FromMinutes(3))
            {
                process.Kill();
                throw new TimeoutException($"The server did not answer within 3 minutes; see {log}");
            }
            if (File.Exists(Path.Combine(certificatesDirectory, "ca.crt")))
            {
                try
                {
                    using GrpcChannel channel = server.Channel(null);
                    await new Verification.VerificationClient(channel).VerifyCertificateAsync(new VerifyCertificateRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
                {
                    break;
                }
                catch (RpcException)
                {
                }
                catch (HttpRequestException)
                {
                }
            }
            await Task.Delay(200);
        }
        return new ServerProcess(process, port, certificatesDirectory, started.Elapsed);
    }

    /// <summary>A channel over TLS trusting only the dev CA, optionally presenting <c>&lt;name&gt;.crt</c>.</summary>
    public GrpcChannel Channel(string? clientName)
    {
        X509Certificate2 ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(CertificatesDirectory, "ca.crt"));
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = TrustOnly(ca),
            },
        };
        if (clientName is not null)
        {
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(
                Path.Combine(CertificatesDirectory, clientName + ".crt"), Path.Combine(CertificatesDirectory, clientName + ".key"));
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }
        return GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 4 * 1024 * 1024,
        });
    }

    /// <summary>A raw HTTP/2 connection (<see cref="RawGrpcConnection"/>) trusting only the dev CA; no client certificate.</summary>
    public Task<RawGrpcConnection> RawConnectionAsync() =>
        RawGrpcConnection.ConnectAsync(Address, X509CertificateLoader.LoadCertificateFromFile(Path.Combine(CertificatesDirectory, "ca.crt")));

    /// <summary>A method of the Verification service, for <see cref="RawGrpcConnection"/>.</summary>
    public RawGrpcMethod VerificationMethod(string name) => new($"127.0.0.1:{Port}", $"/{Verification.Descriptor.FullName}/{name}");

    /// <summary>Accepts a server certificate only when it chains to <paramref name="ca"/> (the dev CA); no revocation check.</summary>
    internal static RemoteCertificateValidationCallback TrustOnly(X509Certificate2 ca) => (_, certificate, _, _) =>
    {
        if (certificate is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    };

    /// <summary>Peak resident memory of the server since it started (VmHWM), in MiB.</summary>
    public double PeakMemoryMiB => ReadStatus("VmHWM:");

    /// <summary>Resident memory now (VmRSS), in MiB.</summary>
    public double MemoryMiB => ReadStatus("VmRSS:");

    /// <summary>Total CPU time the server used so far (user + system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    private double ReadStatus(string field)
    {
        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        return double.NaN;
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the host shuts down gracefully.
            using (Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) { }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
