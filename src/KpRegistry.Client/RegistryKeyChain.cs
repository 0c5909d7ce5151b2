using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KeyAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;
using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Wire;

namespace KpRegistry.Client;

/// <summary>
/// Follows the registry's key chain (TrustList.registry_key_chain) from a pinned first key, as TUF
/// does for its root: link 1 is the pinned key, signed by itself; every later link is signed by the
/// key of the link before it (and by its own key). Only a key reached this way is trusted to sign
/// the trust list and the revocation list.
/// </summary>
public static class RegistryKeyChain
{
    /// <summary>The most links read; a registry rotating its key monthly for a century stays far below it.</summary>
    public const int MaxLinks = 2048;

    /// <summary>
    /// Verifies <paramref name="chain"/> (oldest first) from <paramref name="pinnedFirstKeyId"/>.
    /// </summary>
    /// <returns>The keys in order, each with its verifier; the last is the registry's current key.</returns>
    /// <exception cref="TrustListException">
    /// The chain is empty or too long; a link is not a key statement; a link's purpose is not
    /// REGISTRY_KEY or its participant not <see cref="RegistryParticipant.Code"/>; a sequence is not
    /// the link's position (a gap); a key_id is not the SHA-256 of its spki; link 1 is not the pinned
    /// key or does not sign itself; a later link does not name or is not signed by the previous link's
    /// key, or is not signed by its own key; a key appears twice. The message names the link.
    /// </exception>
    public static VerifiedChain Verify(string pinnedFirstKeyId, IReadOnlyList<SignedEnvelope> chain)
    {
        ArgumentNullException.ThrowIfNull(pinnedFirstKeyId);
        ArgumentNullException.ThrowIfNull(chain);
        string pin = pinnedFirstKeyId.Trim().ToLowerInvariant();
        if (!KeyIds.IsWellFormed(pin))
        {
            throw new TrustListException($"the pinned registry key id must be 64 hexadecimal characters (SHA-256 of the key's SPKI), not \"{Short(pinnedFirstKeyId)}\"");
        }
        if (chain.Count == 0)
        {
            throw new TrustListException("the registry key chain is empty: no key can vouch for the trust list");
        }
        if (chain.Count > MaxLinks)
        {
            throw new TrustListException($"the registry key chain has {chain.Count} links; at most {MaxLinks} are read");
        }

        var keys = new List<RegistryKey>(chain.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        RegistryKey? previous = null;
        for (int i = 0; i < chain.Count; i++)
        {
            ulong position = (ulong)i + 1;
            string link = $"registry key chain link {position}";
            SignedEnvelope envelope = chain[i] ?? throw new TrustListException($"{link} is missing");
            KeyStatement statement = KeyStatements.TryParse(envelope, out string problem)
                ?? throw new TrustListException($"{link}: {problem}");

            if (statement.Purpose != KeyStatementPurpose.RegistryKey)
            {
                throw new TrustListException($"{link} is a statement for {statement.Purpose}, not for a registry key");
            }
            if (!string.Equals(statement.ParticipantCode, RegistryParticipant.Code, StringComparison.Ordinal))
            {
                throw new TrustListException($"{link} names participant \"{Short(statement.ParticipantCode)}\", not the registry ({RegistryParticipant.Code})");
            }
            if (statement.Sequence != position)
            {
                throw new TrustListException($"{link} has sequence {statement.Sequence}: the chain has a gap or is out of order (expected {position})");
            }
            if (!KeyIds.IsWellFormed(statement.KeyId) || !string.Equals(statement.KeyId, KeyIds.FromSpki(statement.Spki.Span), StringComparison.Ordinal))
            {
                throw new TrustListException($"{link}: its key_id \"{Short(statement.KeyId)}\" is not the SHA-256 of its spki");
            }
            if (!seen.Add(statement.KeyId))
            {
                throw new TrustListException($"{link}: key {statement.KeyId} appears earlier in the chain");
            }
            if (!Instants.TryParse(statement.IssuedAt, out DateTimeOffset issuedAt))
            {
                throw new TrustListException($"{link}: issued_at \"{Short(statement.IssuedAt)}\" is not an RFC 3339 instant");
            }

            ISignatureVerifier verifier;
            KeyAlgorithm algorithm;
            try
            {
                algorithm = PublicKeys.DetectAlgorithm(statement.Spki.Span);
                verifier = SignatureVerifiers.Create(algorithm, statement.Spki.Span);
            }
            catch (CryptoFormatException e)
            {
                throw new TrustListException($"{link}: its spki is not a usable public key: {e.Message}", e);
            }

            if (previous is null)
            {
                if (statement.PreviousKeyId.Length != 0)
                {
                    throw new TrustListException($"{link} names a previous key, {Short(statement.PreviousKeyId)}; the first link has none");
                }
                if (!string.Equals(statement.KeyId, pin, StringComparison.Ordinal))
                {
                    throw new TrustListException($"{link} is key {statement.KeyId}, not the pinned first registry key {pin}");
                }
            }
            else
            {
                if (!string.Equals(statement.PreviousKeyId, previous.KeyId, StringComparison.Ordinal))
                {
                    throw new TrustListException($"{link} names previous key \"{Short(statement.PreviousKeyId)}\", not {previous.KeyId}, the key of link {previous.Sequence}");
                }
                if (!KeyStatements.IsSignedBy(envelope, previous.KeyId, previous.Verifier))
                {
                    throw new TrustListException($"{link} (key {statement.KeyId}) is not signed by {previous.KeyId}, the key of link {previous.Sequence}: a key the chain does not vouch for is refused");
                }
            }
            if (!KeyStatements.IsSignedBy(envelope, statement.KeyId, verifier))
            {
                throw new TrustListException($"{link} is not signed by its own key {statement.KeyId}: no proof of possession");
            }

            previous = new RegistryKey(statement.KeyId, position, algorithm, statement.Spki.ToByteArray(), issuedAt, verifier);
            keys.Add(previous);
        }
        return new VerifiedChain(keys);
    }

    private static string Short(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
