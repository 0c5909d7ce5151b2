namespace KpRegistry.Fuzz;

/// <summary>
/// A target's invariant broke for an input (e.g. a payload nobody signed was accepted): a finding,
/// reported as a crash exactly as an escaped exception is.
/// </summary>
public sealed class FuzzFinding(string message) : Exception(message);
