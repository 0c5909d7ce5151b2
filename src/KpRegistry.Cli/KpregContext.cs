using Grpc.Net.Client;

namespace KpRegistry.Cli;

/// <summary>
/// What a run of <c>kpreg</c> reads and writes outside its arguments. The process uses the console,
/// the environment and the system clock; a test replaces any of them, and may replace
/// <see cref="ChannelFactory"/> to reach an in-process server.
/// </summary>
public sealed class KpregContext
{
    /// <summary>Results: records, lists, VALID/INVALID, JSON.</summary>
    public required TextWriter Output { get; init; }

    /// <summary>Errors and hints.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Environment variables (KPREG_SERVER, KPREG_CA, KPREG_CERT, KPREG_KEY, KPREG_CERTS_DIR).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The clock behind "today" in <c>certificates sample</c>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Makes the channel for the resolved connection settings; the command disposes it.</summary>
    public Func<ConnectionSettings, GrpcChannel> ChannelFactory { get; init; } = ConnectionFactory.CreateChannel;

    /// <summary>The console, the process environment and the system clock.</summary>
    public static KpregContext Console() => new() { Output = System.Console.Out, Error = System.Console.Error };
}
