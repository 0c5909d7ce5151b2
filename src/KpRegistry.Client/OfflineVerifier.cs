using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Verification;

namespace KpRegistry.Client;

/// <summary>
/// Verifies signed certificates with no network: the one verification decision of Domain
/// (<see cref="CertificateVerifier.Verify"/>) over an <see cref="OfflineRegistry"/> built from the
/// registry's signed trust list and revocation list.
/// </summary>
/// <remarks>
/// The result is the decision the server would reach with the same participants, keys and
/// revocations, except that offline nothing says when the registry recorded a certificate (see
/// <see cref="CertificateVerifier"/>, "Time"), and NOT_RECORDED is never reported. A list past its
/// next_update still verifies: check <see cref="IsStale"/> and fetch again.
/// </remarks>
public sealed class OfflineVerifier
{
    public OfflineVerifier(OfflineRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
    }

    /// <summary>From the lists' envelopes; see <see cref="OfflineRegistry.Create"/>.</summary>
    /// <exception cref="TrustListException">Either list fails a check.</exception>
    public static OfflineVerifier Create(string pinnedFirstKeyId, SignedEnvelope trustList, SignedEnvelope? revocationList = null) =>
        new(OfflineRegistry.Create(pinnedFirstKeyId, trustList, revocationList));

    /// <summary>The view the decision reads.</summary>
    public OfflineRegistry Registry { get; }

    /// <summary>The trust list's version.</summary>
    public ulong TrustListVersion => Registry.TrustListVersion;

    /// <summary>The version of the newest revocation applied; 0 before any.</summary>
    public ulong RevocationVersion => Registry.RevocationVersion;

    /// <summary>Fetch the lists again before this; null when neither list names a time.</summary>
    public DateTimeOffset? NextUpdate => Registry.NextUpdate;

    /// <summary>True when <paramref name="now"/> is at or past <see cref="NextUpdate"/>: the lists may miss revocations.</summary>
    public bool IsStale(DateTimeOffset now) => Registry.NextUpdate is { } next && now >= next;

    /// <summary>Applies a revocation delta; see <see cref="OfflineRegistry.Apply"/>.</summary>
    /// <exception cref="TrustListException">The delta does not verify or leaves a gap.</exception>
    public void Apply(SignedEnvelope revocationDelta) => Registry.Apply(revocationDelta);

    /// <summary>The decision for <paramref name="certificate"/> at <paramref name="now"/>. Never throws for any envelope content.</summary>
    public VerificationResult Verify(SignedEnvelope certificate, DateTimeOffset now, VerificationContext? context = null) =>
        CertificateVerifier.Verify(certificate, Registry, now, context ?? VerificationContext.Default);
}
