using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using Grpc.Net.Client;

namespace KpRegistry.IntegrationTests;

/// <summary>One real registry shared by the tests of a class; each test uses its own certificate numbers.</summary>
public class RegistryFixture : IAsyncLifetime
{
    private readonly Dictionary<string, GrpcChannel> _channels = new();

    public RegistryServer Server { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync() => Server = await RegistryServer.StartNewAsync(Configure);

    /// <summary>What a derived fixture changes in the server before it starts (e.g. a fake clock).</summary>
    protected virtual void Configure(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
    }

    public GrpcChannel As(string name)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue(name, out GrpcChannel? channel))
            {
                channel = name == "anonymous" ? Server.AnonymousChannel() : Server.ChannelAs(name);
                _channels[name] = channel;
            }
            return channel;
        }
    }

    public Registry.RegistryClient Registry(string name = "anonymous") => new(As(name));

    public Certificates.CertificatesClient Certificates(string name = "anonymous") => new(As(name));

    public Verification.VerificationClient Verification() => new(As("anonymous"));

    /// <summary>The participant's ACTIVE key of that algorithm, created by its authority when it has none.</summary>
    public async Task<Key> EnsureKeyAsync(string participant, KeyAlgorithm algorithm)
    {
        var keys = await Registry().ListKeysAsync(new ListKeysRequest { ParticipantCode = participant });
        Key? active = keys.Keys.FirstOrDefault(k => k.Algorithm == algorithm && k.State == KeyState.Active && k.Custody == KeyCustody.Managed);
        return active ?? await Registry($"{participant}-authority").CreateKeyAsync(new CreateKeyRequest { ParticipantCode = participant, Algorithm = algorithm });
    }

    /// <summary>Runs a kpreg command line in-process against this server, with its development certificates.</summary>
    public async Task<(int Exit, string Output, string Error)> KpregAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new KpRegistry.Cli.KpregContext
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
        int exit = await KpRegistry.Cli.KpregCli.InvokeAsync(args, context, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (GrpcChannel channel in _channels.Values)
        {
            channel.Dispose();
        }
        await Server.DisposeAsync();
    }
}
