using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Envelopes;

namespace KpRegistry.Domain.Tests.TestData;

/// <summary>Signs as an issuing authority does: serialise once, sign PAE(type, bytes) with each key.</summary>
public static class TestEnvelopes
{
    public static SignedEnvelope Sign(Certificate certificate, params TestKey[] keys) =>
        SignBytes(certificate.ToByteArray(), PayloadTypes.Certificate, keys);

    /// <summary>Signs <paramref name="payload"/> under <paramref name="signedType"/>; the envelope carries the same type.</summary>
    public static SignedEnvelope SignBytes(byte[] payload, string signedType, params TestKey[] keys)
    {
        var envelope = new SignedEnvelope { Payload = ByteString.CopyFrom(payload), PayloadType = signedType };
        byte[] pae = Pae.Encode(signedType, payload);
        foreach (TestKey key in keys)
        {
            envelope.Signatures.Add(new Signature { KeyId = key.KeyId, Sig = ByteString.CopyFrom(key.Sign(pae)) });
        }
        return envelope;
    }

    /// <summary>A copy of the envelope with one bit of the payload flipped; the signatures are kept.</summary>
    public static SignedEnvelope WithPayloadBitFlipped(this SignedEnvelope envelope, int byteIndex, int bit = 0)
    {
        byte[] payload = envelope.Payload.ToByteArray();
        payload[byteIndex] ^= (byte)(1 << bit);
        SignedEnvelope copy = envelope.Clone();
        copy.Payload = ByteString.CopyFrom(payload);
        return copy;
    }

    /// <summary>A copy of the envelope with one bit of the first signature flipped.</summary>
    public static SignedEnvelope WithSignatureBitFlipped(this SignedEnvelope envelope, int byteIndex)
    {
        SignedEnvelope copy = envelope.Clone();
        byte[] sig = copy.Signatures[0].Sig.ToByteArray();
        sig[byteIndex] ^= 1;
        copy.Signatures[0].Sig = ByteString.CopyFrom(sig);
        return copy;
    }
}
