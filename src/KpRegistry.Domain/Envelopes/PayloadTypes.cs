namespace KpRegistry.Domain.Envelopes;

/// <summary>The payload types of <c>kp.common.v1.SignedEnvelope</c>. Each is covered by the signature through PAE.</summary>
public static class PayloadTypes
{
    public const string Certificate = "application/vnd.kp.certificate.v1+protobuf";
    public const string TrustList = "application/vnd.kp.trustlist.v1+protobuf";
    public const string Revocations = "application/vnd.kp.revocations.v1+protobuf";
    public const string KeyStatement = "application/vnd.kp.key-statement.v1+protobuf";

    /// <summary>A <c>kp.certificate.v1.ImportConfirmation</c>, signed by a key of the importing participant.</summary>
    public const string ImportConfirmation = "application/vnd.kp.import-confirmation.v1+protobuf";
}
