using KpRegistry.Crypto;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Transparency;

namespace KpRegistry.Domain.Tests.Transparency;

/// <summary>The witness policy, checkpoint acceptance and tlog-proof files, on a small log signed and cosigned for real.</summary>
public sealed class LogTrustTests : IDisposable
{
    private const string Origin = "registry.example/log";
    private readonly SigningKey _logKey = SigningKey.Generate(KeyAlgorithm.Ed25519);
    private readonly SigningKey[] _witnessKeys = [.. Enumerable.Range(0, 3).Select(_ => SigningKey.Generate(KeyAlgorithm.Ed25519))];
    private readonly CosignatureSigner[] _witnesses;
    private readonly NoteSigner _log;
    private readonly MemoryTree _tree = new();

    public LogTrustTests()
    {
        _log = new NoteSigner(Origin, _logKey);
        _witnesses = [.. _witnessKeys.Select((k, i) => new CosignatureSigner($"witness{i + 1}.example", k))];
        for (int i = 0; i < 10; i++)
        {
            _tree.Append(MerkleHash.Leaf([(byte)i]));
        }
    }

    public void Dispose()
    {
        _logKey.Dispose();
        foreach (SigningKey key in _witnessKeys)
        {
            key.Dispose();
        }
    }

    private LogTrust Trust(int threshold) => new(
        Origin,
        NoteVerifiers.Create(_log.VerifierKey),
        new WitnessPolicy([.. _witnesses.Select(w => NoteVerifiers.Create(w.VerifierKey))], threshold));

    private SignedNote CheckpointCosignedBy(params int[] witnesses)
    {
        var checkpoint = new Checkpoint(Origin, _tree.Size, _tree.Root());
        SignedNote note = _log.SignNote(checkpoint.Format());
        return note.WithSignatures(witnesses.Select(w => _witnesses[w].Cosign(checkpoint, 1_700_000_000 + w)));
    }

    [Fact]
    public void VerifyCheckpoint_TwoOfThreeCosigned_IsAcceptedAndNamesTheMissingOne()
    {
        TransparencyCheck check = Trust(2).VerifyCheckpoint(CheckpointCosignedBy(0, 2).Format());
        Assert.True(check.IsValid, check.Failure);
        Assert.Equal(["witness1.example", "witness3.example"], check.Witnesses!.Cosigned);
        Assert.Equal(["witness2.example"], check.Witnesses.Missing);
        Assert.Equal(10, check.Checkpoint!.Size);
    }

    [Fact]
    public void VerifyCheckpoint_OneOfThreeCosignedForTwo_IsRefusedNamingTheMissing()
    {
        TransparencyCheck check = Trust(2).VerifyCheckpoint(CheckpointCosignedBy(1).Format());
        Assert.False(check.IsValid);
        Assert.Equal(["witness1.example", "witness3.example"], check.Witnesses!.Missing);
        Assert.Contains("missing: witness1.example, witness3.example", check.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyCheckpoint_UnconfiguredWitnessCosigned_DoesNotCount()
    {
        using SigningKey strangerKey = SigningKey.Generate(KeyAlgorithm.Ed25519);
        var stranger = new CosignatureSigner("witness1.example", strangerKey);
        var checkpoint = new Checkpoint(Origin, _tree.Size, _tree.Root());
        SignedNote note = _log.SignNote(checkpoint.Format()).WithSignatures([stranger.Cosign(checkpoint, 1)]);
        Assert.False(Trust(1).VerifyCheckpoint(note.Format()).IsValid);
    }

    [Fact]
    public void VerifyCheckpoint_ForgedCosignature_IsRefusedAsInvalid()
    {
        SignedNote note = CheckpointCosignedBy(0, 1);
        NoteSignature real = note.Signatures[2];
        byte[] forged = (byte[])real.Signature.Clone();
        forged[^1] ^= 1;
        var tampered = new SignedNote(note.Text, [note.Signatures[0], note.Signatures[1], new NoteSignature(real.KeyName, real.KeyId, forged)]);
        TransparencyCheck check = Trust(1).VerifyCheckpoint(tampered.Format());
        Assert.False(check.IsValid);
        Assert.Equal(["witness2.example"], check.Witnesses!.Invalid);
    }

    [Fact]
    public void VerifyCheckpoint_NoLogSignature_IsRefused()
    {
        var checkpoint = new Checkpoint(Origin, _tree.Size, _tree.Root());
        var note = new SignedNote(checkpoint.Format(), [_witnesses[0].Cosign(checkpoint, 1)]);
        TransparencyCheck check = Trust(0).VerifyCheckpoint(note.Format());
        Assert.False(check.IsValid);
        Assert.Contains("no signature by the log key", check.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyCheckpoint_OtherOrigin_IsRefused()
    {
        var checkpoint = new Checkpoint("other.example/log", _tree.Size, _tree.Root());
        TransparencyCheck check = Trust(0).VerifyCheckpoint(_log.SignNote(checkpoint.Format()).Format());
        Assert.False(check.IsValid);
        Assert.Contains("origin", check.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void TlogProof_FormatAndParse_RoundTripsAndVerifies()
    {
        SignedNote note = CheckpointCosignedBy(0, 1, 2);
        var proof = new TlogProof(3, MerkleTree.InclusionProof(_tree, 3, 10), note.Format(), extra: [1, 2, 3]);
        string text = proof.Format();
        Assert.StartsWith("c2sp.org/tlog-proof@v1\nextra AQID\nindex 3\n", text, StringComparison.Ordinal);
        TlogProof parsed = TlogProof.Parse(text);
        Assert.Equal(text, parsed.Format());
        TransparencyCheck check = parsed.Verify(MerkleHash.Leaf([3]), Trust(3));
        Assert.True(check.IsValid, check.Failure);
    }

    [Fact]
    public void TlogProof_OtherEntry_IsRefused()
    {
        SignedNote note = CheckpointCosignedBy(0, 1);
        var proof = new TlogProof(3, MerkleTree.InclusionProof(_tree, 3, 10), note.Format());
        TransparencyCheck check = TlogProof.Parse(proof.Format()).Verify(MerkleHash.Leaf([4]), Trust(2));
        Assert.False(check.IsValid);
        Assert.Contains("inclusion proof", check.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void TlogProof_PolicyNotMet_IsRefused()
    {
        var proof = new TlogProof(3, MerkleTree.InclusionProof(_tree, 3, 10), CheckpointCosignedBy(0).Format());
        Assert.False(proof.Verify(MerkleHash.Leaf([3]), Trust(2)).IsValid);
    }

    [Theory]
    [InlineData("c2sp.org/tlog-proof@v2\nindex 0\n\n")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 01\n\n")]
    [InlineData("c2sp.org/tlog-proof@v1\n\n")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 0\nAAAA\n\n")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 0\n")]
    public void TlogProof_Malformed_Throws(string text)
    {
        Assert.Throws<TransparencyFormatException>(() => TlogProof.Parse(text));
    }
}
