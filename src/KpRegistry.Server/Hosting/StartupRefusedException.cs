namespace KpRegistry.Server.Hosting;

/// <summary>
/// The registry will not start as configured. The message is for the operator: it names every
/// file or setting at fault and what to do, and holds no secret. Program.cs prints it to stderr
/// and exits with <see cref="ExitCode"/> instead of crashing with a trace (issue 13, finding 2).
/// </summary>
public sealed class StartupRefusedException : InvalidOperationException
{
    /// <summary>The process exit code of a refused start (sysexits EX_CONFIG).</summary>
    public const int ExitCode = 78;

    public StartupRefusedException(string message)
        : base(message)
    {
    }

    public StartupRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
