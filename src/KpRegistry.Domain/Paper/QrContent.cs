namespace KpRegistry.Domain.Paper;

/// <summary>What a certificate's QR code carries: the signed envelope itself, or a reference to the recorded one.</summary>
public abstract record QrContent;

/// <summary><c>KP1:</c>: the serialised <c>SignedEnvelope</c>, verifiable online or offline.</summary>
public sealed record QrEnvelope(byte[] EnvelopeBytes) : QrContent;

/// <summary>
/// <c>KP1R:</c>: the issuer, the certificate number and the SHA-256 of the envelope's payload; only
/// the registry's recorded envelope can be checked against it (online).
/// </summary>
public sealed record QrReference(string IssuingParticipant, string CertificateNumber, byte[] PayloadSha256) : QrContent;
