using System.Security.Authentication;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.Cli;

/// <summary>
/// Every line kpreg prints: the human form of each response, its protobuf JSON form (--json),
/// and errors. Nothing here prints key material other than public keys.
/// </summary>
public static class Output
{
    /// <summary>Indented, with default values, so "valid": false and empty fields are visible.</summary>
    public static JsonFormatter JsonFormatter { get; } =
        new(JsonFormatter.Settings.Default.WithIndentation().WithFormatDefaultValues(true));

    /// <summary>Prints <paramref name="message"/> as protobuf JSON or in its human form.</summary>
    public static void Print(TextWriter w, bool json, IMessage message)
    {
        if (json)
        {
            w.WriteLine(JsonFormatter.Format(message));
            return;
        }

        switch (message)
        {
            case ListParticipantsResponse list: Participants(w, list); break;
            case Participant participant: Participant(w, participant); break;
            case ListKeysResponse keys: Keys(w, keys); break;
            case Key key: Key(w, key); break;
            case IssueCertificateResponse issued: Record(w, issued.Record); Envelope(w, issued.Envelope); break;
            case GetCertificateResponse got: Record(w, got.Record); Envelope(w, got.Envelope); History(w, got); break;
            case ConfirmImportResponse confirmed: Confirmed(w, confirmed); break;
            case ListCertificatesResponse listed: Listed(w, listed); break;
            case VerifyCertificateResult result: Verification(w, result); break;
            case SubmitCertificateResponse submitted: Record(w, submitted.Record); break;
            case CertificateRecord record: Record(w, record); break;
            case RotateKeyResponse rotated: Rotated(w, rotated); break;
            case RevokeKeyResponse revoked: Revoked(w, revoked); break;
            default: w.WriteLine(JsonFormatter.Format(message)); break;
        }
    }

    /// <summary>
    /// The error line for a failed call or a user error; for a gRPC error also every
    /// google.rpc.BadRequest field violation the server attached.
    /// </summary>
    public static void Error(TextWriter w, Exception exception)
    {
        switch (exception)
        {
            case RpcException rpc:
                w.WriteLine($"error: {rpc.StatusCode}: {rpc.Status.Detail}");
                var badRequest = TryGetBadRequest(rpc);
                foreach (var violation in badRequest?.FieldViolations ?? [])
                    w.WriteLine($"  {violation.Field}: {violation.Description}");
                if (rpc.StatusCode == StatusCode.Unavailable && HasInner<AuthenticationException>(rpc.Status.DebugException))
                    w.WriteLine("  hint: the TLS handshake failed: the server certificate must be signed by the CA given with --ca and name the host in --server");
                break;
            case CliException or KpRegistry.Client.TrustListException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException:
                w.WriteLine($"error: {exception.Message}");
                break;
            case OperationCanceledException:
                w.WriteLine("error: cancelled");
                break;
            default:
                // No stack trace: the message only, with the type to tell what failed.
                w.WriteLine($"error: {exception.GetType().Name}: {exception.Message}");
                break;
        }
    }

    private static BadRequest? TryGetBadRequest(RpcException rpc)
    {
        try
        {
            return rpc.GetRpcStatus()?.GetDetail<BadRequest>();
        }
        catch (InvalidProtocolBufferException)
        {
            return null; // A malformed details trailer must not hide the status line already printed.
        }
    }

    private static bool HasInner<T>(Exception? exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T)
                return true;
        }

        return false;
    }

    private static void Participants(TextWriter w, ListParticipantsResponse list)
    {
        if (list.Participants.Count == 0)
        {
            w.WriteLine("no participants");
            return;
        }

        w.WriteLine($"{"CODE",-4}  {"STATUS",-17}  {"EMBARGO",-7}  NAME");
        foreach (var p in list.Participants)
            w.WriteLine($"{p.Code,-4}  {Words.Of(p.Status),-17}  {(p.Embargoed ? "yes" : ""),-7}  {p.Name}");
    }

    private static void Participant(TextWriter w, Participant p)
    {
        w.WriteLine($"{p.Code}  {p.Name}");
        w.WriteLine($"  status:        {Words.Of(p.Status)}");
        w.WriteLine($"  embargoed:     {(p.Embargoed ? "yes" : "no")}");
        if (p.Kind == ParticipantKind.TradingEntity)
            w.WriteLine("  kind:          trading entity (trades under the KPCS; not a participant)");
        w.WriteLine($"  max validity:  {(p.MaxValidityDays == 0 ? "none" : $"{p.MaxValidityDays} days")}");
        if (p.MaxValidityMonths != 0)
            w.WriteLine($"                 {p.MaxValidityMonths} calendar months");
        w.WriteLine($"  licenses exporters: {(p.LicensesExporters ? "yes" : "no")}");
        w.WriteLine("  status history:");
        foreach (var period in p.StatusHistory)
        {
            var to = period.EffectiveTo.Length == 0 ? "" : period.EffectiveTo;
            var reason = period.Reason.Length == 0 ? "" : $"  {period.Reason}";
            w.WriteLine($"    {period.EffectiveFrom,-10} .. {to,-10}  {Words.Of(period.Status),-17}{reason}");
        }

        w.WriteLine("  authorities:");
        foreach (var authority in p.Authorities)
            w.WriteLine($"    {authority.Code,-12}  {authority.Name}{(authority.RemovedOn.Length == 0 ? "" : $"  (removed from {authority.RemovedOn})")}");
        if (p.Embargoes.Count > 0)
        {
            w.WriteLine("  embargoes:");
            foreach (var e in p.Embargoes)
            {
                string scope = (e.Destinations.Count > 0 ? $" towards {string.Join(",", e.Destinations)}" : "") + (e.Origins.Count > 0 ? $" origins {string.Join(",", e.Origins)}" : "");
                w.WriteLine($"    {e.Id,-4} {e.EffectiveFrom,-10} .. {e.EffectiveTo,-10}{scope}  {e.Reason}");
            }
        }
        if (p.ApprovedZones.Count > 0)
        {
            w.WriteLine("  approved zones:");
            foreach (var zone in p.ApprovedZones)
                w.WriteLine($"    {zone.Zone}  {zone.EffectiveFrom} .. {zone.EffectiveTo}");
        }
    }

    private static void Keys(TextWriter w, ListKeysResponse list)
    {
        if (list.Keys.Count == 0)
        {
            w.WriteLine("no keys");
            return;
        }

        w.WriteLine($"{"KEY ID",-64}  {"PART",-4}  {"ALGORITHM",-10}  {"STATE",-7}  {"CUSTODY",-7}  NOT BEFORE");
        foreach (var k in list.Keys)
            w.WriteLine($"{k.KeyId,-64}  {k.ParticipantCode,-4}  {Words.Of(k.Algorithm),-10}  {Words.Of(k.State),-7}  {Words.Of(k.Custody),-7}  {k.NotBefore}");
    }

    private static void Key(TextWriter w, Key k)
    {
        w.WriteLine($"key {k.KeyId}");
        w.WriteLine($"  participant:   {k.ParticipantCode}");
        w.WriteLine($"  authority:     {(k.AuthorityCode.Length == 0 ? "(any of the participant)" : k.AuthorityCode)}");
        w.WriteLine($"  algorithm:     {Words.Of(k.Algorithm)}");
        w.WriteLine($"  custody:       {Words.Of(k.Custody)}");
        w.WriteLine($"  state:         {Words.Of(k.State)}");
        w.WriteLine($"  not before:    {k.NotBefore}");
        w.WriteLine($"  not after:     {(k.NotAfter.Length == 0 ? "(no end)" : k.NotAfter)}");
        if (k.RetiredAt.Length > 0)
            w.WriteLine($"  retired at:    {k.RetiredAt}");
        if (k.CompromisedSince.Length > 0)
            w.WriteLine($"  compromised since: {k.CompromisedSince}");
        w.WriteLine("  (kpreg keys show KEYID --pem prints the public key for OpenSSL)");
    }

    private static void Rotated(TextWriter w, RotateKeyResponse r)
    {
        w.WriteLine("new ACTIVE key:");
        if (r.NewKey is not null)
            Key(w, r.NewKey);
        w.WriteLine("retired key:");
        if (r.RetiredKey is not null)
            Key(w, r.RetiredKey);
    }

    private static void Revoked(TextWriter w, RevokeKeyResponse r)
    {
        if (r.Key is not null)
            Key(w, r.Key);
        if (r.AffectedCertificates.Count == 0)
        {
            w.WriteLine("affected certificates: none (no certificate by this key was recorded since the compromise)");
            return;
        }

        w.WriteLine($"affected certificates ({r.AffectedCertificates.Count}), now invalid: re-examine them");
        foreach (var certificate in r.AffectedCertificates)
            w.WriteLine($"  {certificate}");
    }

    /// <summary>The SubjectPublicKeyInfo PEM of a key, from the server's PEM or else from the DER.</summary>
    public static string PublicKeyPem(Key k) =>
        k.SpkiPem.Length > 0 ? k.SpkiPem.TrimEnd() : new string(System.Security.Cryptography.PemEncoding.Write("PUBLIC KEY", k.Spki.Span));

    private static void History(TextWriter w, GetCertificateResponse got)
    {
        if (got.ImportConfirmation is { } confirmation)
            w.WriteLine($"  import confirmation: signed by {string.Join(", ", confirmation.Signatures.Select(s => s.KeyId))}");
        foreach (CertificateEvent e in got.History)
            w.WriteLine($"  {e.At} {Words.Of(e.State)}{(e.ReplacedBy.Length > 0 ? " by " + e.ReplacedBy : "")}: {e.Reason} ({e.Actor})");
    }

    private static void Confirmed(TextWriter w, ConfirmImportResponse confirmed)
    {
        Record(w, confirmed.Record);
        foreach (string difference in confirmed.Differences)
            w.WriteLine($"  difference:    {difference}");
        if (confirmed.Confirmation is { } envelope)
            w.WriteLine($"  confirmation signed by {string.Join(", ", envelope.Signatures.Select(s => s.KeyId))}");
    }

    private static void Listed(TextWriter w, ListCertificatesResponse listed)
    {
        foreach (CertificateRecord r in listed.Certificates)
            w.WriteLine($"{r.IssuingParticipant}/{r.CertificateNumber}  to {r.DestinationParticipant}  issued {r.DateOfIssue}  expires {r.DateOfExpiry}  {Words.Of(r.State)}");
        w.WriteLine(listed.Certificates.Count == 1 ? "1 certificate" : $"{listed.Certificates.Count} certificates");
        if (listed.NextPageToken.Length > 0)
            w.WriteLine($"more: --page-token {listed.NextPageToken}");
    }

    private static void Record(TextWriter w, CertificateRecord? r)
    {
        if (r is null)
        {
            w.WriteLine("no record in the response");
            return;
        }

        w.WriteLine($"certificate {r.CertificateNumber}");
        w.WriteLine($"  issuer:        {r.IssuingParticipant} (authority {r.IssuingAuthority})");
        w.WriteLine($"  destination:   {r.DestinationParticipant}");
        w.WriteLine($"  state:         {Words.Of(r.State)}");
        if (r.ReplacesCertificateNumber.Length > 0)
            w.WriteLine($"  replaces:      {r.ReplacesCertificateNumber}");
        w.WriteLine($"  issued:        {r.DateOfIssue}");
        w.WriteLine($"  expires:       {r.DateOfExpiry}");
        w.WriteLine($"  recorded at:   {r.RecordedAt}");
        w.WriteLine($"  key:           {r.KeyId}");
        w.WriteLine($"  payload sha256: {Convert.ToHexStringLower(r.PayloadSha256.Span)}");
    }

    private static void Envelope(TextWriter w, Contracts.Common.V1.SignedEnvelope? e)
    {
        if (e is null)
            return;
        w.WriteLine($"  envelope:      {e.PayloadType}, {e.Payload.Length}-byte payload, {e.Signatures.Count} signature(s)");
    }

    private static void Verification(TextWriter w, VerifyCertificateResult r)
    {
        w.WriteLine(r.Valid ? "VALID" : "INVALID");
        foreach (var reason in r.Reasons)
            w.WriteLine($"  reason: {Words.Of(reason)}");
        foreach (var detail in r.Details)
            w.WriteLine($"  detail: {detail}");
        foreach (var violation in r.Violations)
            w.WriteLine($"  violation: {violation}");
        if (r.CertificateNumber.Length > 0)
            w.WriteLine($"  certificate:   {r.CertificateNumber}");
        if (r.IssuingParticipant.Length > 0)
            w.WriteLine($"  issuer:        {r.IssuingParticipant}{(r.IssuingAuthority.Length > 0 ? $" (authority {r.IssuingAuthority})" : "")}");
        if (r.DateOfIssue.Length > 0)
            w.WriteLine($"  issued:        {r.DateOfIssue}, expires {r.DateOfExpiry}");
        if (r.KeyId.Length > 0)
            w.WriteLine($"  key:           {r.KeyId} ({Words.Of(r.KeyState)})");
        if (r.RecordedAt.Length > 0)
            w.WriteLine($"  recorded at:   {r.RecordedAt} ({Words.Of(r.CertificateState)})");
    }
}
