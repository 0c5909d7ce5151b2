using System.Text;
using KpRegistry.Cli;
using KpRegistry.IntegrationTests;
using Microsoft.Playwright;

namespace KpRegistry.BrowserTests;

/// <summary>
/// One real registry with a BW certificate destined for EU (its envelope file, its printed PDF and
/// PNG, and a KP1R PNG), and one headless Debian Chromium driven by Playwright, shared by the tests.
/// </summary>
public sealed class PageFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium package; Playwright's own browser download cannot work here and is never called.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public RegistryServer Server { get; private set; } = null!;

    public string Folder { get; } = Directory.CreateTempSubdirectory("kpreg-browser-").FullName;

    public string EnvelopeFile => Path.Combine(Folder, "BW-2026-PAGE-1.envelope");

    public string PdfFile => Path.Combine(Folder, "certificate.pdf");

    public string PngFile => Path.Combine(Folder, "certificate.png");

    public string ReferencePngFile => Path.Combine(Folder, "certificate-reference.png");

    public async ValueTask InitializeAsync()
    {
        Server = await RegistryServer.StartNewAsync();
        string json = Path.Combine(Folder, "bw.json");
        await KpregAsync("keys", "create", "--participant", "BW", "--as", "BW-authority");
        await KpregAsync("certificates", "sample", "--issuer", "BW", "--destination", "EU", "--out", json);
        await KpregAsync("certificates", "issue", json, "--as", "BW-authority", "--out", EnvelopeFile);
        await KpregAsync("certificates", "print", EnvelopeFile, "--out", PdfFile);
        await KpregAsync("certificates", "print", EnvelopeFile, "--out", PngFile);
        await KpregAsync("certificates", "print", EnvelopeFile, "--out", ReferencePngFile, "--reference");
    }

    /// <summary>
    /// The shared browser. Without chromium the test fails in CI (CI=true: .ci/run installs it) and
    /// is skipped elsewhere, saying how to install it.
    /// </summary>
    public async Task<IBrowser> BrowserAsync()
    {
        RequireChromium();
        return _browser ??= await LaunchAsync([]);
    }

    /// <summary>A browser of its own, started with extra command-line switches (the fake camera).</summary>
    public async Task<IBrowser> LaunchAsync(string[] extraArgs)
    {
        RequireChromium();
        _playwright ??= await Playwright.CreateAsync();
        return await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = [.. ChromiumArgs, .. extraArgs],
        });
    }

    private static void RequireChromium()
    {
        if (File.Exists(ChromiumPath))
            return;
        string message = $"{ChromiumPath} is missing: install Debian's chromium package (apt-get install -y chromium); .ci/run does so.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(message);
        Assert.Skip(message);
    }

    /// <summary>A fresh page (its own context) that trusts the development CA's server certificate, at the given viewport.</summary>
    public async Task<IPage> OpenPageAsync(IBrowser? browser = null, int width = 1024, int height = 900, string[]? permissions = null)
    {
        browser ??= await BrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            // The development CA is not in the browser's store: the server's certificate is made for this run.
            IgnoreHTTPSErrors = true,
            BaseURL = Server.Address.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Permissions = permissions,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        return page;
    }

    /// <summary>Runs kpreg in-process against this server; a failing command fails the fixture, saying why.</summary>
    public async Task<string> KpregAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new KpregContext
        {
            Output = output,
            Error = error,
            Environment = name => name switch
            {
                "KPREG_SERVER" => Server.Address.ToString().TrimEnd('/'),
                "KPREG_CERTS_DIR" => Server.CertificatesDirectory,
                _ => null,
            },
        };
        int exit = await KpregCli.InvokeAsync(args, context, CancellationToken.None);
        if (exit != 0)
            throw new InvalidOperationException($"kpreg {string.Join(' ', args)} exited {exit}: {output}{error}");
        return output.ToString();
    }

    /// <summary>The repository's docs/images folder, where the screenshots the README shows are written.</summary>
    public static string DocsImages()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KpRegistry.sln")))
                return Directory.CreateDirectory(Path.Combine(dir.FullName, "docs", "images")).FullName;
        }
        throw new InvalidOperationException("KpRegistry.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Base64(byte[] bytes) => Convert.ToBase64String(bytes);

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
