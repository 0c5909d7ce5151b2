using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Verification;
using KpRegistry.Server.Security;
using KpRegistry.Storage;
using CertificateRecord = KpRegistry.Storage.CertificateRecord;
using CertificateState = KpRegistry.Domain.Registry.CertificateState;

namespace KpRegistry.Server.Application;

/// <summary>A certificate as the registry recorded it: the envelope and the record.</summary>
public sealed record IssuedCertificate(SignedEnvelope Envelope, CertificateRecord Record);

/// <summary>
/// Issuing: the content is checked against every KPCS rule first, then signed once with the
/// issuer's ACTIVE managed key, then the whole verification decision runs over the signed
/// envelope exactly as a verifier will, and only a certificate that passes is recorded. A refusal
/// at any step records nothing.
/// </summary>
public sealed class IssuanceService(RegistryStore store, CertificateRecorder recorder, RegistryViewCache cache, ManagedSigner signer, RevocationFeed revocations, CertificateRulesOptions rules, TimeProvider time)
{
    public async Task<IssuedCertificate> IssueAsync(Caller caller, Certificate certificate, KeyAlgorithm? algorithm, CancellationToken cancellationToken)
    {
        RequireOriginal(certificate);
        (SignedEnvelope envelope, VerifiedCertificate verified) = await SignCheckedAsync(certificate, algorithm, cancellationToken);
        CertificateRecord recorded = await RecordAsync(caller, certificate, envelope, verified, "certificate.issue");
        return new IssuedCertificate(envelope, recorded);
    }

    /// <summary>
    /// Replaces a certificate: the new one is checked and signed exactly as at issue; then, in one
    /// transaction, it is recorded and the old one becomes REPLACED and goes on the revocation list.
    /// </summary>
    public async Task<IssuedCertificate> ReplaceAsync(Caller caller, Certificate certificate, KeyAlgorithm? algorithm, string reason, CancellationToken cancellationToken)
    {
        string issuer = certificate.IssuingParticipant;
        string old = certificate.ReplacesCertificateNumber;
        if (old.Length == 0)
        {
            throw RegistryException.Invalid("certificate.replaces_certificate_number", "is required: the number of the certificate replaced.");
        }
        CertificateRecordInfo replaced = cache.Current.FindCertificate(issuer, old)
            ?? throw RegistryException.NotFound($"{issuer} has recorded no certificate numbered {RegistryException.Echo(old)}.");
        if (replaced.State is not (CertificateState.Issued or CertificateState.Detained))
        {
            throw RegistryException.Precondition($"Certificate {old} of {issuer} is {replaced.State.ToString().ToUpperInvariant()}; only an ISSUED or DETAINED certificate is replaced.");
        }
        (SignedEnvelope envelope, VerifiedCertificate verified) = await SignCheckedAsync(certificate, algorithm, cancellationToken);
        CertificateRecord recorded;
        try
        {
            // Not cancellable: once committed, both records must reach the view and the watchers.
            recorded = await store.ReplaceCertificateAsync(ToNew(certificate, envelope, verified), reason,
                new AuditEntry(caller.AuditName, "certificate.replace", $"{issuer}/{old}", $"replaced by {certificate.CertificateNumber}, signed by {verified.KeyId}: {reason}"),
                CancellationToken.None);
        }
        catch (DuplicateCertificateException)
        {
            throw AlreadyRecorded(certificate);
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Precondition(e.Message);
        }
        cache.Recorded(recorded.ToRecordInfo());
        if (await store.GetCertificateAsync(issuer, old, CancellationToken.None) is { } oldRecord)
        {
            cache.Recorded(oldRecord.ToRecordInfo());
        }
        revocations.Publish();
        return new IssuedCertificate(envelope, recorded);
    }

    /// <summary>IssueCertificate and SubmitCertificate record originals; a replacement goes through ReplaceCertificate, which also retires the old one.</summary>
    private static void RequireOriginal(Certificate certificate)
    {
        if (certificate.ReplacesCertificateNumber.Length > 0)
        {
            throw RegistryException.Invalid("certificate.replaces_certificate_number",
                "is set: a replacement is issued with ReplaceCertificate, which also marks the old certificate REPLACED.");
        }
    }

    /// <summary>Every KPCS rule first, then one signature with the issuer's ACTIVE managed key, then the whole verification decision over the signed envelope.</summary>
    private async Task<(SignedEnvelope Envelope, VerifiedCertificate Verified)> SignCheckedAsync(Certificate certificate, KeyAlgorithm? algorithm, CancellationToken cancellationToken)
    {
        RegistrySnapshot view = cache.Current;
        DateTimeOffset now = time.GetUtcNow();

        IReadOnlyList<RuleViolation> violations = CertificateRules.Validate(certificate, view, now, rules);
        if (violations.Count > 0)
        {
            throw BreaksRules(violations);
        }

        if (view.FindCertificate(certificate.IssuingParticipant, certificate.CertificateNumber) is not null)
        {
            throw AlreadyRecorded(certificate);
        }
        KeyInfo keyInfo = ChooseKey(view, certificate, algorithm);
        byte[] payload = certificate.ToByteArray();
        SignedEnvelope envelope = await signer.SignEnvelopeAsync(keyInfo.KeyId, PayloadTypes.Certificate, payload, cancellationToken);

        VerificationResult check = CertificateVerifier.Verify(envelope, view, now, new VerificationContext { Purpose = VerificationPurpose.Issue, RulesOptions = rules });
        if (check.Verified is not { } verified)
        {
            throw RegistryException.Precondition(
                $"The registry will not record this certificate: {string.Join("; ", check.Details)}");
        }
        return (envelope, verified);
    }

    private static NewCertificate ToNew(Certificate certificate, SignedEnvelope envelope, VerifiedCertificate check) => new(
        certificate.IssuingParticipant, certificate.CertificateNumber, certificate.IssuingAuthority, check.KeyId,
        envelope.ToByteArray(), check.PayloadSha256,
        check.DateOfIssue, check.DateOfExpiry,
        certificate.DestinationParticipant, checked((long)certificate.TotalCaratsHundredths), checked((long)certificate.TotalValueUsdCents),
        certificate.ReplacesCertificateNumber.Length > 0 ? certificate.ReplacesCertificateNumber : null,
        StatisticsService.TradeDetail(certificate));

    private async Task<CertificateRecord> RecordAsync(Caller caller, Certificate certificate, SignedEnvelope envelope, VerifiedCertificate check, string action)
    {
        NewCertificate record = ToNew(certificate, envelope, check);
        CertificateRecord recorded;
        try
        {
            // Not cancellable once queued: a certificate the recorder commits must also reach the
            // in-memory view, or it would verify as NOT_RECORDED until the next start.
            recorded = await recorder.RecordAsync(record,
                new AuditEntry(caller.AuditName, action, $"{certificate.IssuingParticipant}/{certificate.CertificateNumber}", $"signed by {check.KeyId}"),
                CancellationToken.None);
        }
        catch (DuplicateCertificateException)
        {
            // Two records of the same number raced past the view; the database kept the first.
            throw AlreadyRecorded(certificate);
        }
        cache.Recorded(recorded.ToRecordInfo());
        return recorded;
    }

    /// <summary>
    /// Records a certificate its issuer signed with a held key: the whole verification decision runs
    /// over the envelope as received (as at issue: no record is expected), and only a certificate
    /// with no reason against it is recorded, exactly as received.
    /// </summary>
    public async Task<CertificateRecord> SubmitAsync(Caller caller, SignedEnvelope envelope, CancellationToken cancellationToken)
    {
        RegistrySnapshot view = cache.Current;
        DateTimeOffset now = time.GetUtcNow();
        VerificationResult check = CertificateVerifier.Verify(envelope, view, now, new VerificationContext { Purpose = VerificationPurpose.Issue, RulesOptions = rules });
        if (check.Certificate is not { } certificate)
        {
            // Not a signed certificate by a registered key: nothing in it can be trusted, not even its issuer.
            throw RegistryException.Invalid("envelope", string.Join("; ", check.Details) + ".");
        }
        if (caller.Role != Roles.Authority || caller.ParticipantCode != certificate.IssuingParticipant)
        {
            throw RegistryException.Denied($"SubmitCertificate: only an authority of {certificate.IssuingParticipant} submits its certificates; the caller is {caller.Subject}.");
        }
        if (!caller.MayActAsAuthority(certificate.IssuingAuthority))
        {
            throw RegistryException.Denied(
                $"SubmitCertificate: the caller is authority {caller.AuthorityCode} of {certificate.IssuingParticipant} and submits only its own certificates, not those of {RegistryException.Echo(certificate.IssuingAuthority)}.");
        }
        RequireOriginal(certificate);
        if (view.FindCertificate(certificate.IssuingParticipant, certificate.CertificateNumber) is not null)
        {
            throw AlreadyRecorded(certificate);
        }
        if (check.Reasons.Contains(VerificationReason.ContentInvalid))
        {
            throw BreaksRules(check.RuleViolations);
        }
        if (check.Verified is not { } verified)
        {
            throw RegistryException.Precondition($"The registry will not record this certificate: {string.Join("; ", check.Details)}");
        }
        return await RecordAsync(caller, certificate, envelope, verified, "certificate.submit");
    }

    /// <summary>Cancels a recorded certificate: it goes on the revocation list and verifies as CERTIFICATE_CANCELLED from now on.</summary>
    public async Task<CertificateRecord> CancelAsync(Caller caller, string issuer, string number, string reason)
    {
        CertificateRecordInfo recorded = cache.Current.FindCertificate(issuer, number)
            ?? throw RegistryException.NotFound($"{issuer} has recorded no certificate numbered {number}.");
        if (recorded.State is CertificateState.Cancelled or CertificateState.Replaced or CertificateState.Refused)
        {
            throw RegistryException.Precondition($"Certificate {number} of {issuer} is already {recorded.State.ToString().ToUpperInvariant()}.");
        }
        CertificateRecord cancelled;
        try
        {
            // Not cancellable: once committed, the cancellation must reach the view and the watchers.
            cancelled = await store.AppendCertificateEventAsync(issuer, number, new NewCertificateEvent(CertificateEventKind.Cancelled, reason),
                new AuditEntry(caller.AuditName, "certificate.cancel", $"{issuer}/{number}", reason), CancellationToken.None);
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Precondition(e.Message);
        }
        cache.Recorded(cancelled.ToRecordInfo());
        revocations.Publish();
        return cancelled;
    }

    public async Task<IssuedCertificate> GetAsync(string issuer, string number, CancellationToken cancellationToken)
    {
        CertificateRecord record = await store.GetCertificateAsync(issuer, number, cancellationToken)
            ?? throw RegistryException.NotFound($"{issuer} has recorded no certificate numbered {number}.");
        return new IssuedCertificate(SignedEnvelope.Parser.ParseFrom(record.Envelope), record);
    }

    /// <summary>INVALID_ARGUMENT naming every broken KPCS rule, each also as a field violation.</summary>
    private static RegistryException BreaksRules(IReadOnlyList<RuleViolation> violations) => RegistryException.Invalid(
        $"The certificate breaks {violations.Count} KPCS rule(s): " + string.Join("; ", violations.Select(v => $"{v.Rule}: {v.Message}")),
        [.. violations.Select(v => new FieldViolation(v.Field, $"{v.Rule}: {v.Message}"))]);

    private static RegistryException AlreadyRecorded(Certificate certificate) => RegistryException.Exists(
        $"{certificate.IssuingParticipant} already recorded certificate {certificate.CertificateNumber}; a certificate number is never reused.");

    private static KeyInfo ChooseKey(RegistrySnapshot view, Certificate certificate, KeyAlgorithm? algorithm) =>
        view.ActiveManagedKey(certificate.IssuingParticipant, certificate.IssuingAuthority, algorithm) ?? throw RegistryException.Precondition(
            $"{certificate.IssuingParticipant} has no ACTIVE managed {(algorithm is null ? "" : algorithm + " ")}key for authority {certificate.IssuingAuthority}; create one with CreateKey.");
}
