using KpRegistry.Domain.Keys;
using KpRegistry.Domain.Registry;
using KpRegistry.Domain.Verification;
using KpRegistry.Domain.Wire;
using ProtoCertificate = KpRegistry.Contracts.Certificate.V1;
using ProtoRegistry = KpRegistry.Contracts.Registry.V1;
using ProtoVerification = KpRegistry.Contracts.Verification.V1;

namespace KpRegistry.Domain.Tests.Wire;

/// <summary>Every domain value has a wire value and comes back as itself; every wire value but UNSPECIFIED has a domain value. A value added on one side only fails here.</summary>
public sealed class WireEnumsTests
{
    [Fact]
    public void ToWireFromWire_EveryParticipantStatus_RoundTrips()
    {
        foreach (ParticipantStatus value in Enum.GetValues<ParticipantStatus>())
        {
            Assert.Equal(value, WireEnums.FromWire(WireEnums.ToWire(value)));
        }
        AssertEveryWireValueKnown<ProtoRegistry.ParticipantStatus>(w => WireEnums.FromWire(w) is not null);
        Assert.Equal(ProtoRegistry.ParticipantStatus.Unspecified, WireEnums.ToWire((ParticipantStatus?)null));
    }

    [Fact]
    public void ToWireFromWire_EveryKeyAlgorithm_RoundTrips()
    {
        foreach (KeyAlgorithm value in Enum.GetValues<KeyAlgorithm>())
        {
            Assert.Equal(value, WireEnums.FromWire(WireEnums.ToWire(value)));
        }
        AssertEveryWireValueKnown<ProtoRegistry.KeyAlgorithm>(w => WireEnums.FromWire(w) is not null);
    }

    [Theory]
    [InlineData(ProtoRegistry.KeyAlgorithm.Unspecified, KeyAlgorithm.Ed25519)]
    [InlineData(ProtoRegistry.KeyAlgorithm.Ed25519, KeyAlgorithm.Ed25519)]
    [InlineData(ProtoRegistry.KeyAlgorithm.EcdsaP256, KeyAlgorithm.EcdsaP256)]
    [InlineData(ProtoRegistry.KeyAlgorithm.MlDsa65, KeyAlgorithm.MlDsa65)]
    public void FromWire_Algorithm_UnspecifiedIsEd25519(ProtoRegistry.KeyAlgorithm wire, KeyAlgorithm expected)
    {
        Assert.Equal(expected, WireEnums.FromWire(wire));
    }

    [Fact]
    public void FromWire_AlgorithmOfANewerPeer_IsNull()
    {
        Assert.Null(WireEnums.FromWire((ProtoRegistry.KeyAlgorithm)99));
    }

    [Fact]
    public void ToWireFromWire_EveryKeyState_RoundTrips()
    {
        foreach (KeyState value in Enum.GetValues<KeyState>())
        {
            Assert.Equal(value, WireEnums.FromWire(WireEnums.ToWire(value)));
        }
        AssertEveryWireValueKnown<ProtoRegistry.KeyState>(w => WireEnums.FromWire(w) is not null);
    }

    [Fact]
    public void ToWireFromWire_EveryKeyCustody_RoundTrips()
    {
        foreach (KeyCustody value in Enum.GetValues<KeyCustody>())
        {
            Assert.Equal(value, WireEnums.FromWire(WireEnums.ToWire(value)));
        }
        AssertEveryWireValueKnown<ProtoRegistry.KeyCustody>(w => WireEnums.FromWire(w) is not null);
    }

    [Fact]
    public void ToWireFromWire_EveryCertificateState_RoundTrips()
    {
        foreach (CertificateState value in Enum.GetValues<CertificateState>())
        {
            Assert.Equal(value, WireEnums.FromWire(WireEnums.ToWire(value)));
        }
        AssertEveryWireValueKnown<ProtoCertificate.CertificateState>(w => WireEnums.FromWire(w) is not null);
    }

    [Fact]
    public void ToWireFromWire_EveryVerificationReason_RoundTrips()
    {
        foreach (VerificationReason value in Enum.GetValues<VerificationReason>())
        {
            Assert.Equal(value, WireEnums.FromWire(WireEnums.ToWire(value)));
        }
        AssertEveryWireValueKnown<ProtoVerification.VerificationReason>(w => WireEnums.FromWire(w) is not null);
    }

    private static void AssertEveryWireValueKnown<TWire>(Func<TWire, bool> known) where TWire : struct, Enum
    {
        foreach (TWire wire in Enum.GetValues<TWire>())
        {
            Assert.True(Convert.ToInt32(wire, System.Globalization.CultureInfo.InvariantCulture) == 0 || known(wire), $"{typeof(TWire).Name}.{wire} has no domain value");
        }
    }
}
