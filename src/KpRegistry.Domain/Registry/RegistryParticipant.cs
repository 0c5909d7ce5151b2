namespace KpRegistry.Domain.Registry;

/// <summary>
/// The registry itself, as the holder of its own signing keys (trust list, revocation list). Its
/// code is from the ISO 3166-1 user-assigned range, so it can never be a country. It has no
/// status, so it can never issue or receive a certificate, and it is not listed as a participant.
/// </summary>
public static class RegistryParticipant
{
    public const string Code = "XR";
    public const string Name = "Kimberley Process Registry (registry signing keys)";
}
