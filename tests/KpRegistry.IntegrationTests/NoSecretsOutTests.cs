using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Contracts.Registry.V1;
using KpRegistry.Contracts.Verification.V1;
using KpRegistry.Crypto;
using KpRegistry.IntegrationTests.TestData;
using Microsoft.Data.Sqlite;

namespace KpRegistry.IntegrationTests;

/// <summary>
/// No private key, no KEK and no sealed key ever leaves the registry: a whole scenario (keys of the
/// three algorithms made, certificates issued, a key rotated and one revoked, and errors provoked
/// on purpose) with every server log line at Debug, every response and every error captured; then,
/// knowing the secrets (the sealed keys opened with the KEK, as only the test may), none of them is
/// found in any of it, raw, base64 (at any byte alignment) or hex.
/// </summary>
public sealed class NoSecretsOutTests
{
    private readonly List<byte[]> _responses = [];
    private readonly StringBuilder _texts = new();

    [Fact]
    public async Task FullScenario_LogsErrorsAndResponses_HoldNoPrivateKeyKekOrSealedKey()
    {
        string root = RegistryProcess.NewRoot();
        try
        {
            string logs;
            byte[] anyPublicKey;
            await using (RegistryProcess server = await RegistryProcess.StartAsync(root, ["--Logging:LogLevel:Default=Debug"]))
            {
                anyPublicKey = await ScenarioAsync(server);
                await server.StopAsync();
                logs = server.Output;
            }
            byte[] haystack = [.. Encoding.UTF8.GetBytes(logs), .. Encoding.UTF8.GetBytes(_texts.ToString()), .. _responses.SelectMany(r => r)];
            IReadOnlyList<(string What, byte[] Secret)> secrets = await SecretsAsync(Path.Combine(root, "data"));

            // The scan finds what is there: the public key the responses carry (so the haystack is real).
            Assert.NotEmpty(Found(haystack, anyPublicKey));
            Assert.Contains(secrets, s => s.What.StartsWith("private key", StringComparison.Ordinal));
            var leaks = secrets.SelectMany(s => Found(haystack, s.Secret).Select(form => $"{s.What} as {form}")).ToList();
            Assert.True(leaks.Count == 0, "found: " + string.Join(", ", leaks));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Runs the scenario, keeping every response and error; returns a public key (SPKI) a response carried.</summary>
    private async Task<byte[]> ScenarioAsync(RegistryProcess server)
    {
        using var authority = server.ChannelAs("BW-authority");
        using var other = server.ChannelAs("ZA-authority");
        using var admin = server.ChannelAs("admin");
        using var anonymous = server.AnonymousChannel();
        var registry = new Registry.RegistryClient(authority);
        var certificates = new Certificates.CertificatesClient(authority);
        var verification = new Verification.VerificationClient(anonymous);

        Key ed25519 = Keep(await registry.CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.Ed25519 }));
        Key ecdsa = Keep(await registry.CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.EcdsaP256 }));
        Keep(await registry.CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW", Algorithm = KeyAlgorithm.MlDsa65 }));
        IssueCertificateResponse issued = Keep(await certificates.IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() }));
        foreach (SigningAlgorithm algorithm in new[] { SigningAlgorithm.EcdsaP256, SigningAlgorithm.MlDsa65 })
        {
            Keep(await certificates.IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid(), Algorithm = algorithm }));
        }
        Keep(await registry.RotateKeyAsync(new RotateKeyRequest { KeyId = ed25519.KeyId }));
        Keep(await certificates.IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() }));
        Keep(await new Registry.RegistryClient(admin).RevokeKeyAsync(new RevokeKeyRequest { KeyId = ecdsa.KeyId, Reason = "HSM lost" }));
        Keep(await verification.VerifyCertificateAsync(new VerifyCertificateRequest { Envelope = issued.Envelope }));
        Keep(await verification.GetTrustListAsync(new GetTrustListRequest()));
        Keep(await verification.GetRevocationListAsync(new GetRevocationListRequest()));
        Keep(await new Registry.RegistryClient(anonymous).ListKeysAsync(new ListKeysRequest { ParticipantCode = "BW" }));
        Keep(await new Certificates.CertificatesClient(anonymous).GetCertificateAsync(new GetCertificateRequest { IssuingParticipant = "BW", CertificateNumber = issued.Record.CertificateNumber }));

        // Errors on purpose: each refusal's message and trailers are kept too.
        await RefusedAsync(() => certificates.IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid(number: issued.Record.CertificateNumber) }).ResponseAsync);
        await RefusedAsync(() => certificates.IssueCertificateAsync(new IssueCertificateRequest { Certificate = new Certificate { IssuingParticipant = "BW" } }).ResponseAsync);
        await RefusedAsync(() => certificates.IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid(), Algorithm = SigningAlgorithm.EcdsaP256 }).ResponseAsync);
        await RefusedAsync(() => new Certificates.CertificatesClient(other).IssueCertificateAsync(new IssueCertificateRequest { Certificate = SampleCertificates.Valid() }).ResponseAsync);
        await RefusedAsync(() => new Registry.RegistryClient(anonymous).CreateKeyAsync(new CreateKeyRequest { ParticipantCode = "BW" }).ResponseAsync);
        await RefusedAsync(() => registry.RotateKeyAsync(new RotateKeyRequest { KeyId = ecdsa.KeyId }).ResponseAsync);
        await RefusedAsync(() => registry.GetKeyAsync(new GetKeyRequest { KeyId = new string('0', 64) }).ResponseAsync);
        await RefusedAsync(() => new Registry.RegistryClient(admin).RevokeKeyAsync(new RevokeKeyRequest { KeyId = ecdsa.KeyId, Reason = "again" }).ResponseAsync);
        return ed25519.Spki.ToByteArray();
    }

    private T Keep<T>(T response) where T : IMessage
    {
        _responses.Add(response.ToByteArray());
        _texts.AppendLine(response.ToString()); // JSON: bytes fields in base64
        return response;
    }

    private async Task RefusedAsync(Func<Task> call)
    {
        RpcException refused = await Assert.ThrowsAsync<RpcException>(call);
        _texts.AppendLine(refused.ToString());
        foreach (Metadata.Entry entry in refused.Trailers)
        {
            _responses.Add(entry.IsBinary ? entry.ValueBytes : Encoding.UTF8.GetBytes(entry.Value));
        }
    }

    /// <summary>
    /// The KEK (from its file), every sealed key blob in the database, and every private key those
    /// blobs hold once opened: its PKCS#8 DER and the key proper inside it (the Ed25519 seed, the
    /// ECDSA scalar, the ML-DSA seed or expanded key).
    /// </summary>
    private static async Task<IReadOnlyList<(string What, byte[] Secret)>> SecretsAsync(string dataDirectory)
    {
        byte[] kekBytes = Convert.FromBase64String((await File.ReadAllTextAsync(Path.Combine(dataDirectory, "registry.kek"))).Trim());
        var secrets = new List<(string, byte[])> { ("the KEK", kekBytes) };
        using KeyEncryptionKey kek = KeyEncryptionKey.FromBase64(Convert.ToBase64String(kekBytes));
        var vault = new ManagedKeyVault(kek);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "registry.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT key_id, participant_code, sealed_private_key FROM keys WHERE sealed_private_key IS NOT NULL " +
                              "UNION ALL SELECT key_id, 'XR', sealed_private_key FROM log_keys";
        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            string keyId = reader.GetString(0);
            byte[] blob = (byte[])reader[2];
            secrets.Add(($"sealed key {keyId}", blob));
            using SigningKey key = vault.Open(blob, keyId, reader.GetString(1));
            string pem = key.ExportPkcs8Pem();
            byte[] der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
            secrets.Add(($"private key {keyId} (PKCS#8)", der));
            foreach (byte[] inner in KeyProper(der))
            {
                secrets.Add(($"private key {keyId} ({inner.Length} bytes raw)", inner));
            }
        }
        return secrets;
    }

    /// <summary>The privateKey OCTET STRING of a PKCS#8 PrivateKeyInfo and, when it nests one, the octets inside.</summary>
    private static IEnumerable<byte[]> KeyProper(byte[] pkcs8)
    {
        var info = new AsnReader(pkcs8, AsnEncodingRules.DER).ReadSequence();
        info.ReadInteger();
        info.ReadSequence();
        byte[] privateKey = info.ReadOctetString();
        var found = new List<byte[]> { privateKey };
        try
        {
            var inner = new AsnReader(privateKey, AsnEncodingRules.BER);
            Asn1Tag tag = inner.PeekTag();
            if (tag.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
            {
                found.Add(inner.ReadOctetString()); // Ed25519: CurvePrivateKey
            }
            else if (tag.HasSameClassAndValue(Asn1Tag.Sequence))
            {
                AsnReader sequence = inner.ReadSequence();
                while (sequence.HasData)
                {
                    Asn1Tag field = sequence.PeekTag();
                    if (field.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
                    {
                        found.Add(sequence.ReadOctetString()); // ECPrivateKey's d; ML-DSA's seed and expanded key
                    }
                    else
                    {
                        sequence.ReadEncodedValue();
                    }
                }
            }
            else if (tag.TagClass == TagClass.ContextSpecific)
            {
                found.Add(inner.ReadOctetString(tag)); // ML-DSA seed form: [0] IMPLICIT OCTET STRING
            }
        }
        catch (AsnContentException)
        {
            // Raw key bytes, not DER: privateKey itself is the key proper.
        }
        return found.Where(f => f.Length >= 16);
    }

    /// <summary>The forms in which <paramref name="secret"/> occurs in <paramref name="haystack"/>.</summary>
    private static List<string> Found(byte[] haystack, byte[] secret)
    {
        var forms = new List<(string, byte[])> { ("raw bytes", secret) };
        forms.Add(("hex", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(secret))));
        forms.Add(("HEX", Encoding.ASCII.GetBytes(Convert.ToHexString(secret))));
        for (int shift = 0; shift < 3; shift++)
        {
            // Inside a longer base64 text the secret starts at any byte offset modulo 3: its
            // characters are fixed but for the first and last few, so the middle is searched.
            string base64 = Convert.ToBase64String(secret, shift, secret.Length - shift);
            string middle = base64[..^4];
            forms.Add(($"base64 (offset {shift})", Encoding.ASCII.GetBytes(middle)));
            forms.Add(($"base64url (offset {shift})", Encoding.ASCII.GetBytes(middle.Replace('+', '-').Replace('/', '_'))));
        }
        return [.. forms.Where(f => haystack.AsSpan().IndexOf(f.Item2) >= 0).Select(f => f.Item1)];
    }
}
