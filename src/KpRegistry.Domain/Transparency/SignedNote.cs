using System.Buffers.Binary;
using System.Text;

namespace KpRegistry.Domain.Transparency;

/// <summary>One signature line of a signed note: <c>— name base64(key ID || signature)</c>.</summary>
public sealed class NoteSignature
{
    public NoteSignature(string keyName, uint keyId, byte[] signature)
    {
        if (!NoteKeyNames.IsValid(keyName))
        {
            throw new ArgumentException("A key name is non-empty and has no spaces and no '+'.", nameof(keyName));
        }
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Length == 0)
        {
            throw new ArgumentException("A signature has at least one byte.", nameof(signature));
        }
        KeyName = keyName;
        KeyId = keyId;
        Signature = signature;
    }

    public string KeyName { get; }

    public uint KeyId { get; }

    /// <summary>The signature bytes after the key ID.</summary>
    public byte[] Signature { get; }

    /// <summary>The line, with its final newline.</summary>
    public string ToLine()
    {
        var bytes = new byte[4 + Signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, KeyId);
        Signature.CopyTo(bytes, 4);
        return $"{SignedNote.Dash} {KeyName} {Convert.ToBase64String(bytes)}\n";
    }

    /// <summary>Reads one line (without its newline).</summary>
    /// <exception cref="TransparencyFormatException">Not a signature line.</exception>
    public static NoteSignature ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string prefix = SignedNote.Dash + " ";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new TransparencyFormatException("A signature line starts with an em dash and a space.");
        }
        string rest = line[prefix.Length..];
        int space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            throw new TransparencyFormatException("A signature line is: em dash, space, key name, space, base64.");
        }
        string name = rest[..space];
        if (!NoteKeyNames.IsValid(name))
        {
            throw new TransparencyFormatException("A signature line's key name is empty or has spaces or '+'.");
        }
        if (!C2spText.TryDecodeBase64(rest[(space + 1)..], out byte[] bytes) || bytes.Length < 5)
        {
            throw new TransparencyFormatException("A signature line's signature is not base64 of a key ID and a signature.");
        }
        return new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), bytes[4..]);
    }
}

/// <summary>What checking a signed note against trusted keys found.</summary>
public enum NoteVerificationStatus
{
    /// <summary>At least one trusted key's signature verified, and none failed.</summary>
    Verified,

    /// <summary>No signature is by a trusted key (name and key ID both matching): the text must be ignored.</summary>
    NoTrustedSignature,

    /// <summary>A signature by a trusted key does not verify: the whole note is rejected.</summary>
    InvalidSignature,
}

/// <summary>
/// A C2SP signed note: a text (ending in a newline), a blank line, and one or more signature lines.
/// The text must be ignored unless <see cref="Verify"/> says a trusted key signed it.
/// </summary>
public sealed class SignedNote
{
    /// <summary>The em dash (U+2014) that starts each signature line.</summary>
    public const string Dash = "\u2014";

    /// <summary>The most signature lines a note may carry here; signed-note requires at least 16 be accepted.</summary>
    public const int MaxSignatures = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public SignedNote(string text, IReadOnlyList<NoteSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signatures);
        if (!IsValidText(text))
        {
            throw new ArgumentException("A note text is non-empty, ends in a newline and has no control characters but newlines.", nameof(text));
        }
        Text = text;
        Signatures = signatures;
    }

    /// <summary>The signed text, with its final newline (not the blank line).</summary>
    public string Text { get; }

    public IReadOnlyList<NoteSignature> Signatures { get; }

    /// <summary>Reads a note from its bytes, which must be valid UTF-8.</summary>
    /// <exception cref="TransparencyFormatException">Not UTF-8, or not a signed note.</exception>
    public static SignedNote Parse(ReadOnlySpan<byte> utf8)
    {
        string note;
        try
        {
            note = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            throw new TransparencyFormatException("A signed note is valid UTF-8.");
        }
        return Parse(note);
    }

    /// <summary>
    /// Reads a note: the text is everything up to the LAST blank line; every line after it is a
    /// signature line, and there is at least one.
    /// </summary>
    /// <exception cref="TransparencyFormatException">Not a signed note.</exception>
    public static SignedNote Parse(string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (note.Any(c => c < 0x20 && c != '\n'))
        {
            throw new TransparencyFormatException("A signed note has no control characters but newlines.");
        }
        int split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new TransparencyFormatException("A signed note has a blank line between its text and its signatures.");
        }
        string text = note[..(split + 1)];
        string block = note[(split + 2)..];
        if (block.Length == 0 || !block.EndsWith('\n'))
        {
            throw new TransparencyFormatException("A signed note ends with one or more signature lines, each ending in a newline.");
        }
        string[] lines = block[..^1].Split('\n');
        if (lines.Length > MaxSignatures)
        {
            throw new TransparencyFormatException($"A signed note has at most {MaxSignatures} signatures here.");
        }
        var signatures = new List<NoteSignature>(lines.Length);
        foreach (string line in lines)
        {
            signatures.Add(NoteSignature.ParseLine(line));
        }
        return new SignedNote(text, signatures);
    }

    /// <summary>The note as text: the text, a blank line, the signature lines.</summary>
    public string Format()
    {
        if (Signatures.Count == 0)
        {
            throw new InvalidOperationException("A signed note has at least one signature.");
        }
        var note = new StringBuilder(Text).Append('\n');
        foreach (NoteSignature signature in Signatures)
        {
            note.Append(signature.ToLine());
        }
        return note.ToString();
    }

    /// <summary>This note with more signature lines appended (e.g. cosignatures a witness returned).</summary>
    public SignedNote WithSignatures(IEnumerable<NoteSignature> more) => new(Text, [.. Signatures, .. more]);

    /// <summary>
    /// Checks the signatures against <paramref name="trusted"/> as signed-note says: a line whose
    /// name or key ID matches no trusted key is ignored; a trusted key's line must verify; at least
    /// one must. <paramref name="verified"/> lists the trusted keys whose signatures verified.
    /// </summary>
    public NoteVerificationStatus Verify(IEnumerable<NoteVerifier> trusted, out IReadOnlyList<NoteVerifier> verified)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        var good = new List<NoteVerifier>();
        verified = good;
        bool failed = false;
        foreach (NoteSignature signature in Signatures)
        {
            foreach (NoteVerifier key in trusted)
            {
                if (key.Name != signature.KeyName || key.KeyId != signature.KeyId)
                {
                    continue;
                }
                if (key.Verify(Text, signature.Signature))
                {
                    if (!good.Contains(key))
                    {
                        good.Add(key);
                    }
                }
                else
                {
                    failed = true;
                }
            }
        }
        if (failed)
        {
            return NoteVerificationStatus.InvalidSignature;
        }
        return good.Count > 0 ? NoteVerificationStatus.Verified : NoteVerificationStatus.NoTrustedSignature;
    }

    private static bool IsValidText(string text) =>
        text.Length > 0 && text.EndsWith('\n') && !text.Any(c => c < 0x20 && c != '\n');
}
