using KpRegistry.Domain.Registry;

namespace KpRegistry.Domain.Tests.TestData;

/// <summary>A registry view held in dictionaries: test data for the decision, not a stand-in for it.</summary>
public sealed class InMemoryRegistryView : IRegistryView
{
    private readonly Dictionary<string, ParticipantInfo> _participants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyInfo> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Issuer, string Number), CertificateRecordInfo> _records = [];

    /// <summary>True (online, the default): an absent record means "never recorded". False: an offline view from a trust list.</summary>
    public bool HoldsCertificateRecords { get; set; } = true;

    public ParticipantInfo? FindParticipant(string code) => _participants.GetValueOrDefault(code);

    public KeyInfo? FindKey(string keyId) => _keys.GetValueOrDefault(keyId);

    public CertificateRecordInfo? FindCertificate(string issuingParticipant, string certificateNumber) =>
        _records.GetValueOrDefault((issuingParticipant, certificateNumber));

    public InMemoryRegistryView Add(ParticipantInfo participant)
    {
        _participants[participant.Code] = participant;
        return this;
    }

    public InMemoryRegistryView Add(KeyInfo key)
    {
        _keys[key.KeyId] = key;
        return this;
    }

    public InMemoryRegistryView Add(CertificateRecordInfo record)
    {
        _records[(record.IssuingParticipant, record.CertificateNumber)] = record;
        return this;
    }
}
