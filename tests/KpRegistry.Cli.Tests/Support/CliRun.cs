using Grpc.Net.Client;
using KpRegistry.Cli;
using Microsoft.Extensions.Time.Testing;

namespace KpRegistry.Cli.Tests.Support;

/// <summary>
/// Runs kpreg in-process: captured output and error, a fixed environment, a fake clock, and a
/// channel factory that a test may replace (by default it refuses, so no test reaches a network).
/// </summary>
internal sealed class CliRun
{
    public StringWriter Output { get; } = new();
    public StringWriter Error { get; } = new();
    public Dictionary<string, string> Environment { get; } = [];
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 15, 23, 30, 0, TimeSpan.Zero));
    public List<ConnectionSettings> Connections { get; } = [];

    /// <summary>The channel for a connection; null records the settings and fails the call.</summary>
    public Func<ConnectionSettings, GrpcChannel>? Channel { get; set; }

    public async Task<int> InvokeAsync(params string[] args)
    {
        var context = new KpregContext
        {
            Output = Output,
            Error = Error,
            Environment = name => Environment.GetValueOrDefault(name),
            Time = Time,
            ChannelFactory = settings =>
            {
                Connections.Add(settings);
                return Channel?.Invoke(settings) ?? throw new CliException("no server in this test");
            },
        };
        return await KpregCli.InvokeAsync(args, context, TestContext.Current.CancellationToken);
    }
}
