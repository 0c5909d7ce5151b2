using System.CommandLine;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using KpRegistry.Cli.Paper;
using KpRegistry.Client;
using KpRegistry.Domain.Wire;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Domain.Paper;
using KpRegistry.Paper;

namespace KpRegistry.Cli;

/// <summary>
/// One <c>kpreg verify</c> run over one or many files: each is an envelope file, or a photo, scan
/// or PDF of a paper certificate whose QR is read first. Online runs share one anonymous channel;
/// offline runs share one verifier built from the signed lists.
/// </summary>
internal sealed class VerifyRun(KpregContext context, CommonOptions common, ParseResult parse, VerifyRun.Settings settings) : IDisposable
{
    private GrpcChannel? _channel;
    private OfflineVerifier? _offline;

    internal sealed record Settings(string? PresentedAt, bool Import, bool Offline, string? TrustList, string? Revocations, string? Pin);

    /// <summary>What was checked in a file and what came of it: a result, or the error that kept it from being checked.</summary>
    internal sealed record Outcome(string Path, string Form, VerifyCertificateResult? Result, string? Error);

    /// <summary>The form of a plain envelope file, beside <see cref="QrCodec.EnvelopePrefix"/> and <see cref="QrCodec.ReferencePrefix"/> without their colon.</summary>
    public const string EnvelopeForm = "envelope";

    public void CheckOptions()
    {
        if (!settings.Offline && (settings.TrustList is not null || settings.Revocations is not null || settings.Pin is not null))
            throw new CliException("--trust-list, --revocations and --pin are for --offline verification; add --offline");
    }

    /// <summary>Verifies the file <paramref name="path"/>; a file that cannot be read or checked throws, saying why.</summary>
    public async Task<Outcome> CheckAsync(string path, bool qr, CancellationToken ct)
    {
        if (!qr && !QrImageReader.IsImageFileName(path))
        {
            var envelope = VerifyCommand.ParseEnvelope(path, await KpregCli.ReadFileAsync(path, "envelope file", ct).ConfigureAwait(false));
            return new Outcome(path, EnvelopeForm, await VerifyAsync(envelope, ct).ConfigureAwait(false), null);
        }

        var image = await KpregCli.ReadFileAsync(path, "image file", ct).ConfigureAwait(false);
        string text;
        try
        {
            text = QrImageReader.ReadText(path, image);
        }
        catch (QrImageException e)
        {
            throw new CliException(e.Message);
        }
        QrContent content;
        try
        {
            content = QrCodec.Decode(text);
        }
        catch (FormatException e)
        {
            throw new CliException($"{path}: the QR code is not a KP certificate code: {e.Message}");
        }
        switch (content)
        {
            case QrEnvelope kp1:
                var envelope = VerifyCommand.ParseEnvelope($"{path} (its QR)", kp1.EnvelopeBytes);
                return new Outcome(path, "KP1", await VerifyAsync(envelope, ct).ConfigureAwait(false), null);
            case QrReference kp1r:
                return new Outcome(path, "KP1R", await VerifyReferenceAsync(kp1r, ct).ConfigureAwait(false), null);
            default:
                throw new CliException($"{path}: an unknown QR content");
        }
    }

    private async Task<VerifyCertificateResult> VerifyAsync(SignedEnvelope envelope, CancellationToken ct)
    {
        if (settings.Offline)
        {
            var verifier = await OfflineVerifierAsync(ct).ConfigureAwait(false);
            var decision = verifier.Verify(envelope, context.Time.GetUtcNow(), new Domain.Verification.VerificationContext
            {
                PresentedAtParticipant = settings.PresentedAt,
                Purpose = settings.Import ? Domain.Verification.VerificationPurpose.ImportConfirmation : Domain.Verification.VerificationPurpose.Check,
            });
            return VerificationResultMapping.ToWire(decision);
        }

        var request = new VerifyCertificateRequest
        {
            Envelope = envelope,
            PresentedAtParticipant = settings.PresentedAt ?? "",
            Purpose = settings.Import ? VerificationPurpose.Import : VerificationPurpose.Unspecified,
        };
        return await new Verification.VerificationClient(Channel()).VerifyCertificateAsync(request, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A KP1R QR: the registry's recorded envelope, if its payload has the SHA-256 printed, is
    /// verified; no record is NOT_RECORDED and another payload RECORD_MISMATCH (docs/FORMAT.md, section 12).
    /// </summary>
    private async Task<VerifyCertificateResult> VerifyReferenceAsync(QrReference reference, CancellationToken ct)
    {
        if (settings.Offline)
            throw new CliException($"the QR carries a KP1R reference to certificate {reference.CertificateNumber} of {reference.IssuingParticipant}, not the signed certificate: it can only be verified online (drop --offline)");
        var invalid = new VerifyCertificateResult { Valid = false, IssuingParticipant = reference.IssuingParticipant, CertificateNumber = reference.CertificateNumber };
        GetCertificateResponse recorded;
        try
        {
            recorded = await new Certificates.CertificatesClient(Channel())
                .GetCertificateAsync(new GetCertificateRequest { IssuingParticipant = reference.IssuingParticipant, CertificateNumber = reference.CertificateNumber }, cancellationToken: ct)
                .ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            invalid.Reasons.Add(VerificationReason.NotRecorded);
            invalid.Details.Add($"the registry has no certificate {reference.CertificateNumber} of {reference.IssuingParticipant}, which the QR refers to");
            return invalid;
        }
        if (recorded.Envelope is null || !SHA256.HashData(recorded.Envelope.Payload.Span).AsSpan().SequenceEqual(reference.PayloadSha256))
        {
            invalid.Reasons.Add(VerificationReason.RecordMismatch);
            invalid.Details.Add($"the registry's certificate {reference.CertificateNumber} of {reference.IssuingParticipant} is not the one printed: its payload's SHA-256 differs from the QR's {Convert.ToHexString(reference.PayloadSha256)}");
            return invalid;
        }
        return await VerifyAsync(recorded.Envelope, ct).ConfigureAwait(false);
    }

    private GrpcChannel Channel() =>
        // Verification is public: whatever --as or --cert say, the call is anonymous.
        _channel ??= context.Connect(common, parse, anonymous: true);

    private async Task<OfflineVerifier> OfflineVerifierAsync(CancellationToken ct)
    {
        if (_offline is not null)
            return _offline;
        var trustListPath = settings.TrustList ?? throw new CliException("--offline needs --trust-list TL.bin (kpreg trust-list fetch --out TL.bin)");
        var pinned = settings.Pin ?? throw new CliException("--offline needs --pin FIRST_REGISTRY_KEY_ID: the trust list is trusted only when its key chain starts at the pinned key");
        var revocationsPath = settings.Revocations;
        _offline = OfflineVerifier.Create(
            pinned,
            VerifyCommand.ParseEnvelope(trustListPath, await KpregCli.ReadFileAsync(trustListPath, "trust list file", ct).ConfigureAwait(false)),
            revocationsPath is null ? null : VerifyCommand.ParseEnvelope(revocationsPath, await KpregCli.ReadFileAsync(revocationsPath, "revocation list file", ct).ConfigureAwait(false)));
        var now = context.Time.GetUtcNow();
        if (_offline.IsStale(now))
            context.Error.WriteLine($"warning: the lists were due for renewal at {_offline.NextUpdate:yyyy-MM-ddTHH:mm:ssZ}; fetch them again (revocations since then are unknown here)");
        if (revocationsPath is null)
            context.Error.WriteLine("warning: no --revocations: revoked keys and cancelled certificates since the trust list are unknown here");
        return _offline;
    }

    /// <summary>The log's verifier key from the verified trust list (offline only, after a check); null when there is none.</summary>
    internal string? TrustListLogKey => _offline?.Registry.LogVerifierKey;

    public void Dispose() => _channel?.Dispose();
}
