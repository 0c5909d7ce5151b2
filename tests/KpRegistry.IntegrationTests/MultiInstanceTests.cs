using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.IntegrationTests.TestData;

namespace KpRegistry.IntegrationTests;

/// <summary>Two registry PROCESSES, A and B, over one SQLite database (WAL) and one dev PKI.</summary>
public sealed class TwoInstances : IAsyncLifetime
{
    private readonly Dictionary<(RegistryProcess, string), GrpcChannel> _channels = [];

    public string Root { get; } = RegistryProcess.NewRoot();

    public RegistryProcess A { get; private set; } = null!;

    public RegistryProcess B { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // A first: it makes the database, the KEK and the dev PKI; B finds them made.
        A = await RegistryProcess.StartAsync(Root);
        B = await RegistryProcess.StartAsync(Root);
    }

    public GrpcChannel Channel(RegistryProcess instance, string name)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue((instance, name), out GrpcChannel? channel))
            {
                channel = name == "anonymous" ? instance.AnonymousChannel() : instance.ChannelAs(name);
                _channels[(instance, name)] = channel;
            }
            return channel;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (GrpcChannel channel in _channels.Values)
        {
            channel.Dispose();
        }
        await A.DisposeAsync();
        await B.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

/// <summary>
/// Several instances over one database give the same answers: what changes through A is applied by
/// B within its change poll (KpRegistry:ChangePollInterval), and B's WatchRevocations pushes it.
/// The tests wait for B by polling with a generous limit; how soon is never asserted.
/// </summary>
public sealed class MultiInstanceTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    private Registry.RegistryClient Registry(RegistryProcess on, string caller = "anonymous") => new(instances.Channel(on, caller));

    private Certificates.CertificatesClient Certificates(RegistryProcess on, string caller) => new(instances.Channel(on, caller));

    private Verification.VerificationClient Verification(RegistryProcess on) => new(instances.Channel(on, "anonymous"));

    private Task<VerifyCertificateResult> VerifyAsync(RegistryProcess on, SignedEnvelope envelope) =>
        Verification(on).VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = envelope }).ResponseAsync;

    private Task<VerifyCertificateResult> VerifiedOnBAsync(SignedEnvelope envelope, Func<VerifyCertificateResult, bool> done, string what) =>
        Eventually.UntilAsync(() => VerifyAsync(instances.B, envelope), done, what);

    private async Task<(Key Key, IssueCertificateResponse Issued)> KeyAndCertificateThroughAAsync(string participant)
    {
        Key key = await Registry(instances.A, $"{participant}-authority").CreateKeyAsync(new CreateKeyRequest { ParticipantCode = participant });
        IssueCertificateResponse issued = await Certificates(instances.A, $"{participant}-authority")
            .IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid(issuer: participant) });
        return (key, issued);
    }

    private async Task<(AsyncServerStreamingCall<SignedEnvelope> Watch, CancellationTokenSource Cancel)> WatchOnBAsync()
    {
        RevocationList current = RevocationList.Parser.ParseFrom((await Verification(instances.B).GetRevocationListAsync(new GetRevocationListRequest())).Payload);
        var cancel = new CancellationTokenSource(Eventually.Generous);
        var watch = Verification(instances.B).WatchRevocations(new WatchRevocationsRequest { SinceVersion = current.Version }, cancellationToken: cancel.Token);
        Assert.True(await watch.ResponseStream.MoveNext(cancel.Token), "the replay comes first");
        return (watch, cancel);
    }

    /// <summary>Reads B's stream until an entry matches (another test's revocation may come first).</summary>
    private static async Task<RevocationEntry> PushedAsync(AsyncServerStreamingCall<SignedEnvelope> watch, CancellationToken cancel, Func<RevocationEntry, bool> match)
    {
        while (await watch.ResponseStream.MoveNext(cancel))
        {
            RevocationList pushed = RevocationList.Parser.ParseFrom(watch.ResponseStream.Current.Payload);
            if (pushed.Entries.FirstOrDefault(match) is { } entry)
            {
                return entry;
            }
        }
        throw new InvalidOperationException("The stream ended without the entry.");
    }

    [Fact]
    public async Task CreateKeyAndIssue_ThroughA_CertificateVerifiesOnB()
    {
        (Key key, IssueCertificateResponse issued) = await KeyAndCertificateThroughAAsync("GH");

        VerifyCertificateResult onB = await VerifiedOnBAsync(issued.Envelope, r => r.Valid, "the certificate issued through A verifies on B");

        Assert.Equal(key.KeyId, onB.KeyId);
        Assert.Equal(issued.Record.RecordedAt, onB.RecordedAt);
    }

    [Fact]
    public async Task RevokeKey_ThroughA_RefusedByBVerificationAndPushedOnBWatch()
    {
        (Key key, IssueCertificateResponse issued) = await KeyAndCertificateThroughAAsync("TZ");
        await VerifiedOnBAsync(issued.Envelope, r => r.Valid, "B knows the key and the certificate");
        var (watch, cancel) = await WatchOnBAsync();
        using (watch)
        using (cancel)
        {
            DateTimeOffset recorded = DateTimeOffset.Parse(issued.Record.RecordedAt, CultureInfo.InvariantCulture);
            await Registry(instances.A, "admin").RevokeKeyAsync(new RevokeKeyRequest
            {
                KeyId = key.KeyId, Reason = "officials issued fraudulent certificates",
                CompromisedSince = recorded.AddMinutes(-1).UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            });

            VerifyCertificateResult onB = await VerifiedOnBAsync(issued.Envelope, r => r.Reasons.Contains(VerificationReason.KeyRevoked), "B refuses the certificate as KEY_REVOKED");
            RevocationEntry entry = await PushedAsync(watch, cancel.Token, e => e.Kind == RevocationKind.Key && e.KeyId == key.KeyId);

            Assert.False(onB.Valid);
            Assert.Equal("officials issued fraudulent certificates", entry.Reason);
        }
    }

    [Fact]
    public async Task CancelCertificate_ThroughA_SeenByBAndPushedOnBWatch()
    {
        (_, IssueCertificateResponse issued) = await KeyAndCertificateThroughAAsync("MZ");
        await VerifiedOnBAsync(issued.Envelope, r => r.Valid, "B knows the certificate");
        var (watch, cancel) = await WatchOnBAsync();
        using (watch)
        using (cancel)
        {
            await Certificates(instances.A, "MZ-authority").CancelCertificateAsync(new CancelCertificateRequest
            {
                IssuingParticipant = "MZ", CertificateNumber = issued.Record.CertificateNumber, Reason = "shipment called off",
            });

            VerifyCertificateResult onB = await VerifiedOnBAsync(issued.Envelope, r => !r.Valid, "B sees the cancellation");
            RevocationEntry entry = await PushedAsync(watch, cancel.Token, e => e.CertificateNumber == issued.Record.CertificateNumber);

            Assert.Equal([VerificationReason.CertificateCancelled], onB.Reasons);
            Assert.Equal(RevocationKind.CertificateCancelled, entry.Kind);
        }
    }

    [Fact]
    public async Task SetParticipantStatus_SuspendedThroughA_BRefusesItsCertificates()
    {
        (_, IssueCertificateResponse issued) = await KeyAndCertificateThroughAAsync("NA");
        await VerifiedOnBAsync(issued.Envelope, r => r.Valid, "B knows the certificate");

        await Registry(instances.A, "admin").SetParticipantStatusAsync(new SetParticipantStatusRequest
        {
            Code = "NA", Status = ParticipantStatus.Suspended, Reason = "suspended by the plenary",
        });

        VerifyCertificateResult onB = await VerifiedOnBAsync(issued.Envelope, r => !r.Valid, "B sees the suspension");
        Assert.Contains(VerificationReason.IssuerNotAllowedNow, onB.Reasons);
        Participant participant = await Registry(instances.B).GetParticipantAsync(new GetParticipantRequest { Code = "NA" });
        Assert.Equal(ParticipantStatus.Suspended, participant.Status);
    }

    [Fact]
    public async Task IssueCertificate_SameNumberThroughAAndBAtOnce_ExactlyOneRecordedTheOtherAlreadyExists()
    {
        (Key key, IssueCertificateResponse first) = await KeyAndCertificateThroughAAsync("ZA");
        // B signs with the same managed key: it must know it (and open it from the database) first.
        await VerifiedOnBAsync(first.Envelope, r => r.Valid, "B knows ZA's key");
        var a = Certificates(instances.A, "ZA-authority");
        var b = Certificates(instances.B, "ZA-authority");

        for (int round = 0; round < 20; round++)
        {
            string number = SampleCertificates.NextNumber("ZA");
            var outcomes = await Task.WhenAll(
                IssueAsync(a, number, instances.A),
                IssueAsync(b, number, instances.B));

            var winner = Assert.Single(outcomes, o => o.Issued is not null);
            var loser = Assert.Single(outcomes, o => o.Issued is null);
            Assert.Equal(StatusCode.AlreadyExists, loser.Refused!.StatusCode);

            // What was recorded is the winner's envelope, on both instances.
            GetCertificateResponse stored = await Certificates(instances.B, "anonymous").GetCertificateAsync(new GetCertificateRequest { IssuingParticipant = "ZA", CertificateNumber = number });
            Assert.Equal(winner.Issued!.Envelope, stored.Envelope);
            Assert.Equal(key.KeyId, winner.Issued.Record.KeyId);
            Assert.True((await VerifyAsync(winner.On, winner.Issued.Envelope)).Valid);
            await Eventually.UntilAsync(() => VerifyAsync(loser.On, winner.Issued.Envelope), r => r.Valid, "the other instance verifies the winner");
        }
    }

    private static async Task<(IssueCertificateResponse? Issued, RpcException? Refused, RegistryProcess On)> IssueAsync(
        Certificates.CertificatesClient client, string number, RegistryProcess on)
    {
        try
        {
            return (await client.IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid(issuer: "ZA", number: number) }), null, on);
        }
        catch (RpcException e)
        {
            return (null, e, on);
        }
    }
}
