using System.Buffers;
using System.Security.Cryptography;
using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;

namespace KpRegistry.Domain.Verification;

/// <summary>
/// The one verification decision for a signed certificate, used by the server, the offline
/// verifier and the CLI alike (DESIGN.md, "Verification: one decision, everywhere"). Pure: no
/// I/O, no clock (the time is a parameter), thread-safe.
/// </summary>
/// <remarks>
/// <para>Order. (1) The envelope's shape: no signature, an empty or oversized payload, too many
/// signatures or a payload type other than the certificate's stop the check
/// (<see cref="VerificationReason.Malformed"/>, <see cref="VerificationReason.UnsupportedPayloadType"/>).
/// (2) The signature: only signatures naming a registered key count; each is checked over
/// PAE(payload_type, payload) with the verifier of the REGISTERED key, so the algorithm never
/// comes from the envelope. None registered: <see cref="VerificationReason.UnknownKey"/>; none
/// verifies: <see cref="VerificationReason.BadSignature"/>; both stop the check, and the payload
/// is not parsed. (3) Only then the payload is parsed; every other reason that applies is
/// gathered, never only the first.</para>
/// <para>Time. Key states are judged at the time the registry recorded this very payload (the
/// registry's record is the authority, never a date inside the certificate). When there is no
/// such record, the certificate is treated as presented new at <c>now</c>, with one exception:
/// a verifier whose view holds no records (offline) cannot know when a certificate was recorded,
/// so a RETIRED key (retired, not compromised) is judged against the date of issue, while a
/// REVOKED key is judged at <c>now</c>, which refuses every signature from the compromise on.</para>
/// <para>Statuses at presentation. A certificate is refused when its issuer is REMOVED,
/// SUSPENDED or SELF_SUSPENDED at the time of the check, or no longer has any status (a
/// suspended participant may neither issue nor receive, so certificates in flight are refused
/// too; DOMAIN.md says a removed participant's certificates are refused). ACTIVE_RESTRICTED at
/// presentation is accepted: the restriction is judged on the date of issue (origin zone).</para>
/// </remarks>
public static class CertificateVerifier
{
    /// <summary>The largest payload examined; larger ones are <see cref="VerificationReason.Malformed"/>. A certificate of 100 lines and 1000 seals is far below it.</summary>
    public const int MaxPayloadBytes = 1 << 20;

    /// <summary>The most signatures an envelope may carry; more are <see cref="VerificationReason.Malformed"/>, so one envelope cannot ask for unbounded signature checks.</summary>
    public const int MaxSignatures = 8;

    /// <summary>How far a calendar may run behind UTC (UTC-12), for judging a date of issue against a key's validity window.</summary>
    private static readonly TimeSpan CalendarLag = TimeSpan.FromHours(12);

    private const int StackPaeLimit = 4096;

    /// <summary>
    /// Decides whether <paramref name="envelope"/> carries a valid certificate, with every reason
    /// that applies and the facts behind it. Never throws for any envelope content.
    /// </summary>
    /// <param name="envelope">The signed certificate as received.</param>
    /// <param name="view">The registry: participants, keys and (online) certificate records.</param>
    /// <param name="now">The time of the check.</param>
    /// <param name="context">What the check is for, where it is presented, and the content-rule options.</param>
    public static VerificationResult Verify(SignedEnvelope envelope, IRegistryView view, DateTimeOffset now, VerificationContext context)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(context);

        var findings = new Findings();

        // (1) Shape. Nothing here reads the payload.
        ByteString payload = envelope.Payload;
        int signatureCount = envelope.Signatures.Count;
        if (signatureCount == 0)
        {
            findings.Add(VerificationReason.Malformed, "the envelope carries no signature");
        }
        else if (signatureCount > MaxSignatures)
        {
            findings.Add(VerificationReason.Malformed, $"the envelope carries {signatureCount} signatures; at most {MaxSignatures} are examined");
        }
        if (payload.IsEmpty)
        {
            findings.Add(VerificationReason.Malformed, "the envelope's payload is empty");
        }
        else if (payload.Length > MaxPayloadBytes)
        {
            findings.Add(VerificationReason.Malformed, $"the payload has {payload.Length} bytes; at most {MaxPayloadBytes}");
        }
        if (!string.Equals(envelope.PayloadType, PayloadTypes.Certificate, StringComparison.Ordinal))
        {
            findings.Add(VerificationReason.UnsupportedPayloadType,
                $"payload_type {Text.Quote(envelope.PayloadType)} is not {PayloadTypes.Certificate}");
        }
        if (findings.Any)
        {
            string? namedKey = signatureCount > 0 ? envelope.Signatures[0].KeyId : null;
            return findings.Refusal(now, context, keyId: KeyIds.IsWellFormed(namedKey) ? namedKey : null);
        }

        // (2) Signature, then (3) parse: one PAE buffer, returned to the pool on every path.
        int paeLength = Pae.GetLength(envelope.PayloadType, payload.Length);
        byte[]? rented = null;
        Span<byte> pae = paeLength <= StackPaeLimit
            ? stackalloc byte[StackPaeLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(paeLength));
        pae = pae[..paeLength];
        KeyInfo? signer;
        Certificate? certificate;
        try
        {
            Pae.Encode(envelope.PayloadType, payload.Span, pae);
            int next = 0;
            KeyInfo? firstRegistered = null;
            signer = NextVerifiedKey(envelope, view, pae, ref next, ref firstRegistered);
            if (signer is null)
            {
                return SignatureFailure(envelope, firstRegistered, findings, now, context);
            }

            try
            {
                certificate = Certificate.Parser.ParseFrom(payload.Span);
            }
            catch (InvalidProtocolBufferException e)
            {
                findings.Add(VerificationReason.Malformed,
                    $"the payload, signed by key {signer.KeyId}, is not a kp.certificate.v1.Certificate: {e.Message}");
                return findings.Refusal(now, context, signer.KeyId, signer);
            }

            // Several verified signatures: prefer one by a key of the certificate's issuer.
            if (!KeyMatchesIssuer(signer, certificate))
            {
                while (NextVerifiedKey(envelope, view, pae, ref next, ref firstRegistered) is { } other)
                {
                    if (KeyMatchesIssuer(other, certificate))
                    {
                        signer = other;
                        break;
                    }
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return Decide(certificate, payload.Span, signer, view, now, context, findings);
    }

    /// <summary>The next key, from signature <paramref name="next"/> on, that is registered and whose signature verifies; null when none.</summary>
    private static KeyInfo? NextVerifiedKey(SignedEnvelope envelope, IRegistryView view, ReadOnlySpan<byte> pae, ref int next, ref KeyInfo? firstRegistered)
    {
        var signatures = envelope.Signatures;
        while (next < signatures.Count)
        {
            Signature signature = signatures[next++];
            if (!KeyIds.IsWellFormed(signature.KeyId) || view.FindKey(signature.KeyId) is not { } key)
            {
                continue;
            }
            firstRegistered ??= key;
            // The algorithm is the registered key's; a verifier made for another algorithm is a
            // registry inconsistency, and nothing it says is trusted.
            if (key.Verifier.Algorithm == key.Algorithm
                && string.Equals(key.KeyId, signature.KeyId, StringComparison.Ordinal)
                && key.Verifier.Verify(pae, signature.Sig.Span))
            {
                return key;
            }
        }
        return null;
    }

    private static VerificationResult SignatureFailure(
        SignedEnvelope envelope, KeyInfo? firstRegistered, Findings findings, DateTimeOffset now, VerificationContext context)
    {
        if (firstRegistered is null)
        {
            string first = envelope.Signatures[0].KeyId;
            findings.Add(VerificationReason.UnknownKey, envelope.Signatures.Count == 1
                ? $"the signature names key {Text.Quote(first)}, which is not registered"
                : $"none of the {envelope.Signatures.Count} signatures names a registered key (the first names {Text.Quote(first)})");
            return findings.Refusal(now, context, KeyIds.IsWellFormed(first) ? first : null);
        }
        findings.Add(VerificationReason.BadSignature,
            $"the signature by key {firstRegistered.KeyId} ({firstRegistered.ParticipantCode}, {firstRegistered.Algorithm}) does not verify over the payload and its type; the payload was not read");
        return findings.Refusal(now, context, firstRegistered.KeyId, firstRegistered);
    }

    private static bool KeyMatchesIssuer(KeyInfo key, Certificate certificate) =>
        string.Equals(key.ParticipantCode, certificate.IssuingParticipant, StringComparison.Ordinal)
        && (key.AuthorityCode is null || string.Equals(key.AuthorityCode, certificate.IssuingAuthority, StringComparison.Ordinal));

    /// <summary>Every reason that applies to an authenticated, parsed certificate.</summary>
    private static VerificationResult Decide(
        Certificate c, ReadOnlySpan<byte> payload, KeyInfo key, IRegistryView view, DateTimeOffset now, VerificationContext context, Findings findings)
    {
        VerificationPurpose purpose = context.Purpose;
        CertificateRulesOptions options = context.RulesOptions ?? CertificateRulesOptions.Default;
        DateOnly today = CertificateDates.UtcDate(now);
        bool issueParsed = CertificateDates.TryParse(c.DateOfIssue, out DateOnly dateOfIssue);
        bool expiryParsed = CertificateDates.TryParse(c.DateOfExpiry, out DateOnly dateOfExpiry);
        string issuerCode = c.IssuingParticipant;
        bool issuerWellFormed = Codes.IsAlpha2(issuerCode);
        ParticipantInfo? issuer = issuerWellFormed ? view.FindParticipant(issuerCode) : null;

        byte[] payloadSha256 = SHA256.HashData(payload);
        string number = c.CertificateNumber;
        CertificateRecordInfo? record = issuerWellFormed && number.Length is > 0 and <= CertificateRules.MaxNumberLength
            ? view.FindCertificate(issuerCode, number)
            : null;
        // A record of a DIFFERENT payload under this number says nothing of when THIS payload was
        // recorded: trusting its time would let a reused number borrow an earlier, pre-compromise time.
        CertificateRecordInfo? own = record is not null && CryptographicOperations.FixedTimeEquals(record.PayloadSha256, payloadSha256) ? record : null;
        DateTimeOffset recordedAt = own?.RecordedAt ?? now;
        bool recordedAtUnknown = own is null && !view.HoldsCertificateRecords && purpose != VerificationPurpose.Issue;
        // Detail text is built only when a reason needs it: the valid path formats nothing.
        string RecordedPhrase() => own is not null
            ? $"the registry recorded this certificate at {Text.Instant(own.RecordedAt)}"
            : purpose == VerificationPurpose.Issue
                ? $"it is being recorded now, at {Text.Instant(now)}"
                : recordedAtUnknown
                    ? $"no record says when the registry recorded it, so it is judged as signed at the time of the check, {Text.Instant(now)}"
                    : $"it is presented as new at {Text.Instant(now)}";

        // Key against issuer.
        if (!string.Equals(key.ParticipantCode, issuerCode, StringComparison.Ordinal))
        {
            findings.Add(VerificationReason.WrongIssuerForKey,
                $"key {key.KeyId} is registered for {key.ParticipantCode}, but the certificate names issuer {Text.Quote(issuerCode)}");
        }
        else if (key.AuthorityCode is not null && !string.Equals(key.AuthorityCode, c.IssuingAuthority, StringComparison.Ordinal))
        {
            findings.Add(VerificationReason.WrongIssuerForKey,
                $"key {key.KeyId} is registered for authority {key.AuthorityCode} of {key.ParticipantCode}, but the certificate names authority {Text.Quote(c.IssuingAuthority)}");
        }

        // Key validity window: the day of issue (in any calendar, UTC+14 to UTC-12) must overlap
        // it, and the registry's recording time must lie in it.
        string Window() => $"key {key.KeyId} may sign from {Text.Instant(key.NotBefore)}"
            + (key.NotAfter is { } end ? $" until {Text.Instant(end)}" : " with no end");
        if (issueParsed)
        {
            DateTimeOffset dayStart = new DateTimeOffset(dateOfIssue.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            DateTimeOffset earliest = dayStart - options.IssuerCalendarLead;
            DateTimeOffset latest = dayStart.AddDays(1) + CalendarLag;
            if (key.NotBefore >= latest || (key.NotAfter is { } notAfter && notAfter < earliest))
            {
                findings.Add(VerificationReason.KeyNotValidAtIssue, $"{Window()}; the certificate is dated {Text.Date(dateOfIssue)}");
            }
        }
        if (!recordedAtUnknown && (recordedAt < key.NotBefore || (key.NotAfter is { } last && recordedAt > last)))
        {
            findings.Add(VerificationReason.KeyNotValidAtIssue, $"{Window()}; {RecordedPhrase()}");
        }

        // Key state, at the registry's recording time.
        if (key.State == KeyState.Retired)
        {
            DateTimeOffset retiredAt = key.RetiredAt ?? DateTimeOffset.MinValue;
            string Retired() => key.RetiredAt is { } r ? $"key {key.KeyId} was retired at {Text.Instant(r)}" : $"key {key.KeyId} is retired, at an unrecorded time";
            if (recordedAtUnknown)
            {
                // Offline: retirement is not compromise, so the signed date of issue is trusted like
                // the key itself; refused when the day of issue began, in every calendar, after retirement.
                if (!issueParsed)
                {
                    findings.Add(VerificationReason.KeyRetired, $"{Retired()}; the certificate has no readable date of issue to show it was signed before");
                }
                else if (new DateTimeOffset(dateOfIssue.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - options.IssuerCalendarLead >= retiredAt)
                {
                    findings.Add(VerificationReason.KeyRetired, $"{Retired()}; the certificate is dated {Text.Date(dateOfIssue)}, after the retirement");
                }
            }
            else if (retiredAt <= recordedAt)
            {
                findings.Add(VerificationReason.KeyRetired, $"{Retired()}; {RecordedPhrase()}");
            }
        }
        else if (key.State == KeyState.Revoked)
        {
            DateTimeOffset compromisedSince = key.CompromisedSince ?? DateTimeOffset.MinValue;
            if (compromisedSince <= recordedAt)
            {
                string since = key.CompromisedSince is { } s ? $"with compromise from {Text.Instant(s)}" : "with compromise from an unrecorded time (every signature)";
                string why = string.IsNullOrEmpty(key.RevocationReason) ? "" : $" ({key.RevocationReason})";
                findings.Add(VerificationReason.KeyRevoked, $"key {key.KeyId} was revoked {since}{why}; {RecordedPhrase()}");
            }
        }

        // Issuer.
        if (issuer is null)
        {
            findings.Add(VerificationReason.IssuerNotParticipant, issuerWellFormed && Codes.IsEuMemberState(issuerCode)
                ? $"{issuerCode} is an EU member state, not a KP participant; its authorities issue as authorities of EU"
                : $"{Text.Quote(issuerCode)} is not a KP participant");
        }
        else
        {
            if (issueParsed)
            {
                ParticipantStatus? atIssue = issuer.StatusOn(dateOfIssue);
                if (atIssue is not (ParticipantStatus.Active or ParticipantStatus.ActiveRestricted))
                {
                    findings.Add(VerificationReason.IssuerNotAllowedAtIssue, atIssue is { } st
                        ? $"{issuer.Code} was {StatusName(st)} on {Text.Date(dateOfIssue)}, the date of issue{ReasonSuffix(issuer, dateOfIssue)}"
                        : $"{issuer.Code} had no participant status on {Text.Date(dateOfIssue)}, the date of issue (not yet admitted, or gone)");
                }
            }
            ParticipantStatus? current = issuer.StatusOn(today);
            if (current is not (ParticipantStatus.Active or ParticipantStatus.ActiveRestricted))
            {
                findings.Add(VerificationReason.IssuerNotAllowedNow, current is { } st
                    ? $"{issuer.Code} is {StatusName(st)} on {Text.Date(today)}, the date of the check{ReasonSuffix(issuer, today)}: its certificates are refused"
                    : $"{issuer.Code} has no participant status on {Text.Date(today)}, the date of the check: its certificates are refused");
            }
            if (issuer.Embargoed)
            {
                findings.Add(VerificationReason.IssuerEmbargoed, $"{issuer.Code} is under an embargo: trade in its rough diamonds is banned");
            }
        }

        // Destination.
        string destinationCode = c.DestinationParticipant;
        if (Codes.IsAlpha2(destinationCode) && view.FindParticipant(destinationCode) is { } destination)
        {
            if (issueParsed && destination.StatusOn(dateOfIssue) is var atIssue && atIssue is not (ParticipantStatus.Active or ParticipantStatus.ActiveRestricted))
            {
                findings.Add(VerificationReason.DestinationNotAllowed, atIssue is { } st
                    ? $"the destination {destination.Code} was {StatusName(st)} on {Text.Date(dateOfIssue)}, the date of issue, and could not receive"
                    : $"the destination {destination.Code} had no participant status on {Text.Date(dateOfIssue)}, the date of issue");
            }
            ParticipantStatus? current = destination.StatusOn(today);
            if (current is not (ParticipantStatus.Active or ParticipantStatus.ActiveRestricted))
            {
                findings.Add(VerificationReason.DestinationNotAllowed, current is { } st
                    ? $"the destination {destination.Code} is {StatusName(st)} on {Text.Date(today)} and may not receive"
                    : $"the destination {destination.Code} has no participant status on {Text.Date(today)} and may not receive");
            }
        }
        if (context.PresentedAtParticipant is { Length: > 0 } presentedAt && !string.Equals(presentedAt, destinationCode, StringComparison.Ordinal))
        {
            findings.Add(VerificationReason.WrongDestination,
                $"the certificate is destined for {Text.Quote(destinationCode)} but presented at {Text.Quote(presentedAt)}");
        }

        // Content, with "not in the future" judged at the recording time.
        IReadOnlyList<RuleViolation> violations = CertificateRules.ValidateWithIssuer(c, issuer, view, recordedAt, options);
        if (violations.Count > 0)
        {
            findings.Add(VerificationReason.ContentInvalid, ContentSummary(violations));
        }

        // The registry's record.
        if (record is null)
        {
            if (view.HoldsCertificateRecords && purpose != VerificationPurpose.Issue)
            {
                findings.Add(VerificationReason.NotRecorded, $"the registry holds no record of certificate {Text.Quote(number)} of {Text.Quote(issuerCode)}");
            }
        }
        else if (own is null)
        {
            findings.Add(VerificationReason.RecordMismatch,
                $"the registry recorded a different payload as certificate {number} of {issuerCode} at {Text.Instant(record.RecordedAt)} (key {record.KeyId}): the number is reused or the content was changed after signing");
        }
        else
        {
            string stateReason = string.IsNullOrEmpty(own.StateReason) ? "" : $" ({own.StateReason})";
            switch (own.State)
            {
                case Registry.CertificateState.Cancelled:
                    findings.Add(VerificationReason.CertificateCancelled, $"the issuer cancelled certificate {number}{stateReason}");
                    break;
                case Registry.CertificateState.Replaced:
                    findings.Add(VerificationReason.CertificateReplaced, own.ReplacedBy is { Length: > 0 } by
                        ? $"certificate {number} was replaced by {by}{stateReason}"
                        : $"certificate {number} was replaced{stateReason}");
                    break;
                case Registry.CertificateState.Detained:
                    findings.Add(VerificationReason.CertificateDetained, $"the shipment of certificate {number} was detained{stateReason}");
                    break;
                case Registry.CertificateState.Received when purpose == VerificationPurpose.ImportConfirmation:
                    findings.Add(VerificationReason.AlreadyConfirmed, $"the import of certificate {number} was already confirmed; a certificate is confirmed at most once");
                    break;
            }
        }

        bool received = own?.State == Registry.CertificateState.Received;
        if (expiryParsed && dateOfExpiry < today && !received)
        {
            findings.Add(VerificationReason.CertificateExpired,
                $"the certificate expired: its date of expiry {Text.Date(dateOfExpiry)} is before {Text.Date(today)}, the UTC date of the check, and its import was not confirmed");
        }

        findings.Collect(out VerificationReason[] reasons, out string[] details);
        return new VerificationResult
        {
            // Valid only here, where a signature verified, and only when nothing was found.
            Valid = reasons.Length == 0,
            Reasons = reasons,
            Details = details,
            CheckedAt = now,
            Purpose = purpose,
            KeyId = key.KeyId,
            KeyState = key.State,
            KeyParticipant = key.ParticipantCode,
            Certificate = c,
            PayloadSha256 = payloadSha256,
            IssuingParticipant = issuerCode,
            IssuingAuthority = c.IssuingAuthority,
            CertificateNumber = number,
            DestinationParticipant = destinationCode,
            DateOfIssue = issueParsed ? dateOfIssue : null,
            DateOfExpiry = expiryParsed ? dateOfExpiry : null,
            RecordedAt = own?.RecordedAt,
            CertificateState = own?.State,
            RuleViolations = violations,
        };
    }

    private static string ContentSummary(IReadOnlyList<RuleViolation> violations)
    {
        const int Shown = 3;
        var text = new System.Text.StringBuilder();
        text.Append(violations.Count == 1 ? "the content breaks 1 KPCS rule: " : $"the content breaks {violations.Count} KPCS rules: ");
        for (int i = 0; i < violations.Count && i < Shown; i++)
        {
            if (i > 0)
            {
                text.Append("; ");
            }
            text.Append(violations[i].Message);
        }
        if (violations.Count > Shown)
        {
            text.Append("; and ").Append(violations.Count - Shown).Append(" more");
        }
        return text.ToString();
    }

    private static string ReasonSuffix(ParticipantInfo participant, DateOnly date)
    {
        IReadOnlyList<StatusPeriod> history = participant.StatusHistory;
        for (int i = history.Count - 1; i >= 0; i--)
        {
            StatusPeriod period = history[i];
            if (period.EffectiveFrom <= date && (period.EffectiveTo is null || date < period.EffectiveTo))
            {
                string from = $" (since {Text.Date(period.EffectiveFrom)}";
                return string.IsNullOrEmpty(period.Reason) ? from + ")" : $"{from}: {period.Reason})";
            }
        }
        return "";
    }

    /// <summary>The status as the protos and DOMAIN.md write it.</summary>
    internal static string StatusName(ParticipantStatus status) => status switch
    {
        ParticipantStatus.Active => "ACTIVE",
        ParticipantStatus.ActiveRestricted => "ACTIVE_RESTRICTED",
        ParticipantStatus.Suspended => "SUSPENDED",
        ParticipantStatus.SelfSuspended => "SELF_SUSPENDED",
        ParticipantStatus.Removed => "REMOVED",
        _ => status.ToString(),
    };

    /// <summary>The reasons found so far, at most one detail line per reason; reasons come out in enum order whatever the order found.</summary>
    private sealed class Findings
    {
        private static readonly int Slots = LargestReason() + 1;
        private string?[]? _details;

        public bool Any => _details is not null;

        private static int LargestReason()
        {
            int largest = 0;
            foreach (VerificationReason reason in Enum.GetValues<VerificationReason>())
            {
                largest = Math.Max(largest, (int)reason);
            }
            return largest;
        }

        public void Add(VerificationReason reason, string detail)
        {
            _details ??= new string?[Slots];
            int slot = (int)reason;
            _details[slot] = _details[slot] is { } earlier ? earlier + "; " + detail : detail;
        }

        public void Collect(out VerificationReason[] reasons, out string[] details)
        {
            reasons = [];
            details = [];
            if (_details is null)
            {
                return;
            }
            int count = 0;
            foreach (string? d in _details)
            {
                count += d is null ? 0 : 1;
            }
            reasons = new VerificationReason[count];
            details = new string[count];
            int at = 0;
            for (int slot = 0; slot < _details.Length; slot++)
            {
                if (_details[slot] is { } d)
                {
                    reasons[at] = (VerificationReason)slot;
                    details[at++] = d;
                }
            }
        }

        /// <summary>A refusal decided before any payload was parsed: never valid.</summary>
        public VerificationResult Refusal(DateTimeOffset now, VerificationContext context, string? keyId, KeyInfo? key = null)
        {
            Collect(out VerificationReason[] reasons, out string[] details);
            if (reasons.Length == 0)
            {
                throw new InvalidOperationException("A refusal without a reason.");
            }
            return new VerificationResult
            {
                Valid = false,
                Reasons = reasons,
                Details = details,
                CheckedAt = now,
                Purpose = context.Purpose,
                KeyId = keyId,
                KeyState = key?.State,
                KeyParticipant = key?.ParticipantCode,
            };
        }
    }
}
