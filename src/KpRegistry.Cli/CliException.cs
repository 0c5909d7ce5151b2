namespace KpRegistry.Cli;

/// <summary>
/// A user error with a message fit to print as it is ("error: ..."): a missing file, a file that
/// does not parse, contradicting options. Never carries key material.
/// </summary>
public sealed class CliException(string message) : Exception(message);
