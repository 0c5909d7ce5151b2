using Google.Protobuf;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Tests.TestData;

namespace KpRegistry.Domain.Tests.Keys;

public sealed class KeyStatementsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 9, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A registration statement for BW by <paramref name="key"/>, its issued_at exactly <paramref name="issuedAt"/>, signed by the key.</summary>
    private static (SignedEnvelope Envelope, KeyStatement Statement) Registration(TestKey key, string issuedAt)
    {
        KeyStatement statement = KeyStatements.Create(KeyStatementPurpose.Register, key.KeyId, key.Spki, "BW", null, "", 0, Now);
        statement.IssuedAt = issuedAt;
        byte[] payload = statement.ToByteArray();
        var envelope = new SignedEnvelope { PayloadType = PayloadTypes.KeyStatement, Payload = ByteString.CopyFrom(payload) };
        envelope.Signatures.Add(new Signature { KeyId = key.KeyId, Sig = ByteString.CopyFrom(key.Sign(Pae.Encode(PayloadTypes.KeyStatement, payload))) });
        return (envelope, statement);
    }

    [Theory]
    [InlineData("2026-03-09T10:00:00Z")]
    [InlineData("2026-03-09T11:00:00.25+01:00")]
    public void Check_IssuedAtRfc3339WithinTheSkew_Holds(string issuedAt)
    {
        using TestKey key = TestKey.Create();
        var (envelope, statement) = Registration(key, issuedAt);

        Assert.Empty(KeyStatements.Check(envelope, statement, key, new ExpectedKeyStatement(KeyStatementPurpose.Register, "BW", null), Now));
    }

    [Theory]
    [InlineData("2026-03-09T10:00:00")] // no offset: read in whatever zone the registry runs
    [InlineData("2026-03-09 10:00:00Z")]
    [InlineData("03/09/2026 10:00:00")]
    [InlineData("9 March 2026 10:00")]
    [InlineData("")]
    public void Check_IssuedAtNotStrictRfc3339_IsRefused(string issuedAt)
    {
        using TestKey key = TestKey.Create();
        var (envelope, statement) = Registration(key, issuedAt);

        IReadOnlyList<string> problems = KeyStatements.Check(envelope, statement, key, new ExpectedKeyStatement(KeyStatementPurpose.Register, "BW", null), Now);

        Assert.Equal(["the statement's issued_at is not an RFC 3339 instant"], problems);
    }

    [Fact]
    public void TryParse_SevenThousandSignatures_RefusedBeforeAnyIsChecked()
    {
        using TestKey key = TestKey.Create();
        var (envelope, _) = Registration(key, "2026-03-09T10:00:00Z");
        for (int i = 1; i < 7_000; i++)
        {
            envelope.Signatures.Add(new Signature { KeyId = i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture), Sig = ByteString.CopyFrom(new byte[64]) });
        }

        KeyStatement? parsed = KeyStatements.TryParse(envelope, out string problem);

        Assert.Null(parsed);
        Assert.Equal("the statement carries 7000 signatures; at most 8", problem);
    }

    [Fact]
    public void TryParse_TwoSignaturesByOneKeyId_Refused()
    {
        using TestKey key = TestKey.Create();
        var (envelope, _) = Registration(key, "2026-03-09T10:00:00Z");
        envelope.Signatures.Add(envelope.Signatures[0].Clone());

        KeyStatement? parsed = KeyStatements.TryParse(envelope, out string problem);

        Assert.Null(parsed);
        Assert.Equal($"the statement carries two signatures by key id \"{key.KeyId}\"; each key signs once", problem);
    }

    [Fact]
    public void TryParse_EightSignaturesByDistinctKeys_Parses()
    {
        using TestKey key = TestKey.Create();
        var (envelope, _) = Registration(key, "2026-03-09T10:00:00Z");
        for (int i = 1; i < KeyStatements.MaxSignatures; i++)
        {
            envelope.Signatures.Add(new Signature { KeyId = i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture), Sig = ByteString.CopyFrom(new byte[64]) });
        }

        Assert.NotNull(KeyStatements.TryParse(envelope, out _));
    }

    [Fact]
    public void RegistryKeyLink_Link2_NamesThePreviousKeyAndTheRegistry()
    {
        using TestKey key = TestKey.Create();

        KeyStatement link = KeyStatements.RegistryKeyLink(key.KeyId, key.Spki, new string('a', 64), 2, Now);

        Assert.Equal(KeyStatementPurpose.RegistryKey, link.Purpose);
        Assert.Equal(RegistryParticipant.Code, link.ParticipantCode);
        Assert.Equal(new string('a', 64), link.PreviousKeyId);
        Assert.Equal(2ul, link.Sequence);
        Assert.Equal("2026-03-09T10:00:00Z", link.IssuedAt);
    }

    [Theory]
    [InlineData(0ul, null)]
    [InlineData(1ul, "previous")]
    [InlineData(2ul, null)]
    public void RegistryKeyLink_SequenceAndPreviousKeyDisagree_Throws(ulong sequence, string? previousKeyId)
    {
        using TestKey key = TestKey.Create();

        Assert.Throws<ArgumentException>(() => KeyStatements.RegistryKeyLink(key.KeyId, key.Spki, previousKeyId, sequence, Now));
    }
}
