using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using KpRegistry.Domain.Paper;

namespace KpRegistry.Domain.Tests.Paper;

public sealed partial class QrCodecTests
{
    [Fact]
    public void Base45_Rfc9285Examples_EncodeAndDecodeAsTheDocumentSays()
    {
        var lines = Vector("qr-base45-rfc9285").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        foreach (var line in lines)
        {
            var parts = line.Split(" -> ");
            Assert.Equal(parts[1], Base45.Encode(Encoding.ASCII.GetBytes(parts[0])));
            Assert.Equal(parts[0], Encoding.ASCII.GetString(Base45.Decode(parts[1])));
        }
    }

    [Theory]
    [InlineData("GGW", "65535")]
    [InlineData("ZZZ", "65535")]
    [InlineData("ZZ", "255")]
    [InlineData("A", "3k or 3k+2")]
    [InlineData("AB8a", "3k or 3k+2")]
    [InlineData("BBa", "not in the alphabet")]
    [InlineData("BB\u00e9", "not in the alphabet")]
    public void Base45_InvalidText_ThrowsFormatExceptionSayingWhy(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Base45.Decode(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Base45_EveryByteValue_RoundTrips()
    {
        var data = new byte[513];
        for (int i = 0; i < data.Length; i++)
            data[i] = unchecked((byte)(i * 7 + 3));
        data[0] = 0xFF;
        data[1] = 0xFF;

        Assert.Equal(data, Base45.Decode(Base45.Encode(data)));
        Assert.Equal(Base45.EncodedLength(data.Length), Base45.Encode(data).Length);
    }

    [Fact]
    public void Decode_Kp1Vector_GivesTheDocumentsEnvelopeBytes()
    {
        var content = QrCodec.Decode(Kp1Vector());

        var envelope = Assert.IsType<QrEnvelope>(content);
        Assert.Equal(EnvelopeVector(), envelope.EnvelopeBytes);
    }

    [Fact]
    public void EncodeEnvelope_VectorEnvelope_FitsAndDecodesBack()
    {
        var text = QrCodec.EncodeEnvelope(EnvelopeVector());

        Assert.StartsWith("KP1:", text, StringComparison.Ordinal);
        Assert.True(QrCodec.Fits(text));
        Assert.All(text, c => Assert.Contains(c, Base45.Alphabet + "KP1:"));
        Assert.Equal(EnvelopeVector(), Assert.IsType<QrEnvelope>(QrCodec.Decode(text)).EnvelopeBytes);
    }

    [Fact]
    public void EncodeReference_VectorEnvelope_EqualsTheDocumentsKp1rVector()
    {
        var payload = PayloadOf(EnvelopeVector());

        var text = QrCodec.EncodeReference("BW", "BW-2026-000123", payload);

        Assert.Equal(Vector("qr-kp1r").Trim(), text);
        var reference = Assert.IsType<QrReference>(QrCodec.Decode(text));
        Assert.Equal("BW", reference.IssuingParticipant);
        Assert.Equal("BW-2026-000123", reference.CertificateNumber);
        Assert.Equal(SHA256.HashData(payload), reference.PayloadSha256);
    }

    [Fact]
    public void EncodeReference_NumberWithSlash_DecodesBack()
    {
        var text = QrCodec.EncodeReference("EU", "EU/BE-2026/42", [1, 2, 3]);

        var reference = Assert.IsType<QrReference>(QrCodec.Decode(text));
        Assert.Equal("EU/BE-2026/42", reference.CertificateNumber);
    }

    [Theory]
    [InlineData("HC1:NCF", "begins with neither")]
    [InlineData("kp1:NCF", "begins with neither")]
    [InlineData("", "begins with neither")]
    [InlineData("KP1:a", "3k or 3k+2")]
    [InlineData("KP1:000", "zlib")]
    [InlineData("KP1:", "empty")]
    [InlineData("KP1R:BW:BW-2026-1", "ISSUER:NUMBER:SHA256")]
    [InlineData("KP1R:BW:BW-2026-1:36618c09646fa3b0660164c0a942ab6631a1759969008b628f5c77821599486a", "upper-case hex")]
    [InlineData("KP1R:BW:BW-2026-1:ABCD", "upper-case hex")]
    [InlineData("KP1R:bw:BW-2026-1:36618C09646FA3B0660164C0A942AB6631A1759969008B628F5C77821599486A", "issuer")]
    [InlineData("KP1R:BWA:BW-2026-1:36618C09646FA3B0660164C0A942AB6631A1759969008B628F5C77821599486A", "issuer")]
    [InlineData("KP1R:BW:BW 2026:36618C09646FA3B0660164C0A942AB6631A1759969008B628F5C77821599486A", "certificate number")]
    [InlineData("KP1R:BW:B:36618C09646FA3B0660164C0A942AB6631A1759969008B628F5C77821599486A", "certificate number")]
    public void Decode_Malformed_ThrowsFormatExceptionSayingWhy(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => QrCodec.Decode(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_CorruptedAdler32_ThrowsNotZlib()
    {
        var compressed = Compress(EnvelopeVector());
        compressed[^1] ^= 0x01;

        var e = Assert.Throws<FormatException>(() => QrCodec.Decode("KP1:" + Base45.Encode(compressed)));
        Assert.Contains("not a valid zlib stream", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TrailingJunkAfterZlibStream_Throws()
    {
        var compressed = Compress(EnvelopeVector());
        byte[] withJunk = [.. compressed, 0x00, 0x2A];

        var e = Assert.Throws<FormatException>(() => QrCodec.Decode("KP1:" + Base45.Encode(withJunk)));
        Assert.Contains("2 bytes after the end of its zlib stream", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedZlibStream_Throws()
    {
        var compressed = Compress(EnvelopeVector());

        var e = Assert.Throws<FormatException>(() => QrCodec.Decode("KP1:" + Base45.Encode(compressed.AsSpan(0, compressed.Length - 10))));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ZipBomb_RefusesPastTheLimit()
    {
        // 1 MiB of zeros compresses to about a kilobyte: it fits a QR, and must not be inflated.
        var bomb = Compress(new byte[1024 * 1024]);
        var text = "KP1:" + Base45.Encode(bomb);
        Assert.True(QrCodec.Fits(text));

        var e = Assert.Throws<FormatException>(() => QrCodec.Decode(text));
        Assert.Contains($"more than {QrCodec.MaxEnvelopeBytes} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ExactlyTheLimit_IsAccepted()
    {
        var data = new byte[QrCodec.MaxEnvelopeBytes];

        var content = QrCodec.Decode("KP1:" + Base45.Encode(Compress(data)));

        Assert.Equal(data.Length, Assert.IsType<QrEnvelope>(content).EnvelopeBytes.Length);
    }

    [Fact]
    public void Decode_LongerThanVersion40_Throws()
    {
        var text = "KP1:" + new string('0', QrCodec.MaxTextLength);

        var e = Assert.Throws<FormatException>(() => QrCodec.Decode(text));
        Assert.Contains("at most 2420", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxCompressedBytes_Version40LevelQ_Is1610()
    {
        Assert.Equal(1610, QrCodec.MaxCompressedBytes);
        Assert.True(QrCodec.Fits("KP1:" + Base45.Encode(new byte[1610])));
        Assert.False(QrCodec.Fits("KP1:" + Base45.Encode(new byte[1611])));
    }

    [Fact]
    public void EncodeEnvelope_RandomBytesLargerThanTheQr_DoesNotFit()
    {
        // An ML-DSA-65 signature is 3,309 random-looking bytes: zlib cannot shrink it.
        var text = QrCodec.EncodeEnvelope(RandomNumberGenerator.GetBytes(3309));

        Assert.False(QrCodec.Fits(text));
    }

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(data);
        return output.ToArray();
    }

    /// <summary>The envelope's field 1 (payload): a length-delimited field at the start.</summary>
    private static byte[] PayloadOf(byte[] envelope)
    {
        Assert.Equal(0x0A, envelope[0]);
        int length = 0;
        int shift = 0;
        int i = 1;
        byte b;
        do
        {
            b = envelope[i++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while (b >= 0x80);
        return envelope.AsSpan(i, length).ToArray();
    }

    private static string Kp1Vector() => Vector("qr-kp1").Replace("\n", "", StringComparison.Ordinal);

    private static byte[] EnvelopeVector() =>
        Convert.FromHexString(WhiteSpace().Replace(Vector("certificate-envelope"), ""));

    private static string Vector(string name)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "FORMAT.md")).ReplaceLineEndings("\n");
        var match = Regex.Match(text, $@"<!-- vector: {Regex.Escape(name)} -->\n```[a-z]*\n(?<body>.*?)\n```", RegexOptions.Singleline);
        Assert.True(match.Success, $"docs/FORMAT.md has no vector {name}");
        return match.Groups["body"].Value;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KpRegistry.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("KpRegistry.sln not found");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
