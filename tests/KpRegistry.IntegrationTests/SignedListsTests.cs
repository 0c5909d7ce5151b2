using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.IntegrationTests.TestData;
using KpRegistry.Domain.Wire;
using KeyAlgorithm = KpRegistry.Contracts.Registry.V1.KeyAlgorithm;
using KeyState = KpRegistry.Contracts.Registry.V1.KeyState;

namespace KpRegistry.IntegrationTests;

/// <summary>The trust list, the revocation list and its live feed, and the registry key chain.</summary>
public sealed class SignedListsTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const string RegistryCode = "XR";

    /// <summary>Walks the chain from its first link (the pinned key) and returns the verifier of the last key.</summary>
    private static (string FirstKeyId, string LastKeyId, ISignatureVerifier Last) WalkChain(IReadOnlyList<SignedEnvelope> chain)
    {
        string? firstKeyId = null;
        string? previousKeyId = null;
        ISignatureVerifier? previous = null;
        foreach (SignedEnvelope link in chain)
        {
            KeyStatement statement = KeyStatement.Parser.ParseFrom(link.Payload);
            Assert.Equal(KeyStatementPurpose.RegistryKey, statement.Purpose);
            Assert.Equal(KeyIds.FromSpki(statement.Spki.Span), statement.KeyId);
            ISignatureVerifier own = SignatureVerifiers.Create(PublicKeys.DetectAlgorithm(statement.Spki.Span), statement.Spki.Span);
            Assert.True(KeyStatements.IsSignedBy(link, statement.KeyId, own), "each link is signed by its own key");
            if (previous is not null)
            {
                Assert.True(KeyStatements.IsSignedBy(link, previousKeyId!, previous), "each later link is signed by the previous registry key");
                Assert.Equal(previousKeyId, statement.PreviousKeyId);
            }
            firstKeyId ??= statement.KeyId;
            previousKeyId = statement.KeyId;
            previous = own;
        }
        return (firstKeyId!, previousKeyId!, previous!);
    }

    private async Task<(TrustList List, SignedEnvelope Envelope)> TrustListAsync()
    {
        SignedEnvelope envelope = await registry.Verification().GetTrustListAsync(new GetTrustListRequest());
        return (TrustList.Parser.ParseFrom(envelope.Payload), envelope);
    }

    [Fact]
    public async Task GetTrustList_SignedByTheRegistryKeyOfItsChain_ListsParticipantsAndKeys()
    {
        Key key = await registry.EnsureKeyAsync("IN", KeyAlgorithm.Ed25519);

        var (list, envelope) = await TrustListAsync();
        var (_, lastKeyId, last) = WalkChain(list.RegistryKeyChain);

        Assert.Equal(PayloadTypes.TrustList, envelope.PayloadType);
        Assert.True(KeyStatements.IsSignedBy(envelope, lastKeyId, last));
        Assert.Contains(list.Participants, p => p.Code == "EU" && p.StatusHistory.Count > 0);
        Assert.DoesNotContain(list.Participants, p => p.Code == RegistryCode);
        Assert.Contains(list.Keys, k => k.KeyId == key.KeyId && k.Spki == key.Spki && k.State == KeyState.Active);
        Assert.True(DateTimeOffset.Parse(list.NextUpdate, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task GetTrustList_AfterAChange_VersionIncreases()
    {
        var (before, _) = await TrustListAsync();
        await registry.Registry("admin").AdmitParticipantAsync(new AdmitParticipantRequest { Code = "ET", Name = "Ethiopia", Reason = "test admission" });

        var (after, _) = await TrustListAsync();

        Assert.True(after.Version > before.Version);
        Assert.Contains(after.Participants, p => p.Code == "ET");
    }

    [Fact]
    public async Task RotateKey_RegistryKey_ChainFromTheFirstKeyVerifiesAndAForgedNextKeyDoesNot()
    {
        var (before, _) = await TrustListAsync();
        var (pinned, currentKeyId, _) = WalkChain(before.RegistryKeyChain);

        RotateKeyResponse rotated = await registry.Registry("admin").RotateKeyAsync(new RotateKeyRequest { KeyId = currentKeyId });
        var (after, envelope) = await TrustListAsync();
        var (first, lastKeyId, last) = WalkChain(after.RegistryKeyChain);

        Assert.Equal(before.RegistryKeyChain.Count + 1, after.RegistryKeyChain.Count);
        Assert.Equal(pinned, first);
        Assert.Equal(rotated.NewKey.KeyId, lastKeyId);
        Assert.True(KeyStatements.IsSignedBy(envelope, lastKeyId, last), "the new trust list is signed by the new registry key");

        // A forged next key: signed by itself and by an outsider, not by the current registry key.
        using SigningKey forged = SigningKey.Generate(Domain.Keys.KeyAlgorithm.Ed25519);
        using SigningKey outsider = SigningKey.Generate(Domain.Keys.KeyAlgorithm.Ed25519);
        var statement = new KeyStatement
        {
            Purpose = KeyStatementPurpose.RegistryKey, ParticipantCode = RegistryCode, KeyId = forged.KeyId,
            Spki = Google.Protobuf.ByteString.CopyFrom(forged.Spki), PreviousKeyId = lastKeyId,
            IssuedAt = Instants.Format(DateTimeOffset.UtcNow), Sequence = (ulong)after.RegistryKeyChain.Count + 1,
        };
        SignedEnvelope forgedLink = EnvelopeSigner.Sign(PayloadTypes.KeyStatement, Google.Protobuf.MessageExtensions.ToByteArray(statement), forged, outsider);
        Assert.False(KeyStatements.IsSignedBy(forgedLink, lastKeyId, last), "the forged link is not signed by the current registry key");

        // The registry's keys appear in the trust list; the retired one stays, RETIRED.
        Assert.Contains(after.Keys, k => k.KeyId == currentKeyId && k.State == KeyState.Retired && k.ParticipantCode == RegistryCode);
    }

    [Fact]
    public async Task GetRevocationList_FullAndDelta_OnlyNewerEntriesWithStrictlyIncreasingVersions()
    {
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        var cancelled = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var issued = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
            await registry.Certificates("BW-authority").CancelCertificateAsync(new CancelCertificateRequest
            {
                IssuingParticipant = "BW", CertificateNumber = issued.Record.CertificateNumber, Reason = $"test {i}",
            });
            cancelled.Add(issued.Record.CertificateNumber);
        }

        RevocationList full = RevocationList.Parser.ParseFrom((await registry.Verification().GetRevocationListAsync(new GetRevocationListRequest())).Payload);
        ulong middle = full.Entries.Single(e => e.CertificateNumber == cancelled[1]).Version;
        SignedEnvelope deltaEnvelope = await registry.Verification().GetRevocationListAsync(new GetRevocationListRequest { SinceVersion = middle });
        RevocationList delta = RevocationList.Parser.ParseFrom(deltaEnvelope.Payload);

        Assert.Equal(0ul, full.SinceVersion);
        Assert.Equal(full.Entries.Select(e => e.Version).Order(), full.Entries.Select(e => e.Version));
        Assert.Equal(full.Entries.Count, full.Entries.Select(e => e.Version).Distinct().Count());
        Assert.Equal(full.Version, full.Entries[^1].Version);
        Assert.All(delta.Entries, e => Assert.True(e.Version > middle));
        Assert.Contains(delta.Entries, e => e.CertificateNumber == cancelled[2]);
        Assert.DoesNotContain(delta.Entries, e => e.CertificateNumber == cancelled[1] || e.CertificateNumber == cancelled[0]);
        Assert.Equal(middle, delta.SinceVersion);
        Assert.Equal(PayloadTypes.Revocations, deltaEnvelope.PayloadType);
        var (_, lastKeyId, last) = WalkChain((await TrustListAsync()).List.RegistryKeyChain);
        Assert.True(KeyStatements.IsSignedBy(deltaEnvelope, lastKeyId, last), "the revocation list is signed by the registry key");
    }

    [Fact]
    public async Task WatchRevocations_NewRevocation_IsPushedToTheOpenStream()
    {
        await registry.EnsureKeyAsync("RU", KeyAlgorithm.Ed25519);
        var issued = await registry.Certificates("RU-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid(issuer: "RU") });
        RevocationList current = RevocationList.Parser.ParseFrom((await registry.Verification().GetRevocationListAsync(new GetRevocationListRequest())).Payload);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var watch = registry.Verification().WatchRevocations(new WatchRevocationsRequest { SinceVersion = current.Version }, cancellationToken: cancel.Token);
        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token), "the replay comes first");
        Assert.Empty(RevocationList.Parser.ParseFrom(watch.ResponseStream.Current.Payload).Entries);

        await registry.Certificates("RU-authority").CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "RU", CertificateNumber = issued.Record.CertificateNumber, Reason = "stolen in transit",
        });
        // The same open stream delivers it, with no new request: a push, not a poll. How fast is
        // measured by the benchmark (docs/PERFORMANCE.md), never asserted here.
        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token), "the cancellation is pushed");
        RevocationList pushed = RevocationList.Parser.ParseFrom(watch.ResponseStream.Current.Payload);

        RevocationEntry entry = Assert.Single(pushed.Entries);
        Assert.Equal(issued.Record.CertificateNumber, entry.CertificateNumber);
        Assert.True(entry.Version > current.Version);
    }

    [Fact]
    public async Task KpregRevocationsWatch_SinceAVersion_PrintsTheNewerEntries()
    {
        // The live push itself is tested at the gRPC level above; here, deterministically, the replay.
        // A cancellation of its own first, so the version is past 0 (0 means the full list) whatever
        // ran before in this class.
        await registry.EnsureKeyAsync("BW", KeyAlgorithm.Ed25519);
        var earlier = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        await registry.Certificates("BW-authority").CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "BW", CertificateNumber = earlier.Record.CertificateNumber, Reason = "issued in error",
        });
        var issued = await registry.Certificates("BW-authority").IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() });
        RevocationList current = RevocationList.Parser.ParseFrom((await registry.Verification().GetRevocationListAsync(new GetRevocationListRequest())).Payload);
        await registry.Certificates("BW-authority").CancelCertificateAsync(new CancelCertificateRequest
        {
            IssuingParticipant = "BW", CertificateNumber = issued.Record.CertificateNumber, Reason = "seals broken",
        });

        var (exit, output, error) = await registry.KpregAsync("revocations", "watch", "--since", current.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), "--count", "1")
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains($"certificate BW/{issued.Record.CertificateNumber} cancelled: seals broken", output);
        Assert.True(current.Version > 0);
        Assert.Contains($"delta: the entries after version {current.Version}", output);
        Assert.DoesNotContain(earlier.Record.CertificateNumber, output);
    }
}
