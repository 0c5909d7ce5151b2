using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.Cli;

/// <summary>
/// The one mapping between the words typed on the command line (and printed back) and the
/// contract's enum values, so "ed25519" means KEY_ALGORITHM_ED25519 everywhere.
/// </summary>
public static class Words
{
    private static readonly (string Word, KeyAlgorithm Key, SigningAlgorithm Signing)[] Algorithms =
    [
        ("ed25519", KeyAlgorithm.Ed25519, SigningAlgorithm.Ed25519),
        ("ecdsa-p256", KeyAlgorithm.EcdsaP256, SigningAlgorithm.EcdsaP256),
        ("ml-dsa-65", KeyAlgorithm.MlDsa65, SigningAlgorithm.MlDsa65),
    ];

    private static readonly (string Word, ParticipantStatus Status)[] Statuses =
    [
        ("active", ParticipantStatus.Active),
        ("active-restricted", ParticipantStatus.ActiveRestricted),
        ("suspended", ParticipantStatus.Suspended),
        ("self-suspended", ParticipantStatus.SelfSuspended),
        ("removed", ParticipantStatus.Removed),
    ];

    /// <summary>Every algorithm word, in the order help lists them.</summary>
    public static string[] AlgorithmWords { get; } = [.. Algorithms.Select(a => a.Word)];

    /// <summary>Every participant status word, in the order help lists them.</summary>
    public static string[] StatusWords { get; } = [.. Statuses.Select(s => s.Word)];

    public static KeyAlgorithm ToKeyAlgorithm(string word) => Find(Algorithms, a => a.Word, word, "algorithm", AlgorithmWords).Key;

    public static SigningAlgorithm ToSigningAlgorithm(string word) => Find(Algorithms, a => a.Word, word, "algorithm", AlgorithmWords).Signing;

    public static ParticipantStatus ToParticipantStatus(string word) => Find(Statuses, s => s.Word, word, "status", StatusWords).Status;

    public static string Of(KeyAlgorithm algorithm) =>
        Algorithms.Where(a => a.Key == algorithm).Select(a => a.Word).FirstOrDefault() ?? Unknown(algorithm);

    public static string Of(ParticipantStatus status) =>
        Statuses.Where(s => s.Status == status).Select(s => s.Word).FirstOrDefault() ?? Unknown(status);

    public static string Of(KeyState state) => state switch
    {
        KeyState.Active => "active",
        KeyState.Retired => "retired",
        KeyState.Revoked => "revoked",
        _ => Unknown(state),
    };

    public static string Of(KeyCustody custody) => custody switch
    {
        KeyCustody.Managed => "managed",
        KeyCustody.Held => "held",
        _ => Unknown(custody),
    };

    public static string Of(CertificateState state) => state switch
    {
        CertificateState.Issued => "issued",
        CertificateState.Received => "received",
        CertificateState.Detained => "detained",
        CertificateState.Cancelled => "cancelled",
        CertificateState.Replaced => "replaced",
        CertificateState.Refused => "refused",
        _ => Unknown(state),
    };

    /// <summary>The states as <c>certificates list --state</c> takes them.</summary>
    public static string[] CertificateStateWords { get; } = ["issued", "received", "detained", "cancelled", "replaced", "refused"];

    public static CertificateState ToCertificateState(string word) => word switch
    {
        "issued" => CertificateState.Issued,
        "received" => CertificateState.Received,
        "detained" => CertificateState.Detained,
        "cancelled" => CertificateState.Cancelled,
        "replaced" => CertificateState.Replaced,
        "refused" => CertificateState.Refused,
        _ => throw new CliException($"--state must be one of {string.Join(", ", CertificateStateWords)}, not '{word}'"),
    };

    /// <summary>The reason as the design names it: VERIFICATION_REASON_KEY_REVOKED prints as KEY_REVOKED.</summary>
    public static string Of(VerificationReason reason) =>
        reason == VerificationReason.Unspecified ? "UNSPECIFIED" : ProtoName(reason, "VERIFICATION_REASON_");

    // An enum value the CLI does not know (a newer server): print its proto name, or its number.
    private static string Unknown<TEnum>(TEnum value) where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? value.ToString().ToLowerInvariant() : $"unknown({Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)})";

    private static string ProtoName<TEnum>(TEnum value, string prefix) where TEnum : struct, Enum
    {
        var field = typeof(TEnum).GetField(value.ToString());
        var attribute = field?.GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
            .OfType<Google.Protobuf.Reflection.OriginalNameAttribute>().FirstOrDefault();
        var name = attribute?.Name ?? Unknown(value);
        return name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
    }

    private static T Find<T>(T[] table, Func<T, string> word, string input, string what, string[] allowed)
    {
        foreach (var entry in table)
        {
            if (string.Equals(word(entry), input, StringComparison.OrdinalIgnoreCase))
                return entry;
        }

        throw new CliException($"unknown {what} '{input}': use one of {string.Join(", ", allowed)}");
    }
}
