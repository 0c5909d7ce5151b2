namespace KpRegistry.Domain.Transparency;

/// <summary>
/// Text or bytes that do not follow the C2SP format they claim (signed note, checkpoint, verifier
/// key, tlog-proof, tile path, entry bundle). The message names the rule broken and never repeats
/// key material.
/// </summary>
public sealed class TransparencyFormatException(string message) : FormatException(message);
