using KpRegistry.Client.Tests.TestData;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KeyAlgorithm = KpRegistry.Domain.Keys.KeyAlgorithm;

namespace KpRegistry.Client.Tests;

public sealed class KeyStatementFactoryTests
{
    private static readonly DateTimeOffset Now = TestRegistry.Now;

    private static IReadOnlyList<string> Check(SignedEnvelope envelope, SigningKey newKey, ExpectedKeyStatement expected, DateTimeOffset at)
    {
        KeyStatement statement = KeyStatements.TryParse(envelope, out string problem) ?? throw new Xunit.Sdk.XunitException(problem);
        return KeyStatements.Check(envelope, statement, SignatureVerifiers.Create(newKey.Algorithm, newKey.Spki), expected, at);
    }

    [Theory]
    [InlineData(KeyAlgorithm.Ed25519)]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.MlDsa65)]
    public void Registration_ForItsParticipant_PassesTheDomainCheck(KeyAlgorithm algorithm)
    {
        using SigningKey key = SigningKey.Generate(algorithm);

        SignedEnvelope envelope = KeyStatementFactory.Registration(key, "BW", "BW-MMGE", Now);

        Assert.Empty(Check(envelope, key, new ExpectedKeyStatement(KeyStatementPurpose.Register, "BW", null), Now.AddMinutes(2)));
        Assert.Equal(PayloadTypes.KeyStatement, envelope.PayloadType);
        Signature signature = Assert.Single(envelope.Signatures);
        Assert.Equal(key.KeyId, signature.KeyId);
        KeyStatement statement = KeyStatement.Parser.ParseFrom(envelope.Payload);
        Assert.Equal("BW-MMGE", statement.AuthorityCode);
        Assert.Equal(key.KeyId, statement.KeyId);
        Assert.Equal(0ul, statement.Sequence);
        Assert.Equal("", statement.PreviousKeyId);
    }

    [Fact]
    public void Registration_ReplayedForAnotherParticipant_IsRefused()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        SignedEnvelope envelope = KeyStatementFactory.Registration(key, "BW", null, Now);

        IReadOnlyList<string> problems = Check(envelope, key, new ExpectedKeyStatement(KeyStatementPurpose.Register, "ZA", null), Now);

        Assert.Contains(problems, p => p.Contains("names participant \"BW\", not ZA", StringComparison.Ordinal));
    }

    [Fact]
    public void Registration_CheckedTenMinutesLater_IsStale()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        SignedEnvelope envelope = KeyStatementFactory.Registration(key, "BW", null, Now);

        IReadOnlyList<string> problems = Check(envelope, key, new ExpectedKeyStatement(KeyStatementPurpose.Register, "BW", null), Now.AddMinutes(10));

        Assert.Contains(problems, p => p.Contains("make a fresh one", StringComparison.Ordinal));
    }

    [Fact]
    public void Registration_PayloadChangedAfterSigning_FailsTheProofOfPossession()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);
        SignedEnvelope envelope = KeyStatementFactory.Registration(key, "BW", null, Now);
        byte[] payload = envelope.Payload.ToByteArray();
        payload[^1] ^= 0x01;
        envelope.Payload = Google.Protobuf.ByteString.CopyFrom(payload);

        IReadOnlyList<string> problems = Check(envelope, key, new ExpectedKeyStatement(KeyStatementPurpose.Register, "BW", null), Now);

        Assert.Contains(problems, p => p.Contains("proof of possession fails", StringComparison.Ordinal));
    }

    [Fact]
    public void Rotation_SignedByNewAndCurrentKey_PassesTheCheckAndIsSignedByTheCurrentKey()
    {
        using SigningKey current = SigningKey.Generate(KeyAlgorithm.Ed25519);
        using SigningKey next = SigningKey.Generate(KeyAlgorithm.EcdsaP256);

        SignedEnvelope envelope = KeyStatementFactory.Rotation(next, current, "BW", null, current.KeyId, Now);

        Assert.Empty(Check(envelope, next, new ExpectedKeyStatement(KeyStatementPurpose.Rotate, "BW", current.KeyId), Now));
        Assert.True(KeyStatements.IsSignedBy(envelope, current.KeyId, SignatureVerifiers.Create(current.Algorithm, current.Spki)));
        Assert.Equal(2, envelope.Signatures.Count);
    }

    [Fact]
    public void Rotation_WithoutTheCurrentKey_IsDetectablyNotSignedByIt()
    {
        using SigningKey current = SigningKey.Generate(KeyAlgorithm.Ed25519);
        using SigningKey next = SigningKey.Generate(KeyAlgorithm.Ed25519);

        SignedEnvelope envelope = KeyStatementFactory.Rotation(next, currentKey: null, "BW", null, current.KeyId, Now);

        Assert.Empty(Check(envelope, next, new ExpectedKeyStatement(KeyStatementPurpose.Rotate, "BW", current.KeyId), Now));
        Assert.False(KeyStatements.IsSignedBy(envelope, current.KeyId, SignatureVerifiers.Create(current.Algorithm, current.Spki)));
        Assert.Equal(next.KeyId, Assert.Single(envelope.Signatures).KeyId);
    }

    [Fact]
    public void Rotation_CurrentKeyIsNotThePreviousKey_Throws()
    {
        using SigningKey current = SigningKey.Generate(KeyAlgorithm.Ed25519);
        using SigningKey other = SigningKey.Generate(KeyAlgorithm.Ed25519);
        using SigningKey next = SigningKey.Generate(KeyAlgorithm.Ed25519);

        Assert.Throws<ArgumentException>(() => KeyStatementFactory.Rotation(next, other, "BW", null, current.KeyId, Now));
    }

    [Fact]
    public void Rotation_CheckedAsARegistration_IsRefused()
    {
        using SigningKey current = SigningKey.Generate(KeyAlgorithm.Ed25519);
        using SigningKey next = SigningKey.Generate(KeyAlgorithm.Ed25519);
        SignedEnvelope envelope = KeyStatementFactory.Rotation(next, current, "BW", null, current.KeyId, Now);

        IReadOnlyList<string> problems = Check(envelope, next, new ExpectedKeyStatement(KeyStatementPurpose.Register, "BW", null), Now);

        Assert.NotEmpty(problems);
    }

    [Fact]
    public void RegistryKeyLink_SecondLink_IsSignedByTheFirstAndByItself()
    {
        using SigningKey first = SigningKey.Generate(KeyAlgorithm.Ed25519);
        using SigningKey second = SigningKey.Generate(KeyAlgorithm.MlDsa65);

        SignedEnvelope link = KeyStatementFactory.RegistryKeyLink(second, first, 2, Now);

        KeyStatement statement = KeyStatement.Parser.ParseFrom(link.Payload);
        Assert.Equal(KeyStatementPurpose.RegistryKey, statement.Purpose);
        Assert.Equal("XR", statement.ParticipantCode);
        Assert.Equal(2ul, statement.Sequence);
        Assert.Equal(first.KeyId, statement.PreviousKeyId);
        Assert.True(KeyStatements.IsSignedBy(link, first.KeyId, SignatureVerifiers.Create(first.Algorithm, first.Spki)));
        Assert.True(KeyStatements.IsSignedBy(link, second.KeyId, SignatureVerifiers.Create(second.Algorithm, second.Spki)));
    }

    [Fact]
    public void RegistryKeyLink_LaterLinkWithoutPreviousKey_Throws()
    {
        using SigningKey key = SigningKey.Generate(KeyAlgorithm.Ed25519);

        Assert.Throws<ArgumentException>(() => KeyStatementFactory.RegistryKeyLink(key, null, 2, Now));
    }
}
