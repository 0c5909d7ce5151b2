using Grpc.Core;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Domain.Wire;
using KpRegistry.Server.Application;
using KpRegistry.Server.Security;
using KpRegistry.Storage;
using DomainStatus = KpRegistry.Domain.Registry.ParticipantStatus;

namespace KpRegistry.Server.Grpc;

/// <summary>kp.registry.v1.Registry: validate, authorise, delegate, map back.</summary>
public sealed class RegistryGrpcService(ParticipantDirectory participants, KeyService keys, RegistryKeyService registryKeys, TimeProvider time, ClientCertificateService clientCertificates) : Registry.RegistryBase
{
    public override Task<ListParticipantsResponse> ListParticipants(ListParticipantsRequest request, ServerCallContext context)
    {
        DateOnly today = Today();
        var response = new ListParticipantsResponse();
        foreach (var participant in participants.List())
        {
            response.Participants.Add(ParticipantMapping.ToWire(participant, today));
        }
        return Task.FromResult(response);
    }

    public override Task<Participant> GetParticipant(GetParticipantRequest request, ServerCallContext context)
    {
        string code = RequestValidation.ParticipantCode(request.Code, "code");
        return Task.FromResult(ParticipantMapping.ToWire(participants.Get(code), Today()));
    }

    public override async Task<Participant> AdmitParticipant(AdmitParticipantRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAdmin("AdmitParticipant");
        string code = RequestValidation.ParticipantCode(request.Code, "code");
        string name = RequestValidation.Text(request.Name, "name", 200, required: true);
        DateOnly from = RequestValidation.Date(request.EffectiveFrom, "effective_from", Today());
        string reason = RequestValidation.Text(request.Reason, "reason", 500, required: false);
        int? maxValidity = request.MaxValidityDays switch
        {
            0 => null,
            <= 3650 => (int)request.MaxValidityDays,
            _ => throw RegistryException.Invalid("max_validity_days", "at most 3650 days."),
        };
        var admitted = await participants.AdmitAsync(caller, code, name, from, reason, maxValidity, context.CancellationToken);
        return ParticipantMapping.ToWire(admitted, Today());
    }

    public override async Task<Participant> SetParticipantStatus(SetParticipantStatusRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAdmin("SetParticipantStatus");
        string code = RequestValidation.ParticipantCode(request.Code, "code");
        DomainStatus status = WireEnums.FromWire(request.Status)
            ?? throw RegistryException.Invalid("status", "must be one of ACTIVE, ACTIVE_RESTRICTED, SUSPENDED, SELF_SUSPENDED, REMOVED.");
        DateOnly from = RequestValidation.Date(request.EffectiveFrom, "effective_from", Today());
        string reason = RequestValidation.Text(request.Reason, "reason", 500, required: false);
        var changed = await participants.SetStatusAsync(caller, code, status, from, reason, context.CancellationToken);
        return ParticipantMapping.ToWire(changed, Today());
    }

    public override async Task<Key> CreateKey(CreateKeyRequest request, ServerCallContext context)
    {
        string code = RequestValidation.ParticipantCode(request.ParticipantCode, "participant_code");
        Caller caller = context.RequireActingFor(code, "CreateKey");
        Domain.Keys.KeyAlgorithm algorithm = WireEnums.FromWire(request.Algorithm)
            ?? throw RegistryException.Invalid("algorithm", $"unknown algorithm {(int)request.Algorithm}.");
        string? authority = request.AuthorityCode.Length == 0 ? null : RequestValidation.Text(request.AuthorityCode, "authority_code", 64, required: true);
        var created = await keys.CreateManagedAsync(caller, code, authority, algorithm, context.CancellationToken);
        return KeyMapping.ToWire(created);
    }

    public override Task<ListKeysResponse> ListKeys(ListKeysRequest request, ServerCallContext context)
    {
        string? code = request.ParticipantCode.Length == 0 ? null : RequestValidation.ParticipantCode(request.ParticipantCode, "participant_code");
        var response = new ListKeysResponse();
        foreach (var key in keys.List(code))
        {
            response.Keys.Add(KeyMapping.ToWire(key));
        }
        return Task.FromResult(response);
    }

    public override Task<Key> GetKey(GetKeyRequest request, ServerCallContext context)
    {
        string keyId = RequestValidation.KeyId(request.KeyId, "key_id");
        return Task.FromResult(KeyMapping.ToWire(keys.Get(keyId)));
    }

    public override async Task<RotateKeyResponse> RotateKey(RotateKeyRequest request, ServerCallContext context)
    {
        string keyId = RequestValidation.KeyId(request.KeyId, "key_id");
        Domain.Registry.KeyInfo current = keys.Get(keyId);
        Caller caller = context.RequireActingFor(current.ParticipantCode, "RotateKey");
        Domain.Keys.KeyAlgorithm? algorithm = request.Algorithm == KeyAlgorithm.Unspecified ? null
            : WireEnums.FromWire(request.Algorithm) ?? throw RegistryException.Invalid("algorithm", $"unknown algorithm {(int)request.Algorithm}.");
        var (created, retired) = current.ParticipantCode == Domain.Registry.RegistryParticipant.Code
            ? await registryKeys.RotateAsync(caller, current, algorithm ?? current.Algorithm, context.CancellationToken)
            : await keys.RotateAsync(caller, current, request.Statement, algorithm, context.CancellationToken);
        return new RotateKeyResponse { NewKey = KeyMapping.ToWire(created), RetiredKey = KeyMapping.ToWire(retired) };
    }

    public override async Task<Key> RegisterKey(RegisterKeyRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAuthenticated("RegisterKey");
        Domain.Keys.KeyAlgorithm? algorithm = request.Algorithm == KeyAlgorithm.Unspecified ? null
            : WireEnums.FromWire(request.Algorithm) ?? throw RegistryException.Invalid("algorithm", $"unknown algorithm {(int)request.Algorithm}.");
        return KeyMapping.ToWire(await keys.RegisterHeldAsync(caller, request.Statement, algorithm, context.CancellationToken));
    }

    public override async Task<RevokeKeyResponse> RevokeKey(RevokeKeyRequest request, ServerCallContext context)
    {
        string keyId = RequestValidation.KeyId(request.KeyId, "key_id");
        Domain.Registry.KeyInfo key = keys.Get(keyId);
        Caller caller = key.ParticipantCode == Domain.Registry.RegistryParticipant.Code
            ? context.RequireAdmin("RevokeKey of a registry key")
            : context.RequireActingFor(key.ParticipantCode, "RevokeKey");
        string reason = RequestValidation.Text(request.Reason, "reason", 500, required: true);
        DateTimeOffset? since = RequestValidation.Instant(request.CompromisedSince, "compromised_since");
        var (revoked, affected) = await keys.RevokeAsync(caller, key, reason, since, context.CancellationToken);
        var response = new RevokeKeyResponse { Key = KeyMapping.ToWire(revoked) };
        response.AffectedCertificates.AddRange(affected);
        return response;
    }

    public override async Task<Participant> AddAuthority(AddAuthorityRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAdmin("AddAuthority");
        string participant = RequestValidation.ParticipantCode(request.ParticipantCode, "participant_code");
        string code = RequestValidation.AuthorityCode(request.Code, participant, "code");
        string name = RequestValidation.Text(request.Name, "name", 200, required: true);
        return ParticipantMapping.ToWire(await participants.AddAuthorityAsync(caller, participant, code, name, context.CancellationToken), Today());
    }

    public override async Task<Participant> RemoveAuthority(RemoveAuthorityRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAdmin("RemoveAuthority");
        string participant = RequestValidation.ParticipantCode(request.ParticipantCode, "participant_code");
        string code = RequestValidation.AuthorityCode(request.Code, participant, "code");
        DateOnly on = RequestValidation.Date(request.EffectiveOn, "effective_on", Today());
        string reason = RequestValidation.Text(request.Reason, "reason", 500, required: false);
        return ParticipantMapping.ToWire(await participants.RemoveAuthorityAsync(caller, participant, code, on, reason, context.CancellationToken), Today());
    }

    public override async Task<Participant> SetZones(SetZonesRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAdmin("SetZones");
        string participant = RequestValidation.ParticipantCode(request.ParticipantCode, "participant_code");
        if (request.Zones.Count > 100)
        {
            throw RegistryException.Invalid("zones", $"{request.Zones.Count} zones; at most 100.");
        }
        var zones = new List<string>(request.Zones.Count);
        for (int i = 0; i < request.Zones.Count; i++)
        {
            string zone = RequestValidation.Text(request.Zones[i], $"zones[{i}]", Domain.Certificates.CertificateRules.MaxZoneLength, required: true);
            if (zones.Contains(zone, StringComparer.Ordinal))
            {
                throw RegistryException.Invalid($"zones[{i}]", $"'{RequestValidation.Truncate(zone)}' is listed twice.");
            }
            zones.Add(zone);
        }
        DateOnly from = RequestValidation.Date(request.EffectiveFrom, "effective_from", Today());
        string reason = RequestValidation.Text(request.Reason, "reason", 500, required: false);
        return ParticipantMapping.ToWire(await participants.SetZonesAsync(caller, participant, zones, from, reason, context.CancellationToken), Today());
    }

    public override async Task<Participant> SetEmbargo(SetEmbargoRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAdmin("SetEmbargo");
        string issuer = RequestValidation.ParticipantCode(request.IssuingParticipant, "issuing_participant");
        DateOnly from = RequestValidation.Date(request.EffectiveFrom, "effective_from", Today());
        DateOnly? to = request.EffectiveTo.Length == 0 ? null : RequestValidation.Date(request.EffectiveTo, "effective_to", Today());
        if (to is { } end && end <= from)
        {
            throw RegistryException.Invalid("effective_to", $"{end:yyyy-MM-dd} is not after effective_from {from:yyyy-MM-dd}.");
        }
        string[] destinations = RequestValidation.Codes(request.Destinations, "destinations");
        string[] origins = RequestValidation.Codes(request.Origins, "origins");
        string reason = RequestValidation.Text(request.Reason, "reason", 500, required: true);
        long? supersedes = request.SupersedesId switch
        {
            0 => null,
            <= long.MaxValue => (long)request.SupersedesId,
            _ => throw RegistryException.Invalid("supersedes_id", "is not an embargo id."),
        };
        var embargo = new NewEmbargo(issuer, from, to, destinations, origins, reason, supersedes);
        return ParticipantMapping.ToWire(await participants.SetEmbargoAsync(caller, embargo, context.CancellationToken), Today());
    }

    public override async Task<Participant> SetLicensing(SetLicensingRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAdmin("SetLicensing");
        string participant = RequestValidation.ParticipantCode(request.ParticipantCode, "participant_code");
        string reason = RequestValidation.Text(request.Reason, "reason", 500, required: false);
        return ParticipantMapping.ToWire(await participants.SetLicensingAsync(caller, participant, request.LicensesExporters, reason, context.CancellationToken), Today());
    }

    public override async Task<RevokedClientCertificate> RevokeClientCertificate(RevokeClientCertificateRequest request, ServerCallContext context)
    {
        Caller caller = context.RequireAdmin("RevokeClientCertificate");
        string reason = RequestValidation.Text(request.Reason, "reason", 500, required: true);
        var revoked = await clientCertificates.RevokeAsync(caller, request.Sha256Thumbprint, request.SerialNumber, request.Issuer, reason, context.CancellationToken);
        return SecurityMapping.ToWire(revoked);
    }

    public override async Task<ListRevokedClientCertificatesResponse> ListRevokedClientCertificates(ListRevokedClientCertificatesRequest request, ServerCallContext context)
    {
        context.RequireAdmin("ListRevokedClientCertificates");
        var response = new ListRevokedClientCertificatesResponse();
        response.Certificates.AddRange((await clientCertificates.ListAsync(context.CancellationToken)).Select(SecurityMapping.ToWire));
        return response;
    }

    public override async Task<ListAuditEventsResponse> ListAuditEvents(ListAuditEventsRequest request, ServerCallContext context)
    {
        context.RequireAdmin("ListAuditEvents");
        var (filter, afterId, pageSize) = SecurityMapping.AuditQuery(request);
        var (page, next) = await clientCertificates.ListAuditAsync(filter, afterId, pageSize, context.CancellationToken);
        var response = new ListAuditEventsResponse { NextPageToken = next is { } id ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : "" };
        response.Events.AddRange(page.Select(SecurityMapping.ToWire));
        return response;
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
