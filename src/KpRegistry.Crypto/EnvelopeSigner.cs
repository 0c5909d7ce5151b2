using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Envelopes;

namespace KpRegistry.Crypto;

/// <summary>Makes <c>kp.common.v1.SignedEnvelope</c>s: the one place signatures over PAE are made.</summary>
public static class EnvelopeSigner
{
    /// <summary>
    /// Signs <c>PAE(payloadType, payload)</c> with each key, in order, each signature carrying
    /// the key's id. <paramref name="payload"/> is used as given: serialise once, sign, send those bytes.
    /// </summary>
    public static SignedEnvelope Sign(string payloadType, byte[] payload, params SigningKey[] keys)
    {
        ArgumentException.ThrowIfNullOrEmpty(payloadType);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0)
        {
            throw new ArgumentException("At least one signing key is needed.", nameof(keys));
        }

        byte[] pae = Pae.Encode(payloadType, payload);
        var envelope = new SignedEnvelope
        {
            Payload = ByteString.CopyFrom(payload),
            PayloadType = payloadType,
        };
        foreach (SigningKey key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            envelope.Signatures.Add(new Signature
            {
                KeyId = key.KeyId,
                Sig = UnsafeByteOperations.UnsafeWrap(key.Sign(pae)),
            });
        }
        return envelope;
    }
}
