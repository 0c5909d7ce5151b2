
namespace KpRegistry.IntegrationTests;

/// <summary>A printed certificate verified by its QR against the real server: KP1 (the envelope) and KP1R (the record, fetched anonymously).</summary>
public sealed class KpregPaperTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private Task<(int Exit, string Output, string Error)> KpregAsync(params string[] args) => registry.KpregAsync(args);

    [Fact]
    public async Task PrintThenVerifyQr_Kp1PdfAndKp1rPng_AreValidOnline()
    {
        string folder = Directory.CreateTempSubdirectory("kpreg-paper-").FullName;
        string json = Path.Combine(folder, "bw.json");
        string envelope = Path.Combine(folder, "bw.envelope");
        string pdf = Path.Combine(folder, "bw.pdf");
        string png = Path.Combine(folder, "bw.png");

        var key = await KpregAsync("keys", "create", "--participant", "BW", "--as", "BW-authority");
        var sample = await KpregAsync("certificates", "sample", "--issuer", "BW", "--destination", "EU", "--out", json);
        var issue = await KpregAsync("certificates", "issue", json, "--as", "BW-authority", "--out", envelope);
        var printPdf = await KpregAsync("certificates", "print", envelope, "--out", pdf);
        var printPng = await KpregAsync("certificates", "print", envelope, "--out", png, "--reference");
        var verifyPdf = await KpregAsync("verify", "--qr", pdf, "--presented-at", "EU");
        var verifyPng = await KpregAsync("verify", "--qr", png, "--presented-at", "EU");
        var wrongPlace = await KpregAsync("verify", "--qr", png, "--presented-at", "AE");

        Assert.Equal(0, key.Exit);
        Assert.Equal(0, sample.Exit);
        Assert.Equal(0, issue.Exit);
        Assert.Equal(0, printPdf.Exit);
        Assert.Contains("KP1 (signed envelope)", printPdf.Output);
        Assert.Equal(0, printPng.Exit);
        Assert.Contains("KP1R (reference)", printPng.Output);
        Assert.True(verifyPdf.Exit == 0, verifyPdf.Output + verifyPdf.Error);
        Assert.StartsWith("VALID", verifyPdf.Output);
        Assert.True(verifyPng.Exit == 0, verifyPng.Output + verifyPng.Error);
        Assert.StartsWith("VALID", verifyPng.Output);
        Assert.Equal(2, wrongPlace.Exit);
        Assert.Contains("WRONG_DESTINATION", wrongPlace.Output);
        Directory.Delete(folder, recursive: true);
    }
}
