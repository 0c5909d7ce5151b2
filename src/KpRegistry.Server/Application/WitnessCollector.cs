using System.Globalization;
using System.Net;
using System.Text;
using KpRegistry.Crypto;
using KpRegistry.Domain.Transparency;
using KpRegistry.Server.Hosting;

namespace KpRegistry.Server.Application;

/// <summary>
/// Asks each configured witness to cosign the latest checkpoint (C2SP tlog-witness
/// <c>add-checkpoint</c>): sends it with the consistency proof from the size that witness last
/// cosigned, follows a 409 to the size the witness returns, checks each cosignature against the
/// witness's configured key, and adds the valid ones to the published checkpoint.
/// </summary>
public sealed partial class WitnessCollector
{
    private readonly TransparencyLog _log;
    private readonly HttpClient _http;
    private readonly ILogger<WitnessCollector> _logger;
    private readonly List<Witness> _witnesses;

    public WitnessCollector(TransparencyLog log, RegistryOptions options, ILogger<WitnessCollector> logger)
    {
        _log = log;
        _logger = logger;
        // One client for the life of the server (a singleton): connections to witnesses are reused.
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _witnesses = options.Log.Witnesses.Select(w => new Witness(w.Name, NoteVerifiers.FromVerifierKey(w.VerifierKey), new Uri(w.Url.TrimEnd('/') + "/add-checkpoint"))).ToList();
        foreach (Witness witness in _witnesses)
        {
            if (witness.Verifier.Name != witness.Name)
            {
                throw new InvalidOperationException($"KpRegistry:Log:Witnesses: the verifier key of {witness.Name} is named {witness.Verifier.Name}.");
            }
        }
        Policy = new WitnessPolicy([.. _witnesses.Select(w => w.Verifier)], Math.Min(options.Log.WitnessThreshold, _witnesses.Count));
    }

    /// <summary>The policy the registry announces: the configured witnesses, k of n.</summary>
    public WitnessPolicy Policy { get; }

    /// <summary>Sends <paramref name="checkpoint"/> to every witness that has not cosigned it yet.</summary>
    public async Task CollectAsync(PublishedCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        foreach (Witness witness in _witnesses)
        {
            if (witness.CosignedSize == checkpoint.TreeSize && witness.CosignedRoot is { } root && MerkleHash.AreEqual(root, checkpoint.RootHash))
            {
                continue;
            }
            try
            {
                await AskAsync(witness, checkpoint, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TransparencyFormatException && !cancellationToken.IsCancellationRequested)
            {
                LogWitnessUnreachable(_logger, witness.Name, e.Message);
            }
        }
    }

    private async Task AskAsync(Witness witness, PublishedCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        // At most two tries: the second after a 409 told us the size the witness holds.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            long old = witness.CosignedSize;
            if (old > checkpoint.TreeSize)
            {
                LogWitnessAhead(_logger, witness.Name, old, checkpoint.TreeSize);
                return;
            }
            var body = new StringBuilder().Append("old ").Append(old.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (old > 0 && old < checkpoint.TreeSize)
            {
                foreach (byte[] hash in MerkleTree.ConsistencyProof(_log.Tree, old, checkpoint.TreeSize))
                {
                    body.Append(Convert.ToBase64String(hash)).Append('\n');
                }
            }
            // The note as the log signed it, without other witnesses' cosignatures.
            SignedNote note = SignedNote.Parse(checkpoint.Note);
            var logOnly = new SignedNote(note.Text, [.. note.Signatures.Where(s => s.KeyName == _log.VerifierKey.Name && s.KeyId == _log.VerifierKey.KeyId)]);
            body.Append('\n').Append(logOnly.Format());
            using var content = new StringContent(body.ToString(), Encoding.UTF8);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
            using HttpResponseMessage response = await _http.PostAsync(witness.Url, content, cancellationToken);
            string answer = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Conflict && answer.EndsWith('\n') && C2spText.TryParseDecimal(answer[..^1], out long size))
            {
                witness.CosignedSize = size;
                witness.CosignedRoot = null;
                continue;
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                LogWitnessRefused(_logger, witness.Name, (int)response.StatusCode, answer.Trim());
                return;
            }
            var cosignatures = new List<NoteSignature>();
            foreach (string line in answer.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                NoteSignature signature = NoteSignature.ParseLine(line);
                if (signature.KeyName == witness.Verifier.Name && signature.KeyId == witness.Verifier.KeyId && witness.Verifier.Verify(note.Text, signature.Signature))
                {
                    cosignatures.Add(signature);
                }
            }
            if (cosignatures.Count == 0)
            {
                LogWitnessRefused(_logger, witness.Name, 200, "no valid cosignature by its configured key");
                return;
            }
            witness.CosignedSize = checkpoint.TreeSize;
            witness.CosignedRoot = checkpoint.RootHash;
            // Merge into the note as published now (another witness may have added its line meanwhile).
            PublishedCheckpoint current = _log.Latest is { } latest && latest.TreeSize == checkpoint.TreeSize ? latest : checkpoint;
            SignedNote published = SignedNote.Parse(current.Note);
            var kept = published.Signatures.Where(s => !(s.KeyName == witness.Verifier.Name && s.KeyId == witness.Verifier.KeyId));
            await _log.AddCosignaturesAsync(checkpoint, new SignedNote(published.Text, [.. kept, .. cosignatures]).Format(), cancellationToken);
            return;
        }
    }

    private sealed class Witness(string name, NoteVerifier verifier, Uri url)
    {
        public string Name { get; } = name;
        public NoteVerifier Verifier { get; } = verifier;
        public Uri Url { get; } = url;

        /// <summary>The size this witness last cosigned, as far as the registry knows (0 at start: a 409 corrects it).</summary>
        public long CosignedSize { get; set; }
        public byte[]? CosignedRoot { get; set; }
    }

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Witness {Witness} could not be reached: {Problem}")]
    private static partial void LogWitnessUnreachable(ILogger logger, string witness, string problem);

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "Witness {Witness} refused the checkpoint: {Status} {Answer}")]
    private static partial void LogWitnessRefused(ILogger logger, string witness, int status, string answer);

    [LoggerMessage(EventId = 25, Level = LogLevel.Critical, Message = "Witness {Witness} has cosigned {WitnessSize} entries but this log has published only {Size}: the log was rolled back or forked.")]
    private static partial void LogWitnessAhead(ILogger logger, string witness, long witnessSize, long size);
}
