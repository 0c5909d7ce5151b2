using Google.Protobuf;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Crypto;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Envelopes;
using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Server.Security;
using KpRegistry.Storage;
using CertificateRecord = KpRegistry.Storage.CertificateRecord;
using CertificateState = KpRegistry.Domain.Registry.CertificateState;

namespace KpRegistry.Server.Application;

/// <summary>A recorded import confirmation: the signed envelope, the certificate's new record, and each difference found.</summary>
public sealed record ConfirmedImport(SignedEnvelope Confirmation, CertificateRecord Record, IReadOnlyList<string> Differences);

/// <summary>A certificate as its parties see it: the record, and for the exporter, the importer and admins the confirmation and history.</summary>
public sealed record CertificateDetails(IssuedCertificate Certificate, SignedEnvelope? ImportConfirmation, bool ShowHistory);

/// <summary>What the detention's resolution decides.</summary>
public enum DetentionResolution
{
    Release,
    Refuse,
}

/// <summary>
/// A certificate's life after issue: the importing authority confirms receipt (signed with its
/// managed key, or submitted signed with a held key), a detention is resolved, the certificates
/// are listed for their parties. The rules of a confirmation are the Domain's
/// (<see cref="ImportConfirmations"/>); here: who may, the key, and one storage transaction.
/// </summary>
public sealed class LifecycleService(RegistryStore store, RegistryViewCache cache, ManagedSigner signer, RevocationFeed revocations, TimeProvider time)
{
    /// <summary>The importing authority's confirmation, signed here with its participant's ACTIVE managed key.</summary>
    public async Task<ConfirmedImport> ConfirmAsync(Caller caller, ImportConfirmation confirmation, KeyAlgorithm? algorithm, CancellationToken cancellationToken)
    {
        CertificateRecord record = await FindAsync(confirmation.IssuingParticipant, confirmation.CertificateNumber, cancellationToken);
        RequireImporter(caller, record, "ConfirmImport");
        ImportConfirmation filled = confirmation.Clone();
        if (filled.CertificatePayloadSha256.IsEmpty)
        {
            filled.CertificatePayloadSha256 = ByteString.CopyFrom(record.PayloadSha256);
        }
        if (filled.ImportingParticipant.Length == 0)
        {
            filled.ImportingParticipant = record.DestinationParticipant;
        }
        Certificate certificate = Check(record, filled);
        KeyInfo key = ChooseKey(cache.Current, record.DestinationParticipant, filled.ImportingAuthority, algorithm);
        SignedEnvelope envelope = await signer.SignEnvelopeAsync(key.KeyId, PayloadTypes.ImportConfirmation, filled.ToByteArray(), cancellationToken);
        return await RecordAsync(caller, record, certificate, filled, envelope, key.KeyId);
    }

    /// <summary>A confirmation the importing authority signed with its held key, recorded as received once its signature verifies with a registered ACTIVE key of the importer.</summary>
    public async Task<ConfirmedImport> SubmitAsync(Caller caller, SignedEnvelope envelope, CancellationToken cancellationToken)
    {
        if (!string.Equals(envelope.PayloadType, PayloadTypes.ImportConfirmation, StringComparison.Ordinal))
        {
            throw RegistryException.Invalid("envelope.payload_type", $"is {RegistryException.Echo(envelope.PayloadType)}; an import confirmation is {PayloadTypes.ImportConfirmation}.");
        }
        if (envelope.Signatures.Count is 0 or > 8 || envelope.Payload.IsEmpty)
        {
            throw RegistryException.Invalid("envelope", "must carry a payload and 1 to 8 signatures.");
        }
        ImportConfirmation confirmation;
        try
        {
            confirmation = ImportConfirmation.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw RegistryException.Invalid("envelope.payload", $"is not a kp.certificate.v1.ImportConfirmation: {e.Message}");
        }
        CertificateRecord record = await FindAsync(confirmation.IssuingParticipant, confirmation.CertificateNumber, cancellationToken);
        RequireImporter(caller, record, "SubmitImportConfirmation");
        KeyInfo signerKey = VerifiedSigner(envelope, cache.Current, record.DestinationParticipant, confirmation.ImportingAuthority)
            ?? throw RegistryException.Invalid("envelope.signatures",
                $"no signature verifies with a registered ACTIVE key of {record.DestinationParticipant} (authority {RegistryException.Echo(confirmation.ImportingAuthority)}).");
        Certificate certificate = Check(record, confirmation);
        return await RecordAsync(caller, record, certificate, confirmation, envelope, signerKey.KeyId);
    }

    /// <summary>Releases (RECEIVED) or refuses (REFUSED, on the revocation list) a DETAINED shipment.</summary>
    public async Task<CertificateRecord> ResolveAsync(Caller caller, string issuer, string number, DetentionResolution resolution, string reason, CancellationToken cancellationToken)
    {
        CertificateRecord record = await FindAsync(issuer, number, cancellationToken);
        if (!caller.IsAdmin && !(caller.Role == Roles.Authority && caller.ParticipantCode == record.DestinationParticipant))
        {
            throw RegistryException.Denied($"ResolveDetention: only an authority of the destination {record.DestinationParticipant}, or an administrator, resolves a detention; the caller is {caller.Subject}.");
        }
        if (record.State != CertificateState.Detained)
        {
            throw RegistryException.Precondition($"Certificate {number} of {issuer} is {record.State.ToString().ToUpperInvariant()}, not DETAINED.");
        }
        CertificateEventKind kind = resolution == DetentionResolution.Release ? CertificateEventKind.Received : CertificateEventKind.Refused;
        CertificateRecord resolved;
        try
        {
            // Not cancellable: once committed, the resolution must reach the view and the watchers.
            resolved = await store.AppendCertificateEventAsync(issuer, number, new NewCertificateEvent(kind, reason),
                new AuditEntry(caller.AuditName, resolution == DetentionResolution.Release ? "certificate.detention.release" : "certificate.detention.refuse", $"{issuer}/{number}", reason),
                CancellationToken.None, requiredState: CertificateState.Detained);
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Precondition(e.Message);
        }
        cache.Recorded(resolved.ToRecordInfo());
        if (kind == CertificateEventKind.Refused)
        {
            revocations.Publish();
        }
        return resolved;
    }

    /// <summary>The certificate; with the confirmation and the history for its exporter's and importer's authorities and admins.</summary>
    public async Task<CertificateDetails> GetAsync(Caller caller, string issuer, string number, CancellationToken cancellationToken)
    {
        CertificateRecord record = await FindAsync(issuer, number, cancellationToken);
        var certificate = new IssuedCertificate(SignedEnvelope.Parser.ParseFrom(record.Envelope), record);
        bool party = caller.IsAdmin || (caller.Role == Roles.Authority
            && (caller.ParticipantCode == record.IssuingParticipant || caller.ParticipantCode == record.DestinationParticipant));
        if (!party)
        {
            return new CertificateDetails(certificate, null, ShowHistory: false);
        }
        ImportConfirmationRecord? confirmation = await store.GetImportConfirmationAsync(issuer, number, cancellationToken);
        return new CertificateDetails(certificate, confirmation is null ? null : SignedEnvelope.Parser.ParseFrom(confirmation.Envelope), ShowHistory: true);
    }

    /// <summary>One page of the certificates the caller may see: an authority its participant's exports and imports, an admin all.</summary>
    public Task<(IReadOnlyList<CertificateRecord> Page, long? NextAfterId)> ListAsync(Caller caller, CertificateFilter filter, long afterId, int pageSize, CancellationToken cancellationToken)
    {
        CertificateFilter visible = filter with { VisibleTo = caller.IsAdmin ? null : caller.ParticipantCode ?? throw RegistryException.Unauthenticated("ListCertificates needs a client certificate.") };
        return store.ListCertificatesAsync(visible, afterId, pageSize, cancellationToken);
    }

    private async Task<CertificateRecord> FindAsync(string issuer, string number, CancellationToken cancellationToken) =>
        await store.GetCertificateAsync(issuer, number, cancellationToken)
        ?? throw RegistryException.NotFound($"{RegistryException.Echo(issuer)} has recorded no certificate numbered {RegistryException.Echo(number)}.");

    private static void RequireImporter(Caller caller, CertificateRecord record, string action)
    {
        if (caller.Role != Roles.Authority || caller.ParticipantCode != record.DestinationParticipant)
        {
            throw RegistryException.Denied(
                $"{action}: only an authority of {record.DestinationParticipant}, the destination of certificate {record.CertificateNumber}, confirms its import; the caller is {caller.Subject}.");
        }
    }

    /// <summary>The Domain's rules, in the order of the contract: may it be confirmed (FAILED_PRECONDITION), is the confirmation well formed (INVALID_ARGUMENT).</summary>
    private Certificate Check(CertificateRecord record, ImportConfirmation confirmation)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (ImportConfirmations.WhyNotConfirmable(record.ToRecordInfo(), record.DateOfExpiry, now) is { } refusal)
        {
            throw RegistryException.Precondition($"The import cannot be confirmed: {refusal}.");
        }
        Certificate certificate = Certificate.Parser.ParseFrom(SignedEnvelope.Parser.ParseFrom(record.Envelope).Payload);
        IReadOnlyList<ConfirmationFinding> problems = ImportConfirmations.Validate(confirmation, certificate, record.PayloadSha256, now);
        if (problems.Count > 0)
        {
            throw RegistryException.Invalid($"The confirmation has {problems.Count} problem(s): " + string.Join("; ", problems.Select(p => p.Message)),
                [.. problems.Select(p => new FieldViolation("confirmation." + p.Field, p.Message))]);
        }
        return certificate;
    }

    private async Task<ConfirmedImport> RecordAsync(Caller caller, CertificateRecord record, Certificate certificate, ImportConfirmation confirmation, SignedEnvelope envelope, string keyId)
    {
        ImportOutcome outcome = ImportConfirmations.Compare(certificate, confirmation);
        CertificateEventKind kind = outcome.State == CertificateState.Received ? CertificateEventKind.Received : CertificateEventKind.Detained;
        string reason = kind == CertificateEventKind.Received ? "import confirmed" : "detained on arrival: " + outcome.Summary;
        CertificateRecord confirmed;
        try
        {
            // Not cancellable: once committed, the new state must reach the in-memory view.
            confirmed = await store.ConfirmImportAsync(record.IssuingParticipant, record.CertificateNumber,
                new NewImportConfirmation(envelope.ToByteArray(), keyId, record.DestinationParticipant, confirmation.ImportingAuthority,
                    checked((long)confirmation.CaratsReceivedHundredths)),
                new NewCertificateEvent(kind, reason),
                new AuditEntry(caller.AuditName, kind == CertificateEventKind.Received ? "certificate.import.confirm" : "certificate.import.detain",
                    $"{record.IssuingParticipant}/{record.CertificateNumber}", $"signed by {keyId}; {reason}"),
                CancellationToken.None);
        }
        catch (StoreConflictException e)
        {
            throw RegistryException.Precondition(e.Message);
        }
        cache.Recorded(confirmed.ToRecordInfo());
        return new ConfirmedImport(envelope, confirmed, [.. outcome.Differences.Select(d => d.Message)]);
    }

    private static KeyInfo ChooseKey(RegistrySnapshot view, string participant, string authority, KeyAlgorithm? algorithm) =>
        view.ActiveManagedKey(participant, authority, algorithm) ?? throw RegistryException.Precondition(
            $"{participant} has no ACTIVE managed {(algorithm is null ? "" : algorithm + " ")}key for authority {RegistryException.Echo(authority)} to sign the confirmation; create one with CreateKey.");

    /// <summary>The registered ACTIVE key of the importer whose signature verifies over PAE; the algorithm is the registered key's, never the envelope's.</summary>
    private static KeyInfo? VerifiedSigner(SignedEnvelope envelope, RegistrySnapshot view, string participant, string authority)
    {
        byte[] pae = Pae.Encode(envelope.PayloadType, envelope.Payload.Span);
        foreach (Signature signature in envelope.Signatures)
        {
            if (!KeyIds.IsWellFormed(signature.KeyId) || view.FindKey(signature.KeyId) is not { } key)
            {
                continue;
            }
            if (key.ParticipantCode == participant && key.State == KeyState.Active
                && (key.AuthorityCode is null || key.AuthorityCode == authority)
                && key.Verifier.Algorithm == key.Algorithm
                && key.Verifier.Verify(pae, signature.Sig.Span))
            {
                return key;
            }
        }
        return null;
    }
}
