using Google.Protobuf;
using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.IntegrationTests.TestData;

namespace KpRegistry.IntegrationTests;

/// <summary>An authority issues with its own managed key; anyone verifies. Over TLS, against the real server.</summary>
public sealed class CertificateFlowTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Theory]
    [InlineData(KeyAlgorithm.Ed25519, SigningAlgorithm.Ed25519)]
    [InlineData(KeyAlgorithm.EcdsaP256, SigningAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.MlDsa65, SigningAlgorithm.MlDsa65)]
    public async Task IssueCertificate_AuthorityWithManagedKey_AnonymousVerifierFindsItValid(KeyAlgorithm algorithm, SigningAlgorithm signing)
    {
        Key key = await registry.EnsureKeyAsync("BW", algorithm);
        Certificate certificate = SampleCertificates.Valid();

        IssueCertificateResponse issued = await registry.Certificates("BW-authority").IssueCertificateAsync(
            new IssueCertificateRequest { Certificate = certificate, Algorithm = signing });
        VerifyCertificateResult result = await registry.Verification().VerifyCertificateAsync(
            new VerifyCertificateRequest { Envelope = issued.Envelope });

        Assert.True(result.Valid, string.Join("; ", result.Details));
        Assert.Empty(result.Reasons);
        Assert.Equal(key.KeyId, result.KeyId);
        Assert.Equal("BW", result.IssuingParticipant);
        Assert.Equal(certificate.CertificateNumber, result.CertificateNumber);
        Assert.Equal(issued.Record.RecordedAt, result.RecordedAt);
        Assert.Equal(certificate, Certificate.Parser.ParseFrom(issued.Envelope.Payload));
        Assert.Equal("application/vnd.kp.certificate.v1+protobuf", issued.Envelope.PayloadType);
    }

    [Fact]
    public async Task VerifyCertificate_TamperedPayload_InvalidWithBadSignature()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        IssueCertificateResponse issued = await registry.Certificates("BW-authority").IssueCertificateAsync(
            new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        Certificate altered = Certificate.Parser.ParseFrom(issued.Envelope.Payload);
        altered.Lines[0].CaratsHundredths -= 10_000; // ten carats taken out after signing
        altered.TotalCaratsHundredths -= 10_000;
        SignedEnvelope tampered = issued.Envelope.Clone();
        tampered.Payload = altered.ToByteString();

        VerifyCertificateResult result = await registry.Verification().VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = tampered });

        Assert.False(result.Valid);
        Assert.Contains(VerificationReason.BadSignature, result.Reasons);
    }

    [Fact]
    public async Task IssueCertificate_HsCodeOutOfScope_InvalidArgumentNamingTheRuleAndNothingRecorded()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        Certificate certificate = SampleCertificates.Valid();
        certificate.Lines[1].HsCode = "7102.39"; // polished-worked, not rough

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = certificate }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("HsCodeOutOfScope", refused.Status.Detail);
        Assert.Contains("lines[1].hs_code", refused.Status.Detail);
        RpcException lookup = await Assert.ThrowsAsync<RpcException>(() => registry.Certificates().GetCertificateAsync(
            new GetCertificateRequest { IssuingParticipant = "BW", CertificateNumber = certificate.CertificateNumber }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task IssueCertificate_SameNumberTwice_AlreadyExistsAndFirstRecordIntact()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        Certificate first = SampleCertificates.Valid();
        IssueCertificateResponse issued = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = first });
        Certificate second = SampleCertificates.Valid(number: first.CertificateNumber);
        second.Lines[0].CaratsHundredths += 1;
        second.TotalCaratsHundredths += 1;

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = second }).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);
        GetCertificateResponse stored = await registry.Certificates().GetCertificateAsync(
            new GetCertificateRequest { IssuingParticipant = "BW", CertificateNumber = first.CertificateNumber });
        Assert.Equal(issued.Envelope, stored.Envelope);
        Assert.Equal(first, Certificate.Parser.ParseFrom(stored.Envelope.Payload));
    }

    [Fact]
    public async Task VerifyCertificates_ThousandMixedEnvelopes_ThousandResultsMatchedByCorrelationId()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        var envelopes = new List<SignedEnvelope>();
        for (int i = 0; i < 10; i++)
        {
            var issued = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
            envelopes.Add(issued.Envelope);
        }
        var expected = new Dictionary<string, bool>();
        using var call = registry.Verification().VerifyCertificates();
        Task<List<VerifyCertificateResult>> reading = Task.Run(async () =>
        {
            var results = new List<VerifyCertificateResult>();
            await foreach (VerifyCertificateResult result in call.ResponseStream.ReadAllAsync())
            {
                results.Add(result);
            }
            return results;
        });
        for (int i = 0; i < 1000; i++)
        {
            SignedEnvelope envelope = envelopes[i % envelopes.Count].Clone();
            bool tamper = i % 3 == 0;
            if (tamper)
            {
                byte[] signature = envelope.Signatures[0].Sig.ToByteArray();
                signature[i % signature.Length] ^= 0x01;
                envelope.Signatures[0].Sig = ByteString.CopyFrom(signature);
            }
            string id = $"req-{i}";
            expected[id] = !tamper;
            await call.RequestStream.WriteAsync(new VerifyCertificateRequest { Envelope = envelope, CorrelationId = id });
        }
        await call.RequestStream.CompleteAsync();
        List<VerifyCertificateResult> results = await reading;

        Assert.Equal(1000, results.Count);
        Assert.Equal(expected.Keys.Order(), results.Select(r => r.CorrelationId).Order());
        foreach (VerifyCertificateResult result in results)
        {
            Assert.Equal(expected[result.CorrelationId], result.Valid);
            if (!result.Valid)
            {
                Assert.Equal([VerificationReason.BadSignature], result.Reasons);
            }
        }
    }
}
