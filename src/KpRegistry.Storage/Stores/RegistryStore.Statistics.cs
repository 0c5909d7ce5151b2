using KpRegistry.Domain.Registry;
using KpRegistry.Storage.Rows;
using Microsoft.EntityFrameworkCore;

namespace KpRegistry.Storage;

/// <summary>
/// One cell of a period's trade matrix: exporter, importer and HS code, summed over the lines of
/// the counted certificates. <paramref name="CertificatesWithCode"/> counts the certificates with
/// at least one line of the code; <paramref name="FirstLines"/> counts the certificates whose
/// first line falls in this cell, so summing it over a pair's cells gives the pair's certificates.
/// </summary>
public sealed record TradeCell(string Exporter, string Importer, string HsCode, long CaratsHundredths, long ValueUsdCents, long CertificatesWithCode, long FirstLines);

/// <summary>A counted certificate's figures, with its derived state (Issued, Received or Detained).</summary>
public sealed record CertificateFiguresRecord(
    string IssuingParticipant, string CertificateNumber, string DestinationParticipant, DateOnly DateOfIssue,
    long CaratsHundredths, long ValueUsdCents, CertificateState State, IReadOnlyList<string> OriginCountries, bool MixedOrigin);

/// <summary>A pair's exports in a period against the importer's confirmations (all counts and sums exact).</summary>
public sealed record PairReconciliationRecord(
    string Exporter, string Importer,
    long Certificates, long CaratsHundredths, long ValueUsdCents,
    long Confirmed, long ConfirmedCertifiedCaratsHundredths, long ConfirmedReceivedCaratsHundredths, long ConfirmedValueUsdCents,
    long Unconfirmed, long UnconfirmedCaratsHundredths, long UnconfirmedValueUsdCents,
    long Expired, long ExpiredCaratsHundredths, long ExpiredValueUsdCents,
    long Detained, long DetainedCaratsHundredths, long DetainedValueUsdCents);

/// <summary>
/// A certificate reconciliation lists by number: unconfirmed (no confirmation; expired when its
/// date of expiry is before the day asked), detained, or confirmed with a weight beyond the tolerance.
/// </summary>
public sealed record ReconciliationException(
    string Exporter, string Importer, string CertificateNumber, long CaratsHundredths, long ValueUsdCents,
    DateOnly DateOfExpiry, long? ConfirmedCaratsHundredths, bool Detained);

/// <summary>A stored envelope whose statistics columns are not filled yet (recorded before they existed).</summary>
public sealed record EnvelopeToBackfill(long Id, byte[] Envelope);

/// <summary>
/// Statistics (issue 14): every figure is aggregated by the database over the rows written when a
/// certificate is recorded, never by reading envelopes. A certificate counts unless CANCELLED,
/// REPLACED or REFUSED; those three are final, so "counted" is "has no final event", which the
/// database answers from the (certificate_id, sequence) index of the few certificates with events.
/// </summary>
public sealed partial class RegistryStore
{
    /// <summary>The period's trade matrix per exporter, importer and HS code, in that order.</summary>
    public async Task<IReadOnlyList<TradeCell>> ReadTradeCellsAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var cells = await TradeCellsQuery(context, first, last).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. cells.Select(c => new TradeCell(c.Exporter, c.Importer, c.HsCode, c.Carats, c.Value, c.Certificates, c.FirstLines))
            .OrderBy(c => c.Exporter, StringComparer.Ordinal).ThenBy(c => c.Importer, StringComparer.Ordinal).ThenBy(c => c.HsCode, StringComparer.Ordinal)];
    }

    /// <summary>The query of <see cref="ReadTradeCellsAsync"/> (internal: the query-plan test reads its plan).</summary>
    internal static IQueryable<TradeCellRow> TradeCellsQuery(RegistryDbContext context, DateOnly first, DateOnly last) =>
        from l in context.CertificateLines.AsNoTracking()
        where l.DateOfIssue >= first && l.DateOfIssue <= last
            && !context.CertificateEvents.Any(e => e.CertificateId == l.CertificateId
                && (e.Kind == CertificateEventKind.Cancelled || e.Kind == CertificateEventKind.Replaced || e.Kind == CertificateEventKind.Refused))
        group l by new { l.IssuingParticipant, l.DestinationParticipant, l.HsCode } into g
        select new TradeCellRow
        {
            Exporter = g.Key.IssuingParticipant,
            Importer = g.Key.DestinationParticipant,
            HsCode = g.Key.HsCode,
            Carats = g.Sum(x => x.CaratsHundredths),
            Value = g.Sum(x => x.ValueUsdCents),
            Certificates = g.Select(x => x.CertificateId).Distinct().Count(),
            FirstLines = g.Count(x => x.LineNumber == 0),
        };

    internal sealed class TradeCellRow
    {
        public string Exporter { get; init; } = "";
        public string Importer { get; init; } = "";
        public string HsCode { get; init; } = "";
        public long Carats { get; init; }
        public long Value { get; init; }
        public long Certificates { get; init; }
        public long FirstLines { get; init; }
    }

    /// <summary>
    /// The counted certificates of the period, by issuer then number, at most <paramref name="limit"/>;
    /// only those <paramref name="visibleTo"/> issued or imported when given, only those
    /// <paramref name="issuer"/> issued when given.
    /// </summary>
    public async Task<IReadOnlyList<CertificateFiguresRecord>> ReadCertificateFiguresAsync(DateOnly first, DateOnly last, string? visibleTo, string? issuer, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        IQueryable<CertificateRow> counted = Counted(context, first, last);
        if (visibleTo is not null)
        {
            counted = counted.Where(c => c.IssuingParticipant == visibleTo || c.DestinationParticipant == visibleTo);
        }
        if (issuer is not null)
        {
            counted = counted.Where(c => c.IssuingParticipant == issuer);
        }
        var rows = await counted
            .OrderBy(c => c.IssuingParticipant).ThenBy(c => c.CertificateNumber)
            .Take(limit)
            .Select(c => new
            {
                c.Id, c.IssuingParticipant, c.CertificateNumber, c.DestinationParticipant, c.DateOfIssue, c.TotalCaratsHundredths, c.TotalValueUsdCents, c.MixedOrigin,
                Received = context.CertificateEvents.Any(e => e.CertificateId == c.Id && e.Kind == CertificateEventKind.Received),
                Detained = context.CertificateEvents.Any(e => e.CertificateId == c.Id && e.Kind == CertificateEventKind.Detained),
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = rows.Select(r => r.Id).ToHashSet();
        var origins = (await (
                from o in context.CertificateOrigins.AsNoTracking()
                join c in counted on o.CertificateId equals c.Id
                select new { o.CertificateId, o.Country })
            .ToListAsync(cancellationToken).ConfigureAwait(false))
            .Where(o => ids.Contains(o.CertificateId))
            .ToLookup(o => o.CertificateId, o => o.Country);
        return [.. rows.Select(r => new CertificateFiguresRecord(r.IssuingParticipant, r.CertificateNumber, r.DestinationParticipant, r.DateOfIssue,
            r.TotalCaratsHundredths, r.TotalValueUsdCents,
            r.Received ? CertificateState.Received : r.Detained ? CertificateState.Detained : CertificateState.Issued,
            [.. origins[r.Id].Order(StringComparer.Ordinal)], r.MixedOrigin))
            .OrderBy(r => r.IssuingParticipant, StringComparer.Ordinal).ThenBy(r => r.CertificateNumber, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Per pair (exporter, importer) of the period: every counted certificate against the importer's
    /// confirmations, as of <paramref name="asOf"/> (a certificate whose date of expiry is before it
    /// and that has no confirmation is expired). By exporter, then importer.
    /// </summary>
    public async Task<IReadOnlyList<PairReconciliationRecord>> ReconcileAsync(DateOnly first, DateOnly last, DateOnly asOf, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var pairs = await (
            from x in Reconciled(context, first, last, asOf)
            group x by new { x.Exporter, x.Importer } into g
            select new
            {
                g.Key.Exporter,
                g.Key.Importer,
                Certificates = g.Count(),
                Carats = g.Sum(x => x.Carats),
                Value = g.Sum(x => x.Value),
                Confirmed = g.Sum(x => x.Confirmed),
                ConfirmedCertified = g.Sum(x => x.Confirmed * x.Carats),
                ConfirmedReceived = g.Sum(x => x.ReceivedCarats),
                ConfirmedValue = g.Sum(x => x.Confirmed * x.Value),
                Unconfirmed = g.Sum(x => x.Open),
                UnconfirmedCarats = g.Sum(x => x.Open * x.Carats),
                UnconfirmedValue = g.Sum(x => x.Open * x.Value),
                Expired = g.Sum(x => x.Expired),
                ExpiredCarats = g.Sum(x => x.Expired * x.Carats),
                ExpiredValue = g.Sum(x => x.Expired * x.Value),
                Detained = g.Sum(x => x.Detained),
                DetainedCarats = g.Sum(x => x.Detained * x.Carats),
                DetainedValue = g.Sum(x => x.Detained * x.Value),
            }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. pairs.Select(p => new PairReconciliationRecord(p.Exporter, p.Importer, p.Certificates, p.Carats, p.Value,
                p.Confirmed, p.ConfirmedCertified, p.ConfirmedReceived, p.ConfirmedValue,
                p.Unconfirmed, p.UnconfirmedCarats, p.UnconfirmedValue,
                p.Expired, p.ExpiredCarats, p.ExpiredValue,
                p.Detained, p.DetainedCarats, p.DetainedValue))
            .OrderBy(p => p.Exporter, StringComparer.Ordinal).ThenBy(p => p.Importer, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The certificates of the period that reconciliation names: without confirmation, detained, or
    /// confirmed with a weight beyond the confirmation tolerance (max(1, 0.1%)). By exporter,
    /// importer, number.
    /// </summary>
    public async Task<IReadOnlyList<ReconciliationException>> ReadReconciliationExceptionsAsync(DateOnly first, DateOnly last, DateOnly asOf,
        CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await (
            from x in Reconciled(context, first, last, asOf)
            where x.Confirmed == 0 || x.Detained == 1
                || (x.Confirmed == 1 && (x.Carats - x.ReceivedCarats > (x.Carats / 1000 > 1 ? x.Carats / 1000 : 1)
                    || x.ReceivedCarats - x.Carats > (x.Carats / 1000 > 1 ? x.Carats / 1000 : 1)))
            select new { x.Exporter, x.Importer, x.Number, x.Carats, x.Value, x.Expiry, x.Confirmed, x.ReceivedCarats, x.Detained })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new ReconciliationException(r.Exporter, r.Importer, r.Number, r.Carats, r.Value, r.Expiry,
                r.Confirmed == 1 ? r.ReceivedCarats : null, r.Detained == 1))
            .OrderBy(r => r.Exporter, StringComparer.Ordinal).ThenBy(r => r.Importer, StringComparer.Ordinal).ThenBy(r => r.CertificateNumber, StringComparer.Ordinal)];
    }

    /// <summary>The counted certificates of a period: issued in it, and not cancelled, replaced or refused.</summary>
    private static IQueryable<CertificateRow> Counted(RegistryDbContext context, DateOnly first, DateOnly last) =>
        context.Certificates.AsNoTracking().Where(c => c.DateOfIssue >= first && c.DateOfIssue <= last
            && !context.CertificateEvents.Any(e => e.CertificateId == c.Id
                && (e.Kind == CertificateEventKind.Cancelled || e.Kind == CertificateEventKind.Replaced || e.Kind == CertificateEventKind.Refused)));

    /// <summary>
    /// Each counted certificate with 0/1 flags, so the database can sum them per pair. Confirmed: a
    /// confirmation is recorded; Detained: confirmed and not (yet) received; Open/Expired: not confirmed.
    /// Joins, not subqueries, because SQL Server refuses an aggregate over a subquery.
    /// </summary>
    private static IQueryable<ReconciledRow> Reconciled(RegistryDbContext context, DateOnly first, DateOnly last, DateOnly asOf) =>
        from c in Counted(context, first, last)
        join i in context.ImportConfirmations on c.Id equals i.CertificateId into confirmations
        from i in confirmations.DefaultIfEmpty()
        join r in context.CertificateEvents.Where(e => e.Kind == CertificateEventKind.Received) on c.Id equals r.CertificateId into receipts
        from r in receipts.DefaultIfEmpty()
        select new ReconciledRow
        {
            Exporter = c.IssuingParticipant,
            Importer = c.DestinationParticipant,
            Number = c.CertificateNumber,
            Carats = c.TotalCaratsHundredths,
            Value = c.TotalValueUsdCents,
            Expiry = c.DateOfExpiry,
            Confirmed = i != null ? 1 : 0,
            // A confirmation recorded before the weight was kept counts as certified until the start-up fill reaches it.
            ReceivedCarats = i != null ? (i.CaratsReceivedHundredths ?? c.TotalCaratsHundredths) : 0,
            Detained = i != null && r == null ? 1 : 0,
            Open = i == null && c.DateOfExpiry >= asOf ? 1 : 0,
            Expired = i == null && c.DateOfExpiry < asOf ? 1 : 0,
        };

    private sealed class ReconciledRow
    {
        public string Exporter { get; init; } = "";
        public string Importer { get; init; } = "";
        public string Number { get; init; } = "";
        public long Carats { get; init; }
        public long Value { get; init; }
        public DateOnly Expiry { get; init; }
        public int Confirmed { get; init; }
        public long ReceivedCarats { get; init; }
        public int Detained { get; init; }
        public int Open { get; init; }
        public int Expired { get; init; }
    }

    /// <summary>Up to <paramref name="count"/> certificates recorded before their statistics rows existed (no line rows), by id.</summary>
    public async Task<IReadOnlyList<EnvelopeToBackfill>> ReadCertificatesWithoutLinesAsync(int count, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.Certificates.AsNoTracking()
            .Where(c => !context.CertificateLines.Any(l => l.CertificateId == c.Id))
            .OrderBy(c => c.Id).Take(count)
            .Select(c => new EnvelopeToBackfill(c.Id, c.Envelope))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fills the statistics rows of a certificate recorded before they existed, from its own signed
    /// payload (the caller parses it). Nothing when they are already there (another instance filled them).
    /// </summary>
    public Task<bool> FillCertificateTradeAsync(long certificateId, CertificateTradeDetail trade, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trade);
        return InTransactionAsync(async context =>
        {
            if (await context.CertificateLines.AnyAsync(l => l.CertificateId == certificateId, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            CertificateRow row = await context.Certificates.SingleAsync(c => c.Id == certificateId, cancellationToken).ConfigureAwait(false);
            AddTradeDetail(row, trade);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Up to <paramref name="count"/> confirmations recorded before the confirmed weight was kept, by id.</summary>
    public async Task<IReadOnlyList<EnvelopeToBackfill>> ReadConfirmationsWithoutCaratsAsync(int count, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.ImportConfirmations.AsNoTracking()
            .Where(i => i.CaratsReceivedHundredths == null)
            .OrderBy(i => i.Id).Take(count)
            .Select(i => new EnvelopeToBackfill(i.Id, i.Envelope))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps the confirmed weight of a confirmation recorded before it was kept, read from its own signed payload.</summary>
    public async Task FillConfirmedCaratsAsync(long confirmationId, long caratsReceivedHundredths, CancellationToken cancellationToken = default)
    {
        await using RegistryDbContext context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await context.ImportConfirmations.Where(i => i.Id == confirmationId && i.CaratsReceivedHundredths == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.CaratsReceivedHundredths, caratsReceivedHundredths), cancellationToken).ConfigureAwait(false);
    }

    private static void AddTradeDetail(CertificateRow row, CertificateTradeDetail trade)
    {
        row.MixedOrigin = trade.MixedOrigin;
        for (int i = 0; i < trade.Lines.Count; i++)
        {
            CertificateLineFigures line = trade.Lines[i];
            row.Lines.Add(new CertificateLineRow
            {
                LineNumber = i,
                DateOfIssue = row.DateOfIssue,
                IssuingParticipant = row.IssuingParticipant,
                DestinationParticipant = row.DestinationParticipant,
                HsCode = line.HsCode,
                CaratsHundredths = line.CaratsHundredths,
                ValueUsdCents = line.ValueUsdCents,
            });
        }
        foreach (string country in trade.OriginCountries.Distinct(StringComparer.Ordinal))
        {
            row.Origins.Add(new CertificateOriginRow { Country = country });
        }
    }
}
