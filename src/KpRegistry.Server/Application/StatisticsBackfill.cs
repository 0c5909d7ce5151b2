using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;
using KpRegistry.Storage;

namespace KpRegistry.Server.Application;

/// <summary>
/// At start, fills the statistics rows of certificates and confirmations recorded before the
/// TradeStatistics migration, from their own stored signed payloads (the migration cannot: SQL
/// does not parse protobuf). Idempotent, in batches; a database recorded after the migration has
/// nothing to fill and costs two empty queries.
/// </summary>
public static class StatisticsBackfill
{
    private const int BatchSize = 500;

    /// <summary>Fills everything missing; returns how many certificates and confirmations were filled.</summary>
    public static async Task<(int Certificates, int Confirmations)> FillAsync(RegistryStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        int certificates = 0;
        while (true)
        {
            IReadOnlyList<EnvelopeToBackfill> batch = await store.ReadCertificatesWithoutLinesAsync(BatchSize, cancellationToken);
            foreach (EnvelopeToBackfill row in batch)
            {
                Certificate certificate = Certificate.Parser.ParseFrom(SignedEnvelope.Parser.ParseFrom(row.Envelope).Payload);
                if (await store.FillCertificateTradeAsync(row.Id, StatisticsService.TradeDetail(certificate), cancellationToken))
                {
                    certificates++;
                }
            }
            if (batch.Count < BatchSize)
            {
                break;
            }
        }
        int confirmations = 0;
        while (true)
        {
            IReadOnlyList<EnvelopeToBackfill> batch = await store.ReadConfirmationsWithoutCaratsAsync(BatchSize, cancellationToken);
            foreach (EnvelopeToBackfill row in batch)
            {
                ImportConfirmation confirmation = ImportConfirmation.Parser.ParseFrom(SignedEnvelope.Parser.ParseFrom(row.Envelope).Payload);
                await store.FillConfirmedCaratsAsync(row.Id, checked((long)confirmation.CaratsReceivedHundredths), cancellationToken);
                confirmations++;
            }
            if (batch.Count < BatchSize)
            {
                break;
            }
        }
        return (certificates, confirmations);
    }
}
