using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using KpRegistry.Crypto;
using KpRegistry.Server.Hosting;
using KpRegistry.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// Issue 13 at start-up: development material refused outside Development (finding 2), secrets
/// owner-only from their first byte and never written through a link (finding 8), reflection a
/// setting that is off outside Development (finding 9).
/// File modes are POSIX: these tests run where the registry is deployed, on Linux.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StartupHardeningTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task Finding2_ProductionProcessOverDevelopmentMaterial_ExitsNonZeroNamingEachProblem()
    {
        string root = Directory.CreateTempSubdirectory("kpreg-f2-").FullName;
        try
        {
            string certs = Path.Combine(root, "certs");
            string data = Path.Combine(root, "data");
            DevelopmentPki.Ensure(certs, [], TimeProvider.System);
            Directory.CreateDirectory(data);
            string kek = Path.Combine(data, "registry.kek");
            using (var key = KeyEncryptionKey.Generate())
            {
                key.WriteToFile(kek);
            }
            File.SetUnixFileMode(kek, OwnerOnly | UnixFileMode.GroupRead);

            (int exitCode, string output) = await RunServerProcessUntilExitAsync("Production",
                $"--KpRegistry:DataDirectory={data}", $"--KpRegistry:CertificatesDirectory={certs}", "--KpRegistry:KeyEncryptionKeyVariable=KPREG_TEST_UNSET_KEK");

            Assert.Equal(StartupRefusedException.ExitCode, exitCode);
            Assert.Contains($"{Path.Combine(certs, "ca.crt")} is the development CA", output);
            Assert.Contains($"{Path.Combine(certs, "server.crt")} is a development server certificate", output);
            Assert.Contains($"{Path.Combine(certs, "ca.key")} is a CA private key", output);
            Assert.Contains($"{kek}, the key-encryption key, may be read by its group or others (mode 0640)", output);
            Assert.DoesNotContain("Unhandled exception", output);
            Assert.DoesNotContain("   at ", output);
            Assert.False(File.Exists(Path.Combine(data, "registry.db")), "a refused start touches no database");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Finding2_ProductionOverOperatorMaterial_Starts()
    {
        string root = Directory.CreateTempSubdirectory("kpreg-f2-").FullName;
        try
        {
            OperatorMaterial material = OperatorMaterial.Write(root);
            await using WebApplication app = await StartInProcessAsync(root, "Production");

            using GrpcChannel channel = material.Channel(Address(app));
            HealthCheckResponse health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Finding8_FirstDevelopmentStart_KeysKekAndDatabaseOwnerOnlyFromTheStart()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        string database = Path.Combine(server.DataDirectory, "registry.db");

        // The database in WAL mode, whose -wal and -shm SQLite creates with the database's own mode.
        string[] secrets =
        [
            Path.Combine(server.DataDirectory, "registry.kek"), database, database + "-wal", database + "-shm",
            .. Directory.GetFiles(server.CertificatesDirectory, "*.key"),
        ];
        Assert.Contains(Path.Combine(server.CertificatesDirectory, "admin.key"), secrets);
        Assert.All(secrets, file => Assert.Equal((file, OwnerOnly), (file, File.GetUnixFileMode(file))));
        Assert.All(new[] { server.DataDirectory, server.CertificatesDirectory },
            folder => Assert.Equal((folder, (UnixFileMode)0), (folder, File.GetUnixFileMode(folder) & GroupOrOthers)));
    }

    [Fact]
    public async Task Finding8_RestartOverDatabaseReadableByOthers_NarrowedToOwnerOnly()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        string database = Path.Combine(server.DataDirectory, "registry.db");
        await server.StopAsync();
        // What an earlier version left: SQLite's default mode.
        File.SetUnixFileMode(database, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await server.StartAsync();

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(database));
    }

    [Fact]
    public async Task Finding8_DevelopmentStartWithDanglingLinkAtKekPath_RefusedAndNoKekWritten()
    {
        string root = Directory.CreateTempSubdirectory("kpreg-f8-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "data"));
            string target = Path.Combine(root, "elsewhere.kek");
            File.CreateSymbolicLink(Path.Combine(root, "data", "registry.kek"), target);

            InvalidOperationException refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => StartInProcessAsync(root, "Development"));

            Assert.Contains(Path.Combine(root, "data", "registry.kek"), refused.Message);
            Assert.False(File.Exists(target), "the KEK was written through a dangling link");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("admin.key", true)]
    [InlineData("ca.key", false)]
    public async Task Finding8_DevelopmentStartWithLinkPlantedAtKeyPath_RefusedAndTargetUntouched(string keyFile, bool targetExists)
    {
        string root = Directory.CreateTempSubdirectory("kpreg-f8-").FullName;
        try
        {
            string certs = Path.Combine(root, "certs");
            Directory.CreateDirectory(certs);
            string target = Path.Combine(root, "elsewhere.txt");
            if (targetExists)
            {
                await File.WriteAllTextAsync(target, "not a key");
            }
            File.CreateSymbolicLink(Path.Combine(certs, keyFile), target);

            InvalidOperationException refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => StartInProcessAsync(root, "Development"));

            Assert.Contains(Path.Combine(certs, keyFile), refused.Message);
            Assert.Contains("link", refused.Message);
            if (targetExists)
            {
                Assert.Equal("not a key", await File.ReadAllTextAsync(target));
            }
            else
            {
                Assert.False(File.Exists(target), "a key was written through a dangling link");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Finding9_ProductionStart_NoReflectionService()
    {
        string root = Directory.CreateTempSubdirectory("kpreg-f9-").FullName;
        try
        {
            OperatorMaterial material = OperatorMaterial.Write(root);
            await using WebApplication app = await StartInProcessAsync(root, "Production");
            using GrpcChannel channel = material.Channel(Address(app));

            RpcException refused = await Assert.ThrowsAsync<RpcException>(() => ListServicesAsync(channel));

            Assert.Equal(StatusCode.Unimplemented, refused.StatusCode);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Finding9_ProductionStartWithReflectionSetting_ReflectionServed()
    {
        string root = Directory.CreateTempSubdirectory("kpreg-f9-").FullName;
        try
        {
            OperatorMaterial material = OperatorMaterial.Write(root);
            await using WebApplication app = await StartInProcessAsync(root, "Production", "--KpRegistry:Reflection=true");
            using GrpcChannel channel = material.Channel(Address(app));

            IReadOnlyList<string> services = await ListServicesAsync(channel);

            Assert.Contains("kp.registry.v1.Registry", services);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Finding9_DevelopmentStart_ReflectionServed()
    {
        await using RegistryServer server = await RegistryServer.StartNewAsync();
        using GrpcChannel channel = server.AnonymousChannel();

        IReadOnlyList<string> services = await ListServicesAsync(channel);

        Assert.Contains("kp.verification.v1.Verification", services);
    }

    internal static async Task<IReadOnlyList<string>> ListServicesAsync(GrpcChannel channel)
    {
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
    }

    /// <summary>The registry in this process on <paramref name="root"/>'s data/ and certs/, started; the caller disposes it.</summary>
    private static async Task<WebApplication> StartInProcessAsync(string root, string environment, params string[] more)
    {
        string[] args =
        [
            "--environment", environment,
            "--urls", "https://127.0.0.1:0",
            $"--KpRegistry:DataDirectory={Path.Combine(root, "data")}",
            $"--KpRegistry:CertificatesDirectory={Path.Combine(root, "certs")}",
            "--KpRegistry:KeyEncryptionKeyVariable=KPREG_TEST_UNSET_KEK",
            "--Logging:LogLevel:Default=Warning",
            .. more,
        ];
        WebApplication app = await RegistryApp.BuildAsync(args);
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>
    /// Runs the server as its own process (so its exit code and what it prints are the operator's)
    /// until it exits. A server that starts instead of refusing is killed and the test fails.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> RunServerProcessUntilExitAsync(string environment, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KpRegistry.Server.dll"));
        foreach (string arg in (string[])["--urls", "https://127.0.0.1:0", .. args])
        {
            info.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        // Only a bound for a regression, where the server starts and would run forever.
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        bool listening = false;
        try
        {
            while (!listening && await process.StandardOutput.ReadLineAsync(bound.Token) is { } line)
            {
                output.AppendLine(line);
                listening = line.Contains("KpRegistry listening on", StringComparison.Ordinal);
            }
            if (!listening)
            {
                // Its output closed: the process is ending.
                await process.WaitForExitAsync(bound.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        if (listening || !process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"The server started instead of refusing:{Environment.NewLine}{output}{await errors}");
        }
        return (process.ExitCode, output + await errors);
    }

    /// <summary>
    /// What an operator provides outside Development: its own client CA (whose key stays elsewhere),
    /// a server certificate for localhost from it, and an owner-only KEK file.
    /// </summary>
    private sealed class OperatorMaterial
    {
        private OperatorMaterial(X509Certificate2 ca) => Ca = ca;

        public X509Certificate2 Ca { get; }

        public static OperatorMaterial Write(string root)
        {
            string certs = Path.Combine(root, "certs");
            string data = Path.Combine(root, "data");
            Directory.CreateDirectory(certs);
            Directory.CreateDirectory(data);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=Operator Client CA, O=Test Operator", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
            X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

            using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var serverRequest = new CertificateRequest("CN=localhost, O=Test Operator", serverKey, HashAlgorithmName.SHA256);
            serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            serverRequest.CertificateExtensions.Add(san.Build());
            using X509Certificate2 server = serverRequest.Create(ca, now.AddDays(-1), now.AddDays(29), [0x01, 0x02]);

            File.WriteAllText(Path.Combine(certs, "ca.crt"), ca.ExportCertificatePem());
            File.WriteAllText(Path.Combine(certs, "server.crt"), server.ExportCertificatePem());
            File.WriteAllText(Path.Combine(certs, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
            File.SetUnixFileMode(Path.Combine(certs, "server.key"), OwnerOnly);
            using (var kek = KeyEncryptionKey.Generate())
            {
                kek.WriteToFile(Path.Combine(data, "registry.kek"));
            }
            return new OperatorMaterial(ca);
        }

        /// <summary>An anonymous channel that trusts this CA alone.</summary>
        public GrpcChannel Channel(Uri address)
        {
            var handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                        certificate is X509Certificate2 presented && CaTrust.ChainsTo(presented, Ca, DateTimeOffset.UtcNow)
                        && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None,
                },
            };
            return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        }
    }
}
