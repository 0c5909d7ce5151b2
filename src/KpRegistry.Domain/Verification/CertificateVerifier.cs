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

    /// <summary>Every reason that applies to an authenticated, parsed certificate: the key, the parties' standing, the content, the record.</summary>
    private static VerificationResult Decide(
        Certificate c, ReadOnlySpan<byte> payload, KeyInfo key, IRegistryView view, DateTimeOffset now, VerificationContext context, Findings findings)
    {
        var facts = new Facts(c, payload, view, now, context);

        CheckKeyAgainstIssuer(key, c, findings);
        CheckKeyWindow(key, facts, findings);
        CheckKeyState(key, facts, findings);

        if (facts.Issuer is not { } issuer)
        {
            findings.Add(VerificationReason.IssuerNotParticipant, facts.IssuerWellFormed && Codes.IsEuMemberState(facts.IssuerCode)
                ? $"{facts.IssuerCode} is an EU member state, not a KP participant; its authorities issue as authorities of EU"
                : $"{Text.Quote(facts.IssuerCode)} is not a KP participant");
        }
        else
        {
            CheckStanding(issuer, Party.Issuer, facts, findings);
            if (issuer.Embargoed)
            {
                findings.Add(VerificationReason.IssuerEmbargoed, $"{issuer.Code} is under an embargo: trade in its rough diamonds is banned");
            }
            CheckEmbargoes(issuer, facts, findings);
        }
        string destinationCode = c.DestinationParticipant;
        if (Codes.IsAlpha2(destinationCode) && view.FindParticipant(destinationCode) is { } destination)
        {
            CheckStanding(destination, Party.Destination, facts, findings);
        }
        if (context.PresentedAtParticipant is { Length: > 0 } presentedAt && !string.Equals(presentedAt, destinationCode, StringComparison.Ordinal))
        {
            findings.Add(VerificationReason.WrongDestination,
                $"the certificate is destined for {Text.Quote(destinationCode)} but presented at {Text.Quote(presentedAt)}");
        }

        // Content, with "not in the future" judged at the recording time.
        IReadOnlyList<RuleViolation> violations = CertificateRules.ValidateWithIssuer(c, facts.Issuer, view, facts.RecordedAt, facts.Options);
        if (violations.Count > 0)
        {
            findings.Add(VerificationReason.ContentInvalid, ContentSummary(violations));
        }

        CheckRecord(facts, view, findings);

        findings.Collect(out VerificationReason[] reasons, out string[] details);
        return new VerificationResult
        {
            // Valid only here, where a signature verified, and only when nothing was found (a
            // certificate with an unreadable date breaks a content rule, so both dates are here).
            Verified = reasons.Length == 0 && facts.DateOfIssue is { } issued && facts.DateOfExpiry is { } expires
                ? new VerifiedCertificate(c, key.KeyId, key.State, facts.PayloadSha256, issued, expires)
                : null,
            Reasons = reasons,
            Details = details,
            CheckedAt = now,
            Purpose = facts.Purpose,
            KeyId = key.KeyId,
            KeyState = key.State,
            KeyParticipant = key.ParticipantCode,
            Certificate = c,
            PayloadSha256 = facts.PayloadSha256,
            IssuingParticipant = facts.IssuerCode,
            IssuingAuthority = c.IssuingAuthority,
            CertificateNumber = c.CertificateNumber,
            DestinationParticipant = destinationCode,
            DateOfIssue = facts.DateOfIssue,
            DateOfExpiry = facts.DateOfExpiry,
            RecordedAt = facts.Own?.RecordedAt,
            CertificateState = facts.Own?.State,
            ReplacedBy = facts.Own?.ReplacedBy,
            RuleViolations = violations,
        };
    }

    /// <summary>The key must be registered for the certificate's issuer, and for its authority when the key is an authority's.</summary>
    private static void CheckKeyAgainstIssuer(KeyInfo key, Certificate c, Findings findings)
    {
        if (!string.Equals(key.ParticipantCode, c.IssuingParticipant, StringComparison.Ordinal))
        {
            findings.Add(VerificationReason.WrongIssuerForKey,
                $"key {key.KeyId} is registered for {key.ParticipantCode}, but the certificate names issuer {Text.Quote(c.IssuingParticipant)}");
        }
        else if (key.AuthorityCode is not null && !string.Equals(key.AuthorityCode, c.IssuingAuthority, StringComparison.Ordinal))
        {
            findings.Add(VerificationReason.WrongIssuerForKey,
                $"key {key.KeyId} is registered for authority {key.AuthorityCode} of {key.ParticipantCode}, but the certificate names authority {Text.Quote(c.IssuingAuthority)}");
        }
    }

    /// <summary>The key's validity window: the day of issue (in any calendar, UTC+14 to UTC-12) must overlap it, and the registry's recording time must lie in it.</summary>
    private static void CheckKeyWindow(KeyInfo key, in Facts facts, Findings findings)
    {
        string Window() => $"key {key.KeyId} may sign from {Text.Instant(key.NotBefore)}"
            + (key.NotAfter is { } end ? $" until {Text.Instant(end)}" : " with no end");
        if (facts.DateOfIssue is { } dateOfIssue)
        {
            DateTimeOffset dayStart = new DateTimeOffset(dateOfIssue.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            DateTimeOffset earliest = Shift(dayStart, -facts.Options.IssuerCalendarLead);
            DateTimeOffset latest = Shift(dayStart, TimeSpan.FromDays(1) + CalendarLag);
            if (key.NotBefore >= latest || (key.NotAfter is { } notAfter && notAfter < earliest))
            {
                findings.Add(VerificationReason.KeyNotValidAtIssue, $"{Window()}; the certificate is dated {Text.Date(dateOfIssue)}");
            }
        }
        DateTimeOffset recordedAt = facts.RecordedAt;
        if (!facts.RecordedAtUnknown && (recordedAt < key.NotBefore || (key.NotAfter is { } last && recordedAt > last)))
        {
            findings.Add(VerificationReason.KeyNotValidAtIssue, $"{Window()}; {facts.RecordedPhrase()}");
        }
    }

    /// <summary>
    /// <paramref name="instant"/> moved by <paramref name="by"/>, stopping at the ends of the calendar:
    /// a signed date of issue of 0001-01-01 or 9999-12-31 is content to refuse, and the plain
    /// arithmetic threw for it (found by the property tests of issue 13).
    /// </summary>
    private static DateTimeOffset Shift(DateTimeOffset instant, TimeSpan by) => by >= TimeSpan.Zero
        ? (instant > DateTimeOffset.MaxValue - by ? DateTimeOffset.MaxValue : instant + by)
        : (instant < DateTimeOffset.MinValue - by ? DateTimeOffset.MinValue : instant + by);

    /// <summary>The key's state, at the registry's recording time (offline, a retired key against the date of issue).</summary>
    private static void CheckKeyState(KeyInfo key, in Facts facts, Findings findings)
    {
        if (key.State == KeyState.Retired)
        {
            DateTimeOffset retiredAt = key.RetiredAt ?? DateTimeOffset.MinValue;
            string Retired() => key.RetiredAt is { } r ? $"key {key.KeyId} was retired at {Text.Instant(r)}" : $"key {key.KeyId} is retired, at an unrecorded time";
            if (facts.RecordedAtUnknown)
            {
                // Offline: retirement is not compromise, so the signed date of issue is trusted like
                // the key itself; refused when the day of issue began, in every calendar, after retirement.
                if (facts.DateOfIssue is not { } dateOfIssue)
                {
                    findings.Add(VerificationReason.KeyRetired, $"{Retired()}; the certificate has no readable date of issue to show it was signed before");
                }
                else if (Shift(new DateTimeOffset(dateOfIssue.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), -facts.Options.IssuerCalendarLead) >= retiredAt)
                {
                    findings.Add(VerificationReason.KeyRetired, $"{Retired()}; the certificate is dated {Text.Date(dateOfIssue)}, after the retirement");
                }
            }
            else if (retiredAt <= facts.RecordedAt)
            {
                findings.Add(VerificationReason.KeyRetired, $"{Retired()}; {facts.RecordedPhrase()}");
            }
        }
        else if (key.State == KeyState.Revoked)
        {
            DateTimeOffset compromisedSince = key.CompromisedSince ?? DateTimeOffset.MinValue;
            if (compromisedSince <= facts.RecordedAt)
            {
                string since = key.CompromisedSince is { } s ? $"with compromise from {Text.Instant(s)}" : "with compromise from an unrecorded time (every signature)";
                string why = string.IsNullOrEmpty(key.RevocationReason) ? "" : $" ({key.RevocationReason})";
                findings.Add(VerificationReason.KeyRevoked, $"key {key.KeyId} was revoked {since}{why}; {facts.RecordedPhrase()}");
            }
        }
    }

    /// <summary>
    /// Every dated embargo on the issuer whose scope covers this shipment, in force on the date of
    /// issue (when readable) or on the date of the check: a certificate issued under an embargo stays
    /// refused after it is lifted, and one issued before it is refused while it lasts. Each is named.
    /// </summary>
    private static void CheckEmbargoes(ParticipantInfo issuer, in Facts facts, Findings findings)
    {
        IReadOnlyList<Embargo> embargoes = issuer.EmbargoList;
        if (embargoes.Count == 0)
        {
            return;
        }
        Certificate c = facts.Certificate;
        IReadOnlyList<string> origins = c.Origin is { } origin ? origin.Countries : [];
        foreach (Embargo embargo in embargoes)
        {
            if (!embargo.Covers(c.DestinationParticipant, origins))
            {
                continue;
            }
            bool atIssue = facts.DateOfIssue is { } issued && embargo.InForceOn(issued);
            bool now = embargo.InForceOn(facts.Today);
            if (!atIssue && !now)
            {
                continue;
            }
            string when = atIssue && now ? "on the date of issue and on the date of the check"
                : atIssue ? $"on the date of issue {Text.Date(facts.DateOfIssue!.Value)}"
                : $"on the date of the check {Text.Date(facts.Today)}";
            string to = embargo.EffectiveTo is { } end ? $" to {Text.Date(end)}" : "";
            string scope = (embargo.Destinations.Count > 0 ? $" towards {string.Join(", ", embargo.Destinations)}" : "")
                + (embargo.Origins.Count > 0 ? $" for origins {string.Join(", ", embargo.Origins)}" : "");
            string why = string.IsNullOrEmpty(embargo.Reason) ? "" : $": {embargo.Reason}";
            findings.Add(VerificationReason.IssuerEmbargoed,
                $"embargo {embargo.Id} on {issuer.Code}'s rough diamonds{scope}, from {Text.Date(embargo.EffectiveFrom)}{to}{why}, was in force {when}");
        }
    }

    /// <summary>The two parties whose standing the decision judges, with the same rule and their own reasons.</summary>
    private enum Party
    {
        Issuer,
        Destination,
    }

    /// <summary>
    /// One standing check for issuer and destination: each must be ACTIVE or ACTIVE_RESTRICTED on
    /// the date of issue (when it is readable) and on the date of the check.
    /// </summary>
    private static void CheckStanding(ParticipantInfo party, Party role, in Facts facts, Findings findings)
    {
        if (facts.DateOfIssue is { } dateOfIssue && party.StatusOn(dateOfIssue) is var atIssue && !MayTrade(atIssue))
        {
            findings.Add(role == Party.Issuer ? VerificationReason.IssuerNotAllowedAtIssue : VerificationReason.DestinationNotAllowed,
                StandingDetail(party, role, atIssue, dateOfIssue, atIssue: true));
        }
        ParticipantStatus? current = party.StatusOn(facts.Today);
        if (!MayTrade(current))
        {
            findings.Add(role == Party.Issuer ? VerificationReason.IssuerNotAllowedNow : VerificationReason.DestinationNotAllowed,
                StandingDetail(party, role, current, facts.Today, atIssue: false));
        }
    }

    private static bool MayTrade(ParticipantStatus? status) => status is ParticipantStatus.Active or ParticipantStatus.ActiveRestricted;

    private static string StandingDetail(ParticipantInfo p, Party role, ParticipantStatus? status, DateOnly date, bool atIssue) => (role, atIssue, status) switch
    {
        (Party.Issuer, true, { } st) => $"{p.Code} was {StatusName(st)} on {Text.Date(date)}, the date of issue{ReasonSuffix(p, date)}",
        (Party.Issuer, true, null) => $"{p.Code} had no participant status on {Text.Date(date)}, the date of issue (not yet admitted, or gone)",
        (Party.Issuer, false, { } st) => $"{p.Code} is {StatusName(st)} on {Text.Date(date)}, the date of the check{ReasonSuffix(p, date)}: its certificates are refused",
        (Party.Issuer, false, null) => $"{p.Code} has no participant status on {Text.Date(date)}, the date of the check: its certificates are refused",
        (_, true, { } st) => $"the destination {p.Code} was {StatusName(st)} on {Text.Date(date)}, the date of issue, and could not receive",
        (_, true, null) => $"the destination {p.Code} had no participant status on {Text.Date(date)}, the date of issue",
        (_, false, { } st) => $"the destination {p.Code} is {StatusName(st)} on {Text.Date(date)} and may not receive",
        (_, false, null) => $"the destination {p.Code} has no participant status on {Text.Date(date)} and may not receive",
    };

    /// <summary>The registry's record of the certificate (its state, or its absence where one is expected), and expiry, which a confirmed import outlives.</summary>
    private static void CheckRecord(in Facts facts, IRegistryView view, Findings findings)
    {
        string number = facts.Certificate.CertificateNumber;
        if (facts.Record is not { } record)
        {
            if (view.HoldsCertificateRecords && facts.Purpose != VerificationPurpose.Issue)
            {
                findings.Add(VerificationReason.NotRecorded, $"the registry holds no record of certificate {Text.Quote(number)} of {Text.Quote(facts.IssuerCode)}");
            }
        }
        else if (facts.Own is not { } own)
        {
            findings.Add(VerificationReason.RecordMismatch,
                $"the registry recorded a different payload as certificate {number} of {facts.IssuerCode} at {Text.Instant(record.RecordedAt)} (key {record.KeyId}): the number is reused or the content was changed after signing");
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
                case Registry.CertificateState.Refused:
                    findings.Add(VerificationReason.CertificateRefused, $"the destination refused the detained shipment of certificate {number}{stateReason}");
                    break;
                case Registry.CertificateState.Detained:
                    findings.Add(VerificationReason.CertificateDetained, $"the shipment of certificate {number} was detained{stateReason}");
                    break;
                case Registry.CertificateState.Received when facts.Purpose == VerificationPurpose.ImportConfirmation:
                    findings.Add(VerificationReason.AlreadyConfirmed, $"the import of certificate {number} was already confirmed; a certificate is confirmed at most once");
                    break;
            }
        }

        bool received = facts.Own?.State == Registry.CertificateState.Received;
        if (facts.DateOfExpiry is { } dateOfExpiry && dateOfExpiry < facts.Today && !received)
        {
            findings.Add(VerificationReason.CertificateExpired,
                $"the certificate expired: its date of expiry {Text.Date(dateOfExpiry)} is before {Text.Date(facts.Today)}, the UTC date of the check, and its import was not confirmed");
        }
    }

    /// <summary>What every check of an authenticated certificate reads: its parsed dates, its issuer, the registry's record and the time it is judged at.</summary>
    /// <remarks>A struct passed by reference: the decision allocates nothing for it on the valid path.</remarks>
    private readonly struct Facts
    {
        public Facts(Certificate c, ReadOnlySpan<byte> payload, IRegistryView view, DateTimeOffset now, VerificationContext context)
        {
            Certificate = c;
            Now = now;
            Purpose = context.Purpose;
            Options = context.RulesOptions ?? CertificateRulesOptions.Default;
            Today = CertificateDates.UtcDate(now);
            DateOfIssue = CertificateDates.TryParse(c.DateOfIssue, out DateOnly issued) ? issued : null;
            DateOfExpiry = CertificateDates.TryParse(c.DateOfExpiry, out DateOnly expires) ? expires : null;
            IssuerCode = c.IssuingParticipant;
            IssuerWellFormed = Codes.IsAlpha2(IssuerCode);
            Issuer = IssuerWellFormed ? view.FindParticipant(IssuerCode) : null;
            PayloadSha256 = SHA256.HashData(payload);
            string number = c.CertificateNumber;
            Record = IssuerWellFormed && number.Length is > 0 and <= CertificateRules.MaxNumberLength
                ? view.FindCertificate(IssuerCode, number)
                : null;
            // A record of a DIFFERENT payload under this number says nothing of when THIS payload was
            // recorded: trusting its time would let a reused number borrow an earlier, pre-compromise time.
            Own = Record is not null && CryptographicOperations.FixedTimeEquals(Record.PayloadSha256, PayloadSha256) ? Record : null;
            RecordedAt = Own?.RecordedAt ?? now;
            RecordedAtUnknown = Own is null && !view.HoldsCertificateRecords && Purpose != VerificationPurpose.Issue;
        }

        public Certificate Certificate { get; }

        public DateTimeOffset Now { get; }

        public VerificationPurpose Purpose { get; }

        public CertificateRulesOptions Options { get; }

        /// <summary>The UTC date of the check.</summary>
        public DateOnly Today { get; }

        /// <summary>Null when the certificate's date does not parse (a content rule reports it).</summary>
        public DateOnly? DateOfIssue { get; }

        public DateOnly? DateOfExpiry { get; }

        public string IssuerCode { get; }

        public bool IssuerWellFormed { get; }

        public ParticipantInfo? Issuer { get; }

        public byte[] PayloadSha256 { get; }

        /// <summary>The registry's record under the issuer and number, of whichever payload.</summary>
        public CertificateRecordInfo? Record { get; }

        /// <summary>The record when it is of this very payload.</summary>
        public CertificateRecordInfo? Own { get; }

        /// <summary>The time key states are judged at: the recording of this payload, else the check.</summary>
        public DateTimeOffset RecordedAt { get; }

        /// <summary>Offline with no record: when the registry recorded it cannot be known.</summary>
        public bool RecordedAtUnknown { get; }

        /// <summary>Built only when a reason needs it: the valid path formats nothing.</summary>
        public string RecordedPhrase() => Own is not null
            ? $"the registry recorded this certificate at {Text.Instant(Own.RecordedAt)}"
            : Purpose == VerificationPurpose.Issue
                ? $"it is being recorded now, at {Text.Instant(Now)}"
                : RecordedAtUnknown
                    ? $"no record says when the registry recorded it, so it is judged as signed at the time of the check, {Text.Instant(Now)}"
                    : $"it is presented as new at {Text.Instant(Now)}";
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
