using System.Globalization;
using Google.Protobuf;
using KpRegistry.Cli.Tests.Support;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;

namespace KpRegistry.Cli.Tests;

public sealed class CertificatesCommandsTests
{
    [Fact]
    public async Task Sample_ToFile_WritesJsonThatParsesBackToAValidCertificate()
    {
        using var folder = new TempFolder();
        var run = new CliRun();

        var exit = await run.InvokeAsync("certificates", "sample", "--issuer", "BW", "--destination", "EU", "--out", folder.File("bw.json"));

        Assert.Equal(0, exit);
        var certificate = JsonParser.Default.Parse<Certificate>(await File.ReadAllTextAsync(folder.File("bw.json"), TestContext.Current.CancellationToken));
        Assert.StartsWith("BW-", certificate.CertificateNumber, StringComparison.Ordinal);
        Assert.Equal(certificate.Lines.Aggregate(0UL, (s, l) => s + l.CaratsHundredths), certificate.TotalCaratsHundredths);
        Assert.Equal(certificate.Lines.Aggregate(0UL, (s, l) => s + l.ValueUsdCents), certificate.TotalValueUsdCents);
        var issued = DateOnly.ParseExact(certificate.DateOfIssue, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var expires = DateOnly.ParseExact(certificate.DateOfExpiry, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(new DateOnly(2026, 3, 15), issued); // the fake clock's UTC date
        Assert.Equal(issued.AddDays(30), expires);
        Assert.Equal(SampleCertificate.KpcsStatement, certificate.Statement);
        Assert.Equal(1u, certificate.FormatVersion);
        Assert.Equal("EU", certificate.DestinationParticipant);
        Assert.Contains(folder.File("bw.json"), run.Output.ToString());
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task Sample_WithoutOut_PrintsJsonOnly()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("certificates", "sample", "--issuer", "za", "--destination", "ae", "--number", "ZA/2026/7");

        Assert.Equal(0, exit);
        var certificate = JsonParser.Default.Parse<Certificate>(run.Output.ToString());
        Assert.Equal("ZA/2026/7", certificate.CertificateNumber);
        Assert.Equal("ZA", certificate.IssuingParticipant);
        Assert.Equal("AE", certificate.DestinationParticipant);
    }

    [Fact]
    public async Task Sample_NumberOfAnotherIssuer_FailsWithMessage()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("certificates", "sample", "--issuer", "BW", "--destination", "EU", "--number", "ZA-2026-000001");

        Assert.Equal(1, exit);
        Assert.Contains("error: a certificate number begins with the issuer's code BW", run.Error.ToString());
    }

    [Fact]
    public async Task Sample_WithoutDestination_FailsAtParse()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("certificates", "sample", "--issuer", "BW");

        Assert.Equal(1, exit);
        Assert.Contains("--destination", run.Error.ToString());
    }

    [Fact]
    public async Task Issue_MissingFile_NamesTheFile()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("certificates", "issue", "no-such-certificate.json");

        Assert.Equal(1, exit);
        Assert.Contains("error: certificate file not found: no-such-certificate.json", run.Error.ToString());
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task Issue_NotACertificate_NamesTheFile()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("bad.json"), """{ "certificateNumber": "BW-1", "colour": "blue" }""", TestContext.Current.CancellationToken);
        var run = new CliRun();

        var exit = await run.InvokeAsync("certificates", "issue", folder.File("bad.json"));

        Assert.Equal(1, exit);
        Assert.Contains($"error: {folder.File("bad.json")} is not a certificate in protobuf JSON", run.Error.ToString());
        Assert.Empty(run.Connections);
    }

    [Fact]
    public async Task Issue_UnknownAlgorithmWord_FailsAtParse()
    {
        var run = new CliRun();

        var exit = await run.InvokeAsync("certificates", "issue", "x.json", "--algorithm", "rsa");

        Assert.Equal(1, exit);
        Assert.Contains("'rsa'", run.Error.ToString());
    }

    [Fact]
    public async Task Issue_Accepted_WritesTheReturnedEnvelopeAndPrintsTheRecord()
    {
        using var folder = new TempFolder();
        var certificate = SampleCertificate.Create("BW", "EU", new DateOnly(2026, 3, 15), "BW-2026-000001");
        await File.WriteAllTextAsync(folder.File("bw.json"), JsonFormatter.Default.Format(certificate), TestContext.Current.CancellationToken);
        var envelope = new SignedEnvelope
        {
            Payload = certificate.ToByteString(),
            PayloadType = "application/vnd.kp.certificate.v1+protobuf",
            Signatures = { new Signature { KeyId = new string('c', 64), Sig = ByteString.CopyFrom(new byte[64]) } },
        };
        var record = new CertificateRecord
        {
            IssuingParticipant = "BW", CertificateNumber = "BW-2026-000001", IssuingAuthority = "BW-KP",
            KeyId = new string('c', 64), State = CertificateState.Issued, RecordedAt = "2026-03-15T23:30:00Z",
            DateOfIssue = "2026-03-15", DateOfExpiry = "2026-04-14", DestinationParticipant = "EU",
        };
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Ok(new IssueCertificateResponse { Envelope = envelope, Record = record }));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync(
            "certificates", "issue", folder.File("bw.json"), "--algorithm", "ecdsa-p256", "--out", folder.File("out.envelope"), "--as", "BW-authority");

        Assert.Equal(0, exit);
        var request = IssueCertificateRequest.Parser.ParseFrom(Assert.Single(handler.Calls).Request);
        Assert.Equal(certificate, request.Certificate);
        Assert.Equal(SigningAlgorithm.EcdsaP256, request.Algorithm);
        Assert.Equal(envelope, SignedEnvelope.Parser.ParseFrom(await File.ReadAllBytesAsync(folder.File("out.envelope"), TestContext.Current.CancellationToken)));
        var output = run.Output.ToString();
        Assert.Contains("certificate BW-2026-000001", output);
        Assert.Contains("issued", output);
    }

    [Fact]
    public async Task Issue_RefusedWithFieldViolations_PrintsStatusAndEveryViolation()
    {
        using var folder = new TempFolder();
        var certificate = SampleCertificate.Create("BW", "EU", new DateOnly(2026, 3, 15));
        await File.WriteAllTextAsync(folder.File("bw.json"), JsonFormatter.Default.Format(certificate), TestContext.Current.CancellationToken);
        var details = new Google.Rpc.Status
        {
            Code = (int)Grpc.Core.StatusCode.InvalidArgument,
            Message = "the certificate breaks 2 rules",
            Details =
            {
                Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.BadRequest
                {
                    FieldViolations =
                    {
                        new Google.Rpc.BadRequest.Types.FieldViolation { Field = "certificate.issuing_authority", Description = "BW-KP is not an authority of BW" },
                        new Google.Rpc.BadRequest.Types.FieldViolation { Field = "certificate.total_value_usd_cents", Description = "must equal the sum of the lines" },
                    },
                }),
            },
        };
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Fail(Grpc.Core.StatusCode.InvalidArgument, "the certificate breaks 2 rules", details));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("certificates", "issue", folder.File("bw.json"), "--out", folder.File("never.envelope"));

        Assert.Equal(1, exit);
        var error = run.Error.ToString();
        Assert.Contains("error: InvalidArgument: the certificate breaks 2 rules", error);
        Assert.Contains("certificate.issuing_authority: BW-KP is not an authority of BW", error);
        Assert.Contains("certificate.total_value_usd_cents: must equal the sum of the lines", error);
        Assert.False(File.Exists(folder.File("never.envelope")));
    }

    [Fact]
    public async Task Get_NotFound_PrintsStatus()
    {
        var handler = new FakeGrpcHandler((_, _) => FakeGrpcHandler.Reply.Fail(Grpc.Core.StatusCode.NotFound, "BW recorded no certificate BW-2026-000009"));
        var run = new CliRun { Channel = _ => handler.Channel() };

        var exit = await run.InvokeAsync("certificates", "get", "BW", "BW-2026-000009");

        Assert.Equal(1, exit);
        Assert.Equal("error: NotFound: BW recorded no certificate BW-2026-000009", run.Error.ToString().Trim());
        Assert.Equal(
            new GetCertificateRequest { IssuingParticipant = "BW", CertificateNumber = "BW-2026-000009" },
            GetCertificateRequest.Parser.ParseFrom(Assert.Single(handler.Calls).Request));
    }

    [Theory]
    [InlineData("BW-2026-000001", "BW-2026-000001.envelope")]
    [InlineData("ZA/2026/7", "ZA_2026_7.envelope")]
    public void DefaultEnvelopePath_Number_IsAFileNameInTheWorkingFolder(string number, string expected)
    {
        Assert.Equal(expected, CertificatesCommands.DefaultEnvelopePath(number));
    }
}
