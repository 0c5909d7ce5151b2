using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using KpRegistry.Server.Security;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// A KpRegistry in its OWN process (<c>dotnet KpRegistry.Server.dll</c>), so that several
/// instances can share one database folder and one can be killed with SIGKILL. Development
/// environment (the dev PKI and KEK are made by the first start in <see cref="Root"/> and shared by
/// every later one), an ephemeral loopback port read from the server's own "listening on" line,
/// and everything it writes to stdout and stderr kept in <see cref="Output"/>.
/// </summary>
public sealed partial class RegistryProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Process _process;

    private RegistryProcess(string root, Process process)
    {
        Root = root;
        _process = process;
    }

    /// <summary>The folder holding data/ and certs/, shared by the instances started on it.</summary>
    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public string CertificatesDirectory => Path.Combine(Root, "certs");

    public Uri Address { get; private set; } = new("https://127.0.0.1");

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far (stdout and stderr, interleaved by line).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts an instance on <paramref name="root"/> and returns once it listens (or throws with
    /// what it wrote when it exits first). <paramref name="extraArguments"/> are more settings.
    /// </summary>
    public static async Task<RegistryProcess> StartAsync(string root, IEnumerable<string>? extraArguments = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KpRegistry.Server.dll"));
        foreach (string argument in new[]
        {
            "--environment", "Development",
            "--urls", "https://127.0.0.1:0",
            $"--KpRegistry:DataDirectory={Path.Combine(root, "data")}",
            $"--KpRegistry:CertificatesDirectory={Path.Combine(root, "certs")}",
            "--Logging:LogLevel:Default=Warning",
            // The one line that says where it listens; and no colours or scopes to parse around.
            "--Logging:LogLevel:KpRegistry.Startup=Information",
            "--Logging:Console:FormatterName=simple",
            "--Logging:Console:FormatterOptions:ColorBehavior=Disabled",
        }.Concat(extraArguments ?? []))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var instance = new RegistryProcess(root, process);
        process.OutputDataReceived += (_, e) => instance.Received(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Received(e.Data);
        process.Exited += (_, _) => instance._listening.TrySetException(new InvalidOperationException("The registry process exited before it listened."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Generous: seven builds share two cores on the project's machines.
            instance.Address = await instance._listening.Task.WaitAsync(TimeSpan.FromMinutes(3));
        }
        catch (Exception e)
        {
            await instance.DisposeAsync();
            throw new InvalidOperationException($"The registry process did not start ({e.Message}). It wrote:\n{instance.Output}", e);
        }
        return instance;
    }

    /// <summary>Waits for the process to exit by itself (a refused start); returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as a service manager stops it: the host shuts down and flushes its logs.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(limit.Token);
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed; what the database committed is all that survives.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>A channel with no client certificate.</summary>
    public GrpcChannel AnonymousChannel() => Channel(null);

    /// <summary>A channel presenting the development client certificate <c>&lt;name&gt;.crt</c>.</summary>
    public GrpcChannel ChannelAs(string name) =>
        Channel(X509Certificate2.CreateFromPemFile(Path.Combine(CertificatesDirectory, name + ".crt"), Path.Combine(CertificatesDirectory, name + ".key")));

    private GrpcChannel Channel(X509Certificate2? clientCertificate)
    {
        X509Certificate2 ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(CertificatesDirectory, DevelopmentPki.CaCertificateFile));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null && CaTrust.ChainsTo(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), ca, DateTimeOffset.UtcNow)
                    && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None,
            },
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(clientCertificate.Export(X509ContentType.Pkcs12), null)];
        }
        return GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
    }

    /// <summary>A fresh temporary folder for instances to share.</summary>
    public static string NewRoot() => Directory.CreateTempSubdirectory("kpreg-proc-").FullName;

    [GeneratedRegex(@"listening on (https://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}

/// <summary>Waits for a condition another process brings about: polls it, never asserts how long it took.</summary>
public static class Eventually
{
    /// <summary>The limit is only so a broken build fails instead of hanging; it says nothing about speed.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        using var limit = new CancellationTokenSource(Generous);
        T last = await probe();
        while (!done(last))
        {
            if (limit.IsCancellationRequested)
            {
                Assert.Fail($"Never happened: {what}. Last seen: {last}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            last = await probe();
        }
        return last;
    }
}
