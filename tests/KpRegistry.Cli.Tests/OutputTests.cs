using Grpc.Core;
using KpRegistry.Contracts.Registry.V1;

namespace KpRegistry.Cli.Tests;

public sealed class OutputTests
{
    [Fact]
    public void Print_Participant_ShowsStatusHistoryAndAuthorities()
    {
        var participant = new Participant
        {
            Code = "BW", Name = "Botswana", Status = ParticipantStatus.Active, MaxValidityDays = 60,
            StatusHistory = { new StatusPeriod { Status = ParticipantStatus.Active, EffectiveFrom = "2003-01-01", Reason = "Founding participant" } },
            Authorities = { new Authority { Code = "BW-MMEWR", ParticipantCode = "BW", Name = "Ministry of Minerals and Energy" } },
        };
        var output = new StringWriter();

        Output.Print(output, json: false, participant);

        var text = output.ToString();
        Assert.StartsWith("BW  Botswana", text, StringComparison.Ordinal);
        Assert.Contains("status:        active", text);
        Assert.Contains("max validity:  60 days", text);
        Assert.Contains("2003-01-01", text);
        Assert.Contains("Founding participant", text);
        Assert.Contains("BW-MMEWR", text);
    }

    [Fact]
    public void Print_Key_NeverShowsMoreThanPublicFields()
    {
        var key = new Key { KeyId = new string('e', 64), ParticipantCode = "BW", Algorithm = KeyAlgorithm.MlDsa65, State = KeyState.Revoked, CompromisedSince = "2026-03-01T00:00:00Z" };
        var output = new StringWriter();

        Output.Print(output, json: false, key);

        var text = output.ToString();
        Assert.Contains("algorithm:     ml-dsa-65", text);
        Assert.Contains("state:         revoked", text);
        Assert.Contains("compromised since: 2026-03-01T00:00:00Z", text);
        Assert.DoesNotContain("PRIVATE", text);
    }

    [Fact]
    public void Error_RpcExceptionWithoutDetails_PrintsOneLine()
    {
        var output = new StringWriter();

        Output.Error(output, new RpcException(new Status(StatusCode.PermissionDenied, "an authority of ZA may not act for BW")));

        Assert.Equal("error: PermissionDenied: an authority of ZA may not act for BW", output.ToString().Trim());
    }

    [Fact]
    public void Error_UnexpectedException_PrintsTypeAndMessageWithoutStackTrace()
    {
        var output = new StringWriter();
        Exception thrown;
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        Output.Error(output, thrown);

        Assert.Equal("error: InvalidOperationException: boom", output.ToString().Trim());
    }

    [Fact]
    public void PublicKeyPem_ServerSentPem_UsesIt()
    {
        var key = new Key { SpkiPem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" };

        Assert.Equal("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", Output.PublicKeyPem(key));
    }
}
