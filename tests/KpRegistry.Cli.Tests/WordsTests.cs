using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.Cli.Tests;

public sealed class WordsTests
{
    [Theory]
    [InlineData("ed25519", KeyAlgorithm.Ed25519, SigningAlgorithm.Ed25519)]
    [InlineData("ecdsa-p256", KeyAlgorithm.EcdsaP256, SigningAlgorithm.EcdsaP256)]
    [InlineData("ml-dsa-65", KeyAlgorithm.MlDsa65, SigningAlgorithm.MlDsa65)]
    public void ToAlgorithm_KnownWord_MapsToBothEnums(string word, KeyAlgorithm key, SigningAlgorithm signing)
    {
        Assert.Equal(key, Words.ToKeyAlgorithm(word));
        Assert.Equal(signing, Words.ToSigningAlgorithm(word));
        Assert.Equal(word, Words.Of(key));
    }

    [Theory]
    [InlineData("active", ParticipantStatus.Active)]
    [InlineData("active-restricted", ParticipantStatus.ActiveRestricted)]
    [InlineData("suspended", ParticipantStatus.Suspended)]
    [InlineData("self-suspended", ParticipantStatus.SelfSuspended)]
    [InlineData("removed", ParticipantStatus.Removed)]
    public void ToParticipantStatus_KnownWord_RoundTrips(string word, ParticipantStatus status)
    {
        Assert.Equal(status, Words.ToParticipantStatus(word));
        Assert.Equal(word, Words.Of(status));
    }

    [Fact]
    public void ToKeyAlgorithm_UnknownWord_ThrowsListingTheWords()
    {
        var error = Assert.Throws<CliException>(() => Words.ToKeyAlgorithm("rsa"));

        Assert.Contains("'rsa'", error.Message);
        Assert.Contains("ed25519, ecdsa-p256, ml-dsa-65", error.Message);
    }

    [Fact]
    public void OfVerificationReason_KnownReason_IsTheDesignName()
    {
        Assert.Equal("KEY_REVOKED", Words.Of(VerificationReason.KeyRevoked));
        Assert.Equal("ISSUER_NOT_ALLOWED_AT_ISSUE", Words.Of(VerificationReason.IssuerNotAllowedAtIssue));
    }

    [Fact]
    public void OfParticipantStatus_UnknownNumber_SaysUnknown()
    {
        Assert.Equal("unknown(99)", Words.Of((ParticipantStatus)99));
    }
}
