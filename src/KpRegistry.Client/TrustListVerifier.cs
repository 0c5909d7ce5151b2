using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Wire;

namespace KpRegistry.Client;

/// <summary>A trust list whose registry key chain and signature verified.</summary>
/// <param name="List">The parsed list, exactly as signed.</param>
/// <param name="Chain">The registry's keys, from the pin to the key that signed the list.</param>
/// <param name="NextUpdate">Null when the list names none.</param>
public sealed record VerifiedTrustList(TrustList List, VerifiedChain Chain, DateTimeOffset IssuedAt, DateTimeOffset? NextUpdate);

/// <summary>
/// Checks the registry's signed lists: the trust list (against a pinned first registry key) and
/// the revocation list (against the verified chain).
/// </summary>
public static class TrustListVerifier
{
    /// <summary>The largest trust list read: thousands of keys, ML-DSA-65 ones included, fit well below it.</summary>
    public const int MaxTrustListBytes = 32 * 1024 * 1024;

    /// <summary>The largest revocation list read.</summary>
    public const int MaxRevocationListBytes = 32 * 1024 * 1024;

    /// <summary>
    /// The trust list in <paramref name="envelope"/>, after checking: payload type exactly
    /// <see cref="PayloadTypes.TrustList"/>; its registry key chain from
    /// <paramref name="pinnedFirstKeyId"/> (<see cref="RegistryKeyChain.Verify"/>); a signature by the
    /// chain's LAST key over PAE(type, payload).
    /// </summary>
    /// <remarks>
    /// The payload is parsed before its signature is checked, because the chain that says which key
    /// signs it travels inside it; nothing read from it is used unless the chain verified from the
    /// pin and the chain's last key signed those very bytes.
    /// </remarks>
    /// <exception cref="TrustListException">Any check fails; the message says which.</exception>
    public static VerifiedTrustList Verify(string pinnedFirstKeyId, SignedEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        CheckShape(envelope, PayloadTypes.TrustList, MaxTrustListBytes, "trust list");
        TrustList list;
        try
        {
            list = TrustList.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new TrustListException($"the trust list's payload is not a kp.verification.v1.TrustList: {e.Message}", e);
        }

        VerifiedChain chain = RegistryKeyChain.Verify(pinnedFirstKeyId, list.RegistryKeyChain);
        RegistryKey current = chain.Current;
        if (!KeyStatements.IsSignedBy(envelope, current.KeyId, current.Verifier))
        {
            throw new TrustListException(envelope.Signatures.Count == 0
                ? "the trust list carries no signature"
                : $"the trust list is not signed by the registry's current key {current.KeyId} (link {current.Sequence} of its chain): it is refused");
        }

        if (!Instants.TryParse(list.IssuedAt, out DateTimeOffset issuedAt))
        {
            throw new TrustListException($"the trust list's issued_at \"{list.IssuedAt}\" is not an RFC 3339 instant");
        }
        DateTimeOffset? nextUpdate = null;
        if (list.NextUpdate.Length > 0)
        {
            nextUpdate = Instants.TryParse(list.NextUpdate, out DateTimeOffset next)
                ? next
                : throw new TrustListException($"the trust list's next_update \"{list.NextUpdate}\" is not an RFC 3339 instant");
        }
        return new VerifiedTrustList(list, chain, issuedAt, nextUpdate);
    }

    /// <summary>
    /// The revocation list in <paramref name="envelope"/>, after checking: payload type exactly
    /// <see cref="PayloadTypes.Revocations"/>, and a signature over PAE(type, payload) by a key of
    /// <paramref name="chain"/> that <paramref name="isKeyRevoked"/> does not call revoked (the
    /// newest key is expected; an older one is accepted). Only then is the payload parsed.
    /// </summary>
    /// <exception cref="TrustListException">Any check fails; the message says which.</exception>
    public static RevocationList VerifyRevocationList(SignedEnvelope envelope, VerifiedChain chain, Func<string, bool> isKeyRevoked)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(isKeyRevoked);
        CheckShape(envelope, PayloadTypes.Revocations, MaxRevocationListBytes, "revocation list");

        string? revokedSigner = null;
        bool signed = false;
        foreach (Signature signature in envelope.Signatures)
        {
            if (chain.Find(signature.KeyId) is not { } key)
            {
                continue;
            }
            if (isKeyRevoked(key.KeyId))
            {
                revokedSigner ??= key.KeyId;
                continue;
            }
            if (KeyStatements.IsSignedBy(envelope, key.KeyId, key.Verifier))
            {
                signed = true;
                break;
            }
        }
        if (!signed)
        {
            throw new TrustListException(revokedSigner is not null
                ? $"the revocation list is signed by registry key {revokedSigner}, which is revoked, and by no other key of the chain"
                : $"the revocation list is not signed by any key of the registry's chain (the current key is {chain.Current.KeyId}): it is refused");
        }

        try
        {
            return RevocationList.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new TrustListException($"the revocation list's payload is not a kp.verification.v1.RevocationList: {e.Message}", e);
        }
    }

    private static void CheckShape(SignedEnvelope envelope, string payloadType, int maxBytes, string what)
    {
        if (!string.Equals(envelope.PayloadType, payloadType, StringComparison.Ordinal))
        {
            throw new TrustListException($"the {what}'s payload_type is \"{Truncate(envelope.PayloadType)}\", not {payloadType}");
        }
        if (envelope.Payload.IsEmpty)
        {
            throw new TrustListException($"the {what}'s payload is empty");
        }
        if (envelope.Payload.Length > maxBytes)
        {
            throw new TrustListException($"the {what} has {envelope.Payload.Length} bytes; at most {maxBytes} are read");
        }
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
