using KpRegistry.Domain.Transparency;

namespace KpRegistry.Domain.Tests.Transparency;

public class CheckpointTests
{
    private const string SpecText = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    [Fact]
    public void Parse_SpecExample_ReadsOriginSizeAndRoot()
    {
        Checkpoint checkpoint = Checkpoint.Parse(SpecText);
        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163, checkpoint.Size);
        Assert.Equal("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", Convert.ToBase64String(checkpoint.RootHash));
        Assert.Empty(checkpoint.Extensions);
        Assert.Equal(SpecText, checkpoint.Format());
    }

    [Fact]
    public void Parse_ExtensionLines_KeptInOrder()
    {
        Checkpoint checkpoint = Checkpoint.Parse(SpecText + "ext one\next two\n");
        Assert.Equal(["ext one", "ext two"], checkpoint.Extensions);
        Assert.Equal(SpecText + "ext one\next two\n", checkpoint.Format());
    }

    [Theory]
    [InlineData("example.com/log\n020852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/log\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n")]
    [InlineData("example.com/log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")]
    [InlineData("example.com/log\n1\nAAAA\n")]
    [InlineData("example.com/log\n1\n")]
    [InlineData("\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/log\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n")]
    public void Parse_NotACheckpoint_Throws(string text)
    {
        Assert.Throws<TransparencyFormatException>(() => Checkpoint.Parse(text));
    }
}
