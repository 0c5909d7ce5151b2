using System.IO.Compression;
using System.Security.Cryptography;

namespace KpRegistry.Domain.Paper;

/// <summary>
/// The text in a paper certificate's QR code (docs/FORMAT.md, "QR code"):
/// <c>KP1:</c> + base45(zlib(SignedEnvelope bytes)), or, for an envelope too large for that,
/// <c>KP1R:</c> + ISSUER + <c>:</c> + NUMBER + <c>:</c> + the payload's SHA-256 in upper-case hex.
/// Both use only the QR alphanumeric alphabet, so the QR is encoded in alphanumeric mode.
/// </summary>
public static class QrCodec
{
    /// <summary>The prefix of a QR carrying the envelope.</summary>
    public const string EnvelopePrefix = "KP1:";

    /// <summary>The prefix of a QR carrying a reference to the recorded envelope.</summary>
    public const string ReferencePrefix = "KP1R:";

    /// <summary>
    /// The QR error-correction level: Q (about 25 % of the code words may be lost), as the EU DCC
    /// recommends for the same scheme; a paper certificate is folded, stamped and photographed at an
    /// angle, which M (15 %) tolerates less well, and H (30 %) would leave too little room for an envelope.
    /// </summary>
    public const char ErrorCorrectionLevel = 'Q';

    /// <summary>Characters in alphanumeric mode that a QR of version 40 holds at level Q (ISO/IEC 18004, table 7).</summary>
    public const int MaxTextLength = 2420;

    /// <summary>
    /// The most envelope bytes a <c>KP1:</c> QR may decompress to. A QR holds at most
    /// <see cref="MaxCompressedBytes"/> compressed bytes; a certificate that fits compresses by far
    /// less than this ratio, and more is a zip bomb.
    /// </summary>
    public const int MaxEnvelopeBytes = 64 * 1024;

    /// <summary>The most zlib bytes that fit after the <c>KP1:</c> prefix: 1,610.</summary>
    public static int MaxCompressedBytes { get; } = Base45.MaxDecodedLength(MaxTextLength - EnvelopePrefix.Length);

    private const int Sha256HexLength = 64;

    /// <summary>The <c>KP1:</c> text for <paramref name="envelopeBytes"/>, whether or not it fits a QR (see <see cref="Fits"/>).</summary>
    public static string EncodeEnvelope(ReadOnlySpan<byte> envelopeBytes)
    {
        if (envelopeBytes.Length > MaxEnvelopeBytes)
            throw new ArgumentException($"the envelope has {envelopeBytes.Length} bytes; a KP1 QR carries at most {MaxEnvelopeBytes}", nameof(envelopeBytes));
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            zlib.Write(envelopeBytes);
        return EnvelopePrefix + Base45.Encode(compressed.GetBuffer().AsSpan(0, checked((int)compressed.Length)));
    }

    /// <summary>The <c>KP1R:</c> text for the certificate <paramref name="certificateNumber"/> of <paramref name="issuingParticipant"/> whose payload is <paramref name="payload"/>.</summary>
    public static string EncodeReference(string issuingParticipant, string certificateNumber, ReadOnlySpan<byte> payload)
    {
        var reference = new QrReference(issuingParticipant, certificateNumber, SHA256.HashData(payload));
        string? problem = ReferenceProblem(reference);
        if (problem is not null)
            throw new ArgumentException(problem);
        return $"{ReferencePrefix}{issuingParticipant}:{certificateNumber}:{Convert.ToHexString(reference.PayloadSha256)}";
    }

    /// <summary>Whether <paramref name="text"/> fits a QR of version 40 at level <see cref="ErrorCorrectionLevel"/>.</summary>
    public static bool Fits(string text) => text.Length <= MaxTextLength;

    /// <summary>
    /// The content of a QR's text. Anything else than exactly one of the two forms is a
    /// <see cref="FormatException"/> that says what is wrong: an unknown prefix, a character outside
    /// base45, a stream that is not zlib, bytes after the zlib stream, an envelope larger than
    /// <see cref="MaxEnvelopeBytes"/>, or a malformed reference.
    /// </summary>
    public static QrContent Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith(ReferencePrefix, StringComparison.Ordinal))
            return DecodeReference(text.AsSpan(ReferencePrefix.Length));
        if (!text.StartsWith(EnvelopePrefix, StringComparison.Ordinal))
            throw new FormatException($"not a KP certificate QR code: it begins with neither {EnvelopePrefix} nor {ReferencePrefix}");
        if (text.Length > MaxTextLength)
            throw new FormatException($"the QR text has {text.Length} characters; a KP1 QR holds at most {MaxTextLength}");
        byte[] compressed = Base45.Decode(text.AsSpan(EnvelopePrefix.Length));
        return new QrEnvelope(Inflate(compressed));
    }

    private static byte[] Inflate(byte[] compressed)
    {
        // One byte at a time, so the bytes the inflater consumed are known exactly and any left after
        // the zlib stream's end (trailing junk) are found; the input is at most 1,610 bytes. The
        // inflater does not report a stream cut short, so one extra byte follows the input: an
        // inflater that reads it had not reached the end of the zlib stream.
        var input = new OneByteStream(compressed);
        var output = new byte[MaxEnvelopeBytes + 1];
        int length = 0;
        try
        {
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            int read;
            while ((read = zlib.Read(output, length, output.Length - length)) > 0)
            {
                length += read;
                if (length > MaxEnvelopeBytes)
                    throw new FormatException($"the KP1 content decompresses to more than {MaxEnvelopeBytes} bytes; refused (a zip bomb, or not a certificate)");
            }
        }
        catch (InvalidDataException e)
        {
            throw new FormatException($"the KP1 content is not a valid zlib stream (RFC 1950): {e.Message}", e);
        }
        if (compressed.Length == 0)
            throw new FormatException("the KP1 content is empty");
        if (input.Consumed > compressed.Length)
            throw new FormatException("the KP1 content ends before its zlib stream does (truncated)");
        if (input.Consumed < compressed.Length)
            throw new FormatException($"the KP1 content has {compressed.Length - input.Consumed} bytes after the end of its zlib stream");
        return output.AsSpan(0, length).ToArray();
    }

    private static QrReference DecodeReference(ReadOnlySpan<char> rest)
    {
        // ISSUER:NUMBER:HEX; the number cannot contain ':' (CertificateRules), so the first and the
        // last ':' delimit it.
        int first = rest.IndexOf(':');
        int last = rest.LastIndexOf(':');
        if (first < 0 || first == last)
            throw new FormatException($"a {ReferencePrefix} QR must read {ReferencePrefix}ISSUER:NUMBER:SHA256 (64 upper-case hex digits)");
        string hex = rest[(last + 1)..].ToString();
        if (hex.Length != Sha256HexLength || !hex.All(c => c is (>= '0' and <= '9') or (>= 'A' and <= 'F')))
            throw new FormatException($"the {ReferencePrefix} payload hash must be 64 upper-case hex digits (SHA-256); found {hex.Length} characters");
        var reference = new QrReference(rest[..first].ToString(), rest[(first + 1)..last].ToString(), Convert.FromHexString(hex));
        string? problem = ReferenceProblem(reference);
        if (problem is not null)
            throw new FormatException(problem);
        return reference;
    }

    private static string? ReferenceProblem(QrReference reference)
    {
        if (!Certificates.Codes.IsAlpha2(reference.IssuingParticipant))
            return $"the {ReferencePrefix} issuer must be a participant code of two upper-case letters";
        string number = reference.CertificateNumber;
        if (number.Length is < Certificates.CertificateRules.MinNumberLength or > Certificates.CertificateRules.MaxNumberLength
            || !number.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '/'))
        {
            return $"the {ReferencePrefix} certificate number must have {Certificates.CertificateRules.MinNumberLength} to {Certificates.CertificateRules.MaxNumberLength} characters of A-Z, 0-9, '-' and '/'";
        }
        if (reference.PayloadSha256.Length != SHA256.HashSizeInBytes)
            return "the payload hash must be a SHA-256 (32 bytes)";
        return null;
    }

    /// <summary>A read-only stream that hands out one byte per read, then one zero byte past the data, and counts them.</summary>
    private sealed class OneByteStream(byte[] data) : Stream
    {
        public int Consumed { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length + 1L;
        public override long Position { get => Consumed; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty || Consumed > data.Length)
                return 0;
            buffer[0] = Consumed < data.Length ? data[Consumed] : (byte)0;
            Consumed++;
            return 1;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
