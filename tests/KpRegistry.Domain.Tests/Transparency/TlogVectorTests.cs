using System.Text.Json;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Domain.Tests.Transparency;

/// <summary>Every file of TestData/tlog-vectors through the project's own proof checker.</summary>
public class TlogVectorTests
{
    private static readonly string VectorRoot = Path.Combine(AppContext.BaseDirectory, "TestData", "tlog-vectors");

    [Fact]
    public void VerifyInclusion_EveryVectorFile_AcceptedExactlyWhenWantErrIsFalse()
    {
        var wrong = new List<string>();
        string[] files = Directory.GetFiles(Path.Combine(VectorRoot, "inclusion"), "*.json", SearchOption.AllDirectories);
        foreach (string file in files)
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(file));
            JsonElement v = json.RootElement;
            bool accepted = MerkleTree.VerifyInclusion(
                v.GetProperty("leafIdx").GetUInt64(),
                v.GetProperty("treeSize").GetUInt64(),
                Bytes(v.GetProperty("leafHash")),
                Hashes(v.GetProperty("proof")),
                Bytes(v.GetProperty("root")));
            if (accepted == v.GetProperty("wantErr").GetBoolean())
            {
                wrong.Add($"{Path.GetRelativePath(VectorRoot, file)}: accepted={accepted}");
            }
        }
        Assert.True(files.Length > 50, $"Only {files.Length} inclusion vectors found under {VectorRoot}.");
        Assert.Empty(wrong);
    }

    [Fact]
    public void VerifyConsistency_EveryVectorFile_AcceptedExactlyWhenWantErrIsFalse()
    {
        var wrong = new List<string>();
        string[] files = Directory.GetFiles(Path.Combine(VectorRoot, "consistency"), "*.json", SearchOption.AllDirectories);
        foreach (string file in files)
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(file));
            JsonElement v = json.RootElement;
            bool accepted = MerkleTree.VerifyConsistency(
                v.GetProperty("size1").GetUInt64(),
                v.GetProperty("size2").GetUInt64(),
                Bytes(v.GetProperty("root1")),
                Bytes(v.GetProperty("root2")),
                Hashes(v.GetProperty("proof")));
            if (accepted == v.GetProperty("wantErr").GetBoolean())
            {
                wrong.Add($"{Path.GetRelativePath(VectorRoot, file)}: accepted={accepted}");
            }
        }
        Assert.True(files.Length > 50, $"Only {files.Length} consistency vectors found under {VectorRoot}.");
        Assert.Empty(wrong);
    }

    private static byte[] Bytes(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? [] : element.GetBytesFromBase64();

    private static List<byte[]> Hashes(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? [] : element.EnumerateArray().Select(Bytes).ToList();
}
