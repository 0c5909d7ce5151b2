using System.Security.Cryptography;
using CsCheck;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Verification;
using KpRegistry.Fuzz;

namespace KpRegistry.FuzzTests;

/// <summary>
/// The verification decision over random certificates: never VALID unless a registered key signed
/// those very bytes, and when signed, VALID exactly when the content rules hold. The certificates
/// are the seed certificate with random fields changed (issuer, authority, destination, dates,
/// lines, totals, parcels, origin, number, statement), so that about half stay valid and the
/// property sees both sides.
/// </summary>
public class VerificationDecisionPropertyTests
{
    private static readonly VerificationContext AtIssue = new() { Purpose = VerificationPurpose.Issue };

    private static readonly Gen<string> Code = Gen.OneOf("BW", "EU", "ZA", "KE", "", "bw", "B", "BWX", "XR");
    private static readonly Gen<string> Date = Gen.OneOf("2026-03-09", "2026-03-10", "2026-03-11", "2025-12-31", "2026-06-30",
        "2026-02-29", "2026-3-9", "", "9999-12-31", "0001-01-01", "2026-03-09T00:00:00Z");

    /// <summary>The seed certificate with zero to four fields changed.</summary>
    public static readonly Gen<Certificate> Certificates =
        Gen.Int[0, 12].Array[0, 4].Select(Code, Code, Date, Date, Gen.ULong, Gen.UInt[0, 1000], Gen.String[Gen.Char["A-Z0-9/-:"], 0, 40])
            .Select(t => Change(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, t.Item8));

    [Fact]
    public void Verify_RandomCertificateSignedByTheIssuersKey_ValidExactlyWhenTheRulesHold()
    {
        FuzzWorld world = FuzzWorld.Shared;
        int valid = 0;
        int refused = 0;
        Property.ForAll(Certificates, seed: 2026, certificate =>
        {
            SignedEnvelope envelope = world.SignUnrecorded(PayloadTypes.Certificate, certificate.ToByteArray(), world.BwEd25519);
            VerificationResult result = CertificateVerifier.Verify(envelope, world.View, FuzzWorld.Now, AtIssue);

            IReadOnlyList<RuleViolation> rules = CertificateRules.Validate(certificate, world.View, FuzzWorld.Now, CertificateRulesOptions.Default);
            // Botswana's key signs for Botswana's authority only; everything else the decision judges is fixed in this world.
            bool rulesHold = rules.Count == 0 && certificate.IssuingParticipant == "BW" && certificate.IssuingAuthority == FuzzWorld.BwAuthority;
            Assert.True(result.Valid == rulesHold,
                $"VALID={result.Valid} ({string.Join(", ", result.Reasons)}) while the rules say {rules.Count} violations: {string.Join("; ", rules.Select(r => r.Message))}");
            if (result.Valid)
            {
                valid++;
            }
            else
            {
                Assert.NotEmpty(result.Reasons);
                refused++;
            }
        }, describe: c => c.ToString());

        // Both sides seen: a generator that made only invalid certificates would prove nothing.
        Assert.InRange(valid, Property.Iterations / 20, Property.Iterations);
        Assert.InRange(refused, Property.Iterations / 20, Property.Iterations);
    }

    [Fact]
    public void Verify_RandomCertificateNotSignedByARegisteredKey_IsNeverValid()
    {
        FuzzWorld world = FuzzWorld.Shared;
        using SigningKey stranger = SigningKey.Generate(KeyAlgorithm.Ed25519);
        byte[] otherSignature = world.CertificateEnvelope.Signatures[0].Sig.ToByteArray();
        Gen<(Certificate Certificate, int Forgery, byte[] Noise)> cases = Certificates.Select(Gen.Int[0, 5], Gen.Byte.Array[0, 128]);

        Property.ForAll(cases, seed: 77, c =>
        {
            byte[] payload = c.Certificate.ToByteArray();
            SignedEnvelope envelope = c.Forgery switch
            {
                // Signed by a key the registry does not know.
                0 => EnvelopeSigner.Sign(PayloadTypes.Certificate, payload, stranger),
                // The registered key's id with random bytes for the signature.
                1 => Unsigned(payload, world.BwEd25519.KeyId, c.Noise),
                // The registered key's real signature of ANOTHER payload (the seed certificate).
                2 => Unsigned(payload, world.BwEd25519.KeyId, otherSignature),
                // No signature at all.
                3 => new SignedEnvelope { Payload = ByteString.CopyFrom(payload), PayloadType = PayloadTypes.Certificate },
                // A stranger's signature under the registered key's id.
                4 => Unsigned(payload, world.BwEd25519.KeyId, stranger.Sign(Pae.Encode(PayloadTypes.Certificate, payload))),
                // The registered key signed these bytes, but as another payload type.
                _ => Retyped(world.SignUnrecorded(PayloadTypes.KeyStatement, payload, world.BwEd25519)),
            };
            if (c.Forgery == 2 && payload.AsSpan().SequenceEqual(world.CertificatePayload))
            {
                return; // the seed certificate unchanged: that signature IS its signature
            }

            VerificationResult online = CertificateVerifier.Verify(envelope, world.View, FuzzWorld.Now, AtIssue);
            VerificationResult offline = world.Offline.Verify(envelope, FuzzWorld.Now);

            Assert.False(online.Valid, $"forgery {c.Forgery} VALID online");
            Assert.False(offline.Valid, $"forgery {c.Forgery} VALID offline");
            Assert.NotEmpty(online.Reasons);
        }, describe: c => $"forgery {c.Forgery} of {c.Certificate}");
    }

    private static SignedEnvelope Unsigned(byte[] payload, string keyId, byte[] signature) => new()
    {
        Payload = ByteString.CopyFrom(payload),
        PayloadType = PayloadTypes.Certificate,
        Signatures = { new Signature { KeyId = keyId, Sig = ByteString.CopyFrom(signature) } },
    };

    private static SignedEnvelope Retyped(SignedEnvelope envelope)
    {
        SignedEnvelope copy = envelope.Clone();
        copy.PayloadType = PayloadTypes.Certificate;
        return copy;
    }

    private static Certificate Change(int[] fields, string code, string otherCode, string date, string otherDate, ulong number, uint small, string text)
    {
        Certificate c = FuzzWorld.SeedCertificate();
        foreach (int field in fields)
        {
            switch (field)
            {
                case 0: c.IssuingParticipant = code; break;
                case 1: c.IssuingAuthority = code + "-" + text; break;
                case 2: c.DestinationParticipant = otherCode; break;
                case 3: c.DateOfIssue = date; break;
                case 4: c.DateOfExpiry = otherDate; break;
                case 5: c.Lines[(int)(small % 2)].CaratsHundredths = number; break;
                case 6: c.TotalValueUsdCents = number; break;
                case 7: c.NumberOfParcels = small; break;
                case 8: c.Origin.Countries.Add(otherCode); break;
                case 9: c.CertificateNumber = text; break;
                case 10: c.Statement = text; break;
                case 11: c.SealIds.Add(text); break;
                default: c.FormatVersion = small % 3; break;
            }
        }
        return c;
    }
}
