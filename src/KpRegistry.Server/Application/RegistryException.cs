namespace KpRegistry.Server.Application;

/// <summary>What kind of refusal an application error is; the error interceptor maps each to one gRPC status code.</summary>
public enum ErrorKind
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    PermissionDenied,
    Unauthenticated,
}

/// <summary>One broken rule of a request: the field path and what is wrong with it.</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>
/// A refusal the caller can act on. Its message goes on the wire as the status detail, so it
/// must be precise and must never carry secrets.
/// </summary>
public sealed class RegistryException(ErrorKind kind, string message, IReadOnlyList<FieldViolation>? violations = null)
    : Exception(message)
{
    public ErrorKind Kind { get; } = kind;

    public IReadOnlyList<FieldViolation> Violations { get; } = violations ?? [];

    public static RegistryException Invalid(string message, IReadOnlyList<FieldViolation>? violations = null) =>
        new(ErrorKind.InvalidArgument, message, violations);

    public static RegistryException Invalid(string field, string description) =>
        new(ErrorKind.InvalidArgument, $"{field}: {description}", [new FieldViolation(field, description)]);

    public static RegistryException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static RegistryException Exists(string message) => new(ErrorKind.AlreadyExists, message);

    public static RegistryException Precondition(string message) => new(ErrorKind.FailedPrecondition, message);

    public static RegistryException Denied(string message) => new(ErrorKind.PermissionDenied, message);

    public static RegistryException Unauthenticated(string message) => new(ErrorKind.Unauthenticated, message);

    /// <summary>Echoes user input in a message without letting it grow the message without bound.</summary>
    public static string Echo(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 80), "…");
}
