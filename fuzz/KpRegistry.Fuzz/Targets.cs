using System.Text;
using Google.Protobuf;
using KpRegistry.Client;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Paper;
using KpRegistry.Domain.Transparency;
using KpRegistry.Domain.Verification;
using KpRegistry.Domain.Wire;

namespace KpRegistry.Fuzz;

/// <summary>One decoder under fuzzing: its name, what it feeds, the valid inputs it starts from.</summary>
/// <param name="Run">
/// Feeds the bytes to the decoder. Returns a short label of the outcome (the driver keeps an input
/// that reaches a label it had not seen). A documented refusal is an outcome; any other exception
/// escaping, or a <see cref="FuzzFinding"/>, is a crash.
/// </param>
public sealed record FuzzTarget(string Name, string Feeds, Func<byte[], string> Run, Func<FuzzWorld, IReadOnlyList<byte[]>> Seeds);

/// <summary>
/// The targets, one per decoder an attacker can reach: envelopes and certificates (the verification
/// decision, online and offline), key statements, SPKI / PKCS#8 / PEM, signatures, the QR codec, the
/// transparency formats, the trust list. Each catches exactly the exceptions its decoder documents.
/// </summary>
public static class Targets
{
    private static readonly VerificationContext IssueContext = new() { Purpose = VerificationPurpose.Issue };
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("a message the fuzz world signed");

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("envelope", "SignedEnvelope bytes into the verification decision (online, as at issuing) and the offline verifier", Envelope,
            w => [w.CertificateEnvelope.ToByteArray(), w.KeyStatementEnvelope.ToByteArray()]),
        new("certificate", "certificate payload bytes, signed by Botswana's registered key, into the verification decision", Certificate,
            w => [w.CertificatePayload]),
        new("key-statement", "SignedEnvelope bytes as a key statement: parse, the new key's SPKI, every rule and the proof of possession", KeyStatement,
            w => [w.KeyStatementEnvelope.ToByteArray(), w.RegistryKeyLink.ToByteArray()]),
        new("spki", "SubjectPublicKeyInfo DER into the public-key reader and the verifier it makes", Spki,
            w => [w.BwEd25519.Spki, w.BwP256.Spki, w.BwMlDsa65.Spki]),
        new("signature", "signature bytes checked by a registered key of each algorithm", Signature,
            SignatureSeeds),
        new("pkcs8", "PKCS#8 DER into the private-key reader", Pkcs8,
            _ => [Convert.FromHexString("302e020100300506032b657004220420" + new string('7', 64))]),
        new("pem", "PEM text into the public-key and private-key PEM readers", PemText,
            w => [Encoding.UTF8.GetBytes(PublicKeys.ToPem(w.BwP256.Spki)), Encoding.UTF8.GetBytes(PublicKeys.ToPem(w.BwEd25519.Spki))]),
        new("qr", "QR text (KP1: and KP1R:) into the QR codec, and a decoded envelope into the verification decision", Qr,
            w => [Encoding.ASCII.GetBytes(QrCodec.EncodeEnvelope(w.CertificateEnvelope.ToByteArray())),
                  Encoding.ASCII.GetBytes(QrCodec.EncodeReference("BW", "BW-2026-000123", w.CertificatePayload))]),
        new("base45", "text into the base45 decoder (RFC 9285)", Base45Text,
            _ => [Encoding.ASCII.GetBytes(Base45.Encode(Encoding.ASCII.GetBytes("KP certificate")))]),
        new("checkpoint", "signed-note text into the note and checkpoint readers and the log's checkpoint check", CheckpointNote,
            w => [Encoding.UTF8.GetBytes(w.CheckpointNote)]),
        new("tlog-proof", "tlog-proof text into its reader and the inclusion check", TlogProofText,
            w => [Encoding.UTF8.GetBytes(w.TlogProofText)]),
        new("tile", "tile paths, entry bundles and log entries into their readers", TileAndEntries,
            w => [Encoding.ASCII.GetBytes("tile/0/x001/234.p/5"), Tiles.EntryBundleBytes(w.Entries.Select(e => (ReadOnlyMemory<byte>)e)), w.Entries[0]]),
        new("verifier-key", "a note verifier key (name+hash+base64) into its reader", VerifierKey,
            w => [Encoding.UTF8.GetBytes(w.LogVerifierKey)]),
        new("trust-list", "SignedEnvelope bytes as a trust list checked from the pinned registry key", TrustListEnvelope,
            w => [w.TrustListEnvelope.ToByteArray()]),
        new("text", "dates and RFC 3339 instants into their strict readers", DatesAndInstants,
            _ => [Encoding.ASCII.GetBytes("2026-03-09"), Encoding.ASCII.GetBytes("2026-03-09T12:30:00+02:00")]),
    ];

    public static FuzzTarget Named(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no fuzz target '{name}'; targets: {string.Join(", ", All.Select(t => t.Name))}");

    private static FuzzWorld World => FuzzWorld.Shared;

    /// <summary>Parse as the gRPC layer does, then the one decision online and offline: VALID only for what the world signed.</summary>
    private static string Envelope(byte[] data)
    {
        if (!TryParseEnvelope(data, out SignedEnvelope? envelope))
        {
            return "not-an-envelope";
        }
        return VerifyEnvelope(envelope);
    }

    private static string VerifyEnvelope(SignedEnvelope envelope)
    {
        VerificationResult online = CertificateVerifier.Verify(envelope, World.View, FuzzWorld.Now, IssueContext);
        VerificationResult offline = World.Offline.Verify(envelope, FuzzWorld.Now);
        foreach (VerificationResult result in (VerificationResult[])[online, offline])
        {
            if (result.Valid && !World.Signed(envelope.PayloadType, envelope.Payload.Span))
            {
                throw new FuzzFinding("VALID for a payload the world never signed");
            }
            if (!result.Valid && result.Reasons.Count == 0)
            {
                throw new FuzzFinding("refused without a reason");
            }
        }
        return "online:" + Label(online) + " offline:" + Label(offline);
    }

    /// <summary>The payload is signed here with a registered key, so the fuzzer reaches the parse and every rule behind the signature check.</summary>
    private static string Certificate(byte[] data)
    {
        SignedEnvelope envelope = World.SignUnrecorded(PayloadTypes.Certificate, data, World.BwEd25519);
        VerificationResult result = CertificateVerifier.Verify(envelope, World.View, FuzzWorld.Now, IssueContext);
        if (result.Valid && (result.Certificate is null || result.Certificate.IssuingParticipant != "BW"))
        {
            throw new FuzzFinding("VALID for a certificate that Botswana's key may not sign");
        }
        if (!result.Valid && result.Reasons.Count == 0)
        {
            throw new FuzzFinding("refused without a reason");
        }
        return Label(result);
    }

    private static string KeyStatement(byte[] data)
    {
        if (!TryParseEnvelope(data, out SignedEnvelope? envelope))
        {
            return "not-an-envelope";
        }
        if (KeyStatements.TryParse(envelope, out string problem) is not { } statement)
        {
            return "refused:" + Shape(problem);
        }
        ISignatureVerifier verifier;
        try
        {
            verifier = SignatureVerifiers.Create(PublicKeys.DetectAlgorithm(statement.Spki.Span), statement.Spki.Span);
        }
        catch (CryptoFormatException e)
        {
            return "spki:" + Shape(e.Message);
        }
        var expected = new ExpectedKeyStatement(statement.Purpose, statement.ParticipantCode, statement.PreviousKeyId.Length == 0 ? null : statement.PreviousKeyId);
        IReadOnlyList<string> problems = KeyStatements.Check(envelope, statement, verifier, expected, FuzzWorld.Now);
        if (problems.Count == 0 && !World.Signed(envelope.PayloadType, envelope.Payload.Span))
        {
            throw new FuzzFinding("a key statement nobody signed passed every check");
        }
        return problems.Count == 0 ? "accepted" : "problems:" + problems.Count;
    }

    private static string Spki(byte[] data)
    {
        KeyAlgorithm algorithm;
        try
        {
            algorithm = PublicKeys.DetectAlgorithm(data);
        }
        catch (CryptoFormatException e)
        {
            return "refused:" + Shape(e.Message);
        }
        // The reader accepted it, so the registry would store it: a verifier must come of it and refuse garbage.
        ISignatureVerifier verifier = SignatureVerifiers.Create(algorithm, data);
        if (verifier.Verify(Message, data))
        {
            throw new FuzzFinding("the key's own bytes verified as a signature");
        }
        return "key:" + algorithm;
    }

    private static string Signature(byte[] data)
    {
        var outcomes = new StringBuilder("verified:");
        foreach (SigningKey key in (SigningKey[])[World.BwEd25519, World.BwP256, World.BwMlDsa65])
        {
            bool verified = KeyInfoVerifier(key).Verify(Message, data);
            // Ed25519 signs deterministically: its one signature is known. For P-256 the fuzzer starts from a
            // real signature, and a mutation of it that still verifies would be malleability: report it too.
            if (verified && !(key.Algorithm == KeyAlgorithm.Ed25519 && data.AsSpan().SequenceEqual(key.Sign(Message))) && !IsSeedSignature(key, data))
            {
                throw new FuzzFinding($"a signature the {key.Algorithm} key never made verified");
            }
            outcomes.Append(verified ? '1' : '0');
        }
        return outcomes.ToString();
    }

    private static IReadOnlyList<byte[]> SignatureSeeds(FuzzWorld world)
    {
        byte[] ed25519 = world.BwEd25519.Sign(Message);
        byte[] p256 = world.BwP256.Sign(Message);
        RememberSeedSignature(world.BwP256, p256);
        return [ed25519, p256];
    }

    private static readonly Dictionary<string, byte[]> SeedSignatures = new(StringComparer.Ordinal);

    private static bool IsSeedSignature(SigningKey key, byte[] data)
    {
        lock (SeedSignatures)
        {
            return SeedSignatures.TryGetValue(key.KeyId, out byte[]? seed) && seed.AsSpan().SequenceEqual(data);
        }
    }

    /// <summary>Remembers the signatures the seeds carry, so that the seed itself is not a finding.</summary>
    private static void RememberSeedSignature(SigningKey key, byte[] signature)
    {
        lock (SeedSignatures)
        {
            SeedSignatures[key.KeyId] = signature;
        }
    }

    private static ISignatureVerifier KeyInfoVerifier(SigningKey key) => World.View.FindKey(key.KeyId)!.Verifier;

    private static string Pkcs8(byte[] data)
    {
        SigningKey key;
        try
        {
            key = SigningKey.ImportPkcs8Der(data);
        }
        catch (CryptoFormatException e)
        {
            return "refused:" + Shape(e.Message);
        }
        using (key)
        {
            // A key the reader accepts must sign what its own public key verifies.
            byte[] signature = key.Sign(Message);
            if (!SignatureVerifiers.Create(key.Algorithm, key.Spki).Verify(Message, signature))
            {
                throw new FuzzFinding($"an imported {key.Algorithm} key signs what its public key does not verify");
            }
            return "key:" + key.Algorithm;
        }
    }

    private static string PemText(byte[] data)
    {
        string text = Encoding.UTF8.GetString(data);
        var outcomes = new StringBuilder();
        outcomes.Append(Try(() => PublicKeys.FromPem(text))).Append(' ');
        outcomes.Append(Try(() => PublicKeys.FromPemOrDer(data))).Append(' ');
        outcomes.Append(Try(() =>
        {
            using SigningKey key = SigningKey.ImportPkcs8Pem(text);
            return key.Algorithm;
        }));
        return outcomes.ToString();

        static string Try<T>(Func<T> read)
        {
            try
            {
                _ = read();
                return "ok";
            }
            catch (CryptoFormatException e)
            {
                return "refused:" + Shape(e.Message);
            }
        }
    }

    private static string Qr(byte[] data)
    {
        QrContent content;
        try
        {
            content = QrCodec.Decode(Encoding.UTF8.GetString(data));
        }
        catch (FormatException e)
        {
            return "refused:" + Shape(e.Message);
        }
        if (content is QrEnvelope envelope)
        {
            return TryParseEnvelope(envelope.EnvelopeBytes, out SignedEnvelope? parsed) ? "envelope:" + VerifyEnvelope(parsed) : "envelope:not-an-envelope";
        }
        return "reference";
    }

    private static string Base45Text(byte[] data)
    {
        string text = Encoding.UTF8.GetString(data);
        byte[] decoded;
        try
        {
            decoded = Base45.Decode(text);
        }
        catch (FormatException e)
        {
            return "refused:" + Shape(e.Message);
        }
        // RFC 9285 has one encoding per byte string: what decodes must encode back to itself.
        if (Base45.Encode(decoded) != text)
        {
            throw new FuzzFinding("base45 text that decodes does not encode back to itself");
        }
        return "decoded";
    }

    private static string CheckpointNote(byte[] data)
    {
        string label;
        try
        {
            SignedNote note = SignedNote.Parse(data);
            label = "note";
            Checkpoint checkpoint = Checkpoint.Parse(note.Text);
            label = "checkpoint";
            if (checkpoint.Format() != note.Text)
            {
                throw new FuzzFinding("a checkpoint that parses does not format back to its text");
            }
        }
        catch (TransparencyFormatException e)
        {
            label = "refused:" + Shape(e.Message);
        }
        string text = Encoding.UTF8.GetString(data);
        TransparencyCheck check = World.LogTrust.VerifyCheckpoint(text);
        if (check.IsValid && !World.SignedNoteText(SignedNote.Parse(text).Text))
        {
            throw new FuzzFinding("a checkpoint the log never signed was accepted");
        }
        return label + (check.IsValid ? " valid" : " invalid");
    }

    private static string TlogProofText(byte[] data)
    {
        TlogProof proof;
        try
        {
            proof = TlogProof.Parse(Encoding.UTF8.GetString(data));
        }
        catch (TransparencyFormatException e)
        {
            return "refused:" + Shape(e.Message);
        }
        TransparencyCheck check = proof.Verify(World.LeafHash, World.LogTrust);
        if (check.IsValid && (proof.Index != 1 || !World.SignedNoteText(SignedNote.Parse(proof.CheckpointNote).Text)))
        {
            throw new FuzzFinding("a tlog-proof the log never made was accepted");
        }
        return check.IsValid ? "valid" : "invalid";
    }

    private static string TileAndEntries(byte[] data)
    {
        string text = Encoding.UTF8.GetString(data);
        var label = new StringBuilder();
        label.Append(Tile.TryParse(text, entries: false, out _) ? "tile " : "no-tile ");
        label.Append(Tile.TryParse(text, entries: true, out _) ? "bundle-path " : "no-bundle-path ");
        try
        {
            label.Append("bundle:").Append(Tiles.ParseEntryBundle(data).Count).Append(' ');
        }
        catch (TransparencyFormatException e)
        {
            label.Append("refused:").Append(Shape(e.Message)).Append(' ');
        }
        try
        {
            label.Append("entry:").Append(LogEntries.Parse(data).Kind);
        }
        catch (TransparencyFormatException e)
        {
            label.Append("refused:").Append(Shape(e.Message));
        }
        return label.ToString();
    }

    private static string VerifierKey(byte[] data)
    {
        try
        {
            NoteVerifier verifier = NoteVerifiers.FromVerifierKey(Encoding.UTF8.GetString(data));
            return verifier.Verify("a note\n", data) ? throw new FuzzFinding("a verifier key's own text verified as a signature") : "key";
        }
        catch (TransparencyFormatException e)
        {
            return "refused:" + Shape(e.Message);
        }
        catch (CryptoFormatException e)
        {
            return "refused:" + Shape(e.Message);
        }
    }

    private static string TrustListEnvelope(byte[] data)
    {
        if (!TryParseEnvelope(data, out SignedEnvelope? envelope))
        {
            return "not-an-envelope";
        }
        try
        {
            TrustListVerifier.Verify(World.RegistryKey.KeyId, envelope);
        }
        catch (TrustListException e)
        {
            return "refused:" + Shape(e.Message);
        }
        if (!World.Signed(envelope.PayloadType, envelope.Payload.Span))
        {
            throw new FuzzFinding("a trust list the registry never signed was accepted");
        }
        return "accepted";
    }

    private static string DatesAndInstants(byte[] data)
    {
        string text = Encoding.UTF8.GetString(data);
        bool date = CertificateDates.TryParse(text, out DateOnly d);
        if (date && CertificateDates.ToText(d) != text)
        {
            throw new FuzzFinding("a date that parses does not format back to its text");
        }
        bool instant = Instants.TryParse(text, out _);
        return (date ? "date " : "no-date ") + (instant ? "instant" : "no-instant");
    }

    private static bool TryParseEnvelope(byte[] data, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SignedEnvelope? envelope)
    {
        try
        {
            envelope = SignedEnvelope.Parser.ParseFrom(data);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            envelope = null;
            return false;
        }
    }

    private static string Label(VerificationResult result) => result.Valid ? "VALID" : string.Join(',', result.Reasons);

    /// <summary>A message without its numbers and quoted parts, so that one kind of refusal is one label.</summary>
    private static string Shape(string message)
    {
        var shape = new StringBuilder(Math.Min(message.Length, 48));
        foreach (char c in message)
        {
            if (shape.Length == 48 || c is '\'' or '"' or ':')
            {
                break;
            }
            if (!char.IsAsciiDigit(c))
            {
                shape.Append(c);
            }
        }
        return shape.ToString();
    }
}
