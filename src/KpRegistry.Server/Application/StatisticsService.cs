using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Statistics.V1;
using KpRegistry.Domain.Certificates;
using KpRegistry.Domain.Statistics;
using KpRegistry.Domain.Wire;
using KpRegistry.Server.Security;
using KpRegistry.Storage;
using DomainAnomalyKind = KpRegistry.Domain.Statistics.AnomalyKind;
using WireAnomalyKind = KpRegistry.Contracts.Statistics.V1.AnomalyKind;

namespace KpRegistry.Server.Application;

/// <summary>
/// Trade statistics, reconciliation and anomalies (issue 14) from the recorded certificates. The
/// database aggregates (<see cref="RegistryStore"/>, RegistryStore.Statistics.cs); here: who may
/// see what (the rule of protos/kp/statistics/v1/statistics.proto), the composition of the
/// period's matrix into per-participant figures, and the Domain's anomaly rules. The responses
/// are the published form of the statistics, so they are built here as the contract's messages.
/// </summary>
public sealed class StatisticsService(RegistryStore store, RegistryViewCache cache, TimeProvider time)
{
    /// <summary>Per-certificate listings stop here (certificates_truncated says so).</summary>
    public const int MaxCertificates = 10_000;

    /// <summary>Certificate numbers listed per reconciliation category and pair.</summary>
    public const int MaxListed = 100;

    private readonly AnomalyRules _rules = new();

    /// <summary>True for the roles that see everything: admin and analyst.</summary>
    public static bool SeesEverything(Caller caller) => caller.IsAdmin || caller.Role == Roles.Analyst;

    public async Task<GetTradeStatisticsResponse> GetTradeStatisticsAsync(Caller caller, StatisticsPeriod period, string? participant, bool includeCertificates,
        CancellationToken cancellationToken)
    {
        RequireKnown(participant, "participant");
        string? visibleTo = null;
        if (includeCertificates && !SeesEverything(caller))
        {
            if (!caller.IsAuthenticated)
            {
                throw RegistryException.Unauthenticated("include_certificates needs a client certificate: per-certificate figures are for authorities (their own), admins and analysts.");
            }
            if (caller.Role != Roles.Authority || (participant is not null && participant != caller.ParticipantCode))
            {
                throw RegistryException.Denied($"include_certificates: an authority of {caller.ParticipantCode} sees the certificates of {caller.ParticipantCode} only, not of {participant}.");
            }
            visibleTo = caller.ParticipantCode;
        }

        IReadOnlyList<TradeCell> cells = await store.ReadTradeCellsAsync(period.First, period.Last, cancellationToken);
        var response = new GetTradeStatisticsResponse
        {
            Period = period.Name,
            FirstDay = Dates.Format(period.First),
            LastDay = Dates.Format(period.Last),
            World = Sum(cells),
        };
        response.WorldByHsCode.AddRange(ByHsCode(cells));
        IEnumerable<string> codes = cells.Select(c => c.Exporter).Concat(cells.Select(c => c.Importer)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (string code in codes.Where(c => participant is null || c == participant))
        {
            var exports = cells.Where(c => c.Exporter == code).ToList();
            var imports = cells.Where(c => c.Importer == code).ToList();
            var trade = new ParticipantTrade { Participant = code, Exports = Sum(exports), Imports = Sum(imports) };
            trade.ExportsByPartner.AddRange(exports.GroupBy(c => c.Importer).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new PartnerFigures { Partner = g.Key, Figures = Sum([.. g]) }));
            trade.ImportsByPartner.AddRange(imports.GroupBy(c => c.Exporter).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new PartnerFigures { Partner = g.Key, Figures = Sum([.. g]) }));
            trade.ExportsByHsCode.AddRange(ByHsCode(exports));
            trade.ImportsByHsCode.AddRange(ByHsCode(imports));
            response.Participants.Add(trade);
        }
        if (includeCertificates)
        {
            // An authority's own; otherwise the participant asked (as exporter or importer), or all.
            IReadOnlyList<CertificateFiguresRecord> certificates = await store.ReadCertificateFiguresAsync(period.First, period.Last,
                visibleTo ?? participant, null, MaxCertificates + 1, cancellationToken);
            response.CertificatesTruncated = certificates.Count > MaxCertificates;
            response.Certificates.AddRange(certificates.Take(MaxCertificates).Select(ToWire));
        }
        return response;
    }

    public async Task<ReconcileResponse> ReconcileAsync(StatisticsPeriod period, string? participant, CancellationToken cancellationToken)
    {
        RequireKnown(participant, "participant");
        DateOnly asOf = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        IReadOnlyList<PairReconciliationRecord> pairs = await store.ReconcileAsync(period.First, period.Last, asOf, cancellationToken);
        var exceptions = (await store.ReadReconciliationExceptionsAsync(period.First, period.Last, asOf, cancellationToken))
            .ToLookup(e => (e.Exporter, e.Importer));
        var response = new ReconcileResponse
        {
            Period = period.Name,
            AsOf = Dates.Format(asOf),
            Tolerance = "the larger of 1 hundredth of a carat and 0.1% of the certified weight (rounded down)",
        };
        foreach (PairReconciliationRecord p in pairs.Where(p => participant is null || p.Exporter == participant || p.Importer == participant))
        {
            var pair = new PairReconciliation
            {
                Exporter = p.Exporter,
                Importer = p.Importer,
                Exported = Figures(p.CaratsHundredths, p.ValueUsdCents, p.Certificates),
                Confirmed = Figures(p.ConfirmedReceivedCaratsHundredths, p.ConfirmedValueUsdCents, p.Confirmed),
                Unconfirmed = Figures(p.UnconfirmedCaratsHundredths, p.UnconfirmedValueUsdCents, p.Unconfirmed),
                ExpiredUnconfirmed = Figures(p.ExpiredCaratsHundredths, p.ExpiredValueUsdCents, p.Expired),
                Detained = Figures(p.DetainedCaratsHundredths, p.DetainedValueUsdCents, p.Detained),
                CaratsDifferenceHundredths = p.ConfirmedCertifiedCaratsHundredths - p.ConfirmedReceivedCaratsHundredths,
            };
            var listed = exceptions[(p.Exporter, p.Importer)].ToList();
            pair.UnconfirmedCertificates.AddRange(listed.Where(e => e.ConfirmedCaratsHundredths is null && e.DateOfExpiry >= asOf).Take(MaxListed).Select(e => e.CertificateNumber));
            pair.ExpiredUnconfirmedCertificates.AddRange(listed.Where(e => e.ConfirmedCaratsHundredths is null && e.DateOfExpiry < asOf).Take(MaxListed).Select(e => e.CertificateNumber));
            pair.DetainedCertificates.AddRange(listed.Where(e => e.Detained).Take(MaxListed).Select(e => e.CertificateNumber));
            pair.Differences.AddRange(listed
                .Where(e => e.ConfirmedCaratsHundredths is { } confirmed
                    && (ulong)Math.Abs(e.CaratsHundredths - confirmed) > ImportConfirmations.CaratTolerance((ulong)e.CaratsHundredths))
                .Take(MaxListed)
                .Select(e => new CertificateDifference
                {
                    CertificateNumber = e.CertificateNumber,
                    CertifiedCaratsHundredths = (ulong)e.CaratsHundredths,
                    ConfirmedCaratsHundredths = (ulong)e.ConfirmedCaratsHundredths!.Value,
                    DifferenceHundredths = e.CaratsHundredths - e.ConfirmedCaratsHundredths.Value,
                    ValueDifferenceUsdCents = (ulong)StatisticsMath.Prorate(e.ValueUsdCents, Math.Abs(e.CaratsHundredths - e.ConfirmedCaratsHundredths.Value), e.CaratsHundredths),
                }));
            response.Pairs.Add(pair);
        }
        return response;
    }

    public async Task<ListAnomaliesResponse> ListAnomaliesAsync(StatisticsPeriod period, string? participant, CancellationToken cancellationToken)
    {
        RequireKnown(participant, "participant");
        // The medians are over every certificate of the period (the issuer's and the origin's usual
        // range is not one participant's business); only the findings are filtered.
        IReadOnlyList<CertificateFiguresRecord> certificates = await store.ReadCertificateFiguresAsync(period.First, period.Last, null, null, int.MaxValue, cancellationToken);
        IReadOnlyList<PairExports> current = Pairs(await store.ReadTradeCellsAsync(period.First, period.Last, cancellationToken));
        IReadOnlyList<PairExports> previous = period.PreviousYear() is { } before
            ? Pairs(await store.ReadTradeCellsAsync(before.First, before.Last, cancellationToken))
            : [];
        IReadOnlyList<AnomalyFinding> findings = _rules.Find(
            [.. certificates.Select(c => new PricedCertificate(c.IssuingParticipant, c.CertificateNumber, c.DestinationParticipant,
                c.CaratsHundredths, c.ValueUsdCents, c.OriginCountries, c.MixedOrigin))],
            current, previous);
        var response = new ListAnomaliesResponse
        {
            Period = period.Name,
            PriceRule = _rules.PriceRule,
            JumpRule = _rules.JumpRule,
            CertificatesExamined = (ulong)certificates.Count,
        };
        response.Anomalies.AddRange(findings.Where(f => participant is null || f.IssuingParticipant == participant).Select(ToWire));
        return response;
    }

    /// <summary>A certificate's figures for statistics, from its parsed payload, to record with it.</summary>
    public static CertificateTradeDetail TradeDetail(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new CertificateTradeDetail(
            [.. certificate.Lines.Select(l => new CertificateLineFigures(l.HsCode, checked((long)l.CaratsHundredths), checked((long)l.ValueUsdCents)))],
            [.. certificate.Origin?.Countries ?? []],
            certificate.Origin?.Mixed ?? false);
    }

    private void RequireKnown(string? participant, string field)
    {
        if (participant is not null && cache.Current.FindParticipant(participant) is null)
        {
            throw RegistryException.Invalid(field, $"{participant} is not a participant of the registry.");
        }
    }

    private static IReadOnlyList<PairExports> Pairs(IReadOnlyList<TradeCell> cells) =>
        [.. cells.GroupBy(c => (c.Exporter, c.Importer))
            .Select(g => new PairExports(g.Key.Exporter, g.Key.Importer, g.Sum(c => c.CaratsHundredths), g.Sum(c => c.ValueUsdCents), g.Sum(c => c.FirstLines)))];

    /// <summary>Totals of cells: carats and value add up; certificates are counted once each through their first line.</summary>
    private static Figures Sum(IReadOnlyList<TradeCell> cells) =>
        Figures(cells.Sum(c => c.CaratsHundredths), cells.Sum(c => c.ValueUsdCents), cells.Sum(c => c.FirstLines));

    private static IEnumerable<HsCodeFigures> ByHsCode(IReadOnlyList<TradeCell> cells) =>
        cells.GroupBy(c => c.HsCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new HsCodeFigures
        {
            HsCode = g.Key,
            // Within one pair a certificate is in a cell at most once per code; across pairs they are different certificates.
            Figures = Figures(g.Sum(c => c.CaratsHundredths), g.Sum(c => c.ValueUsdCents), g.Sum(c => c.CertificatesWithCode)),
        });

    private static Figures Figures(long carats, long value, long certificates) => new()
    {
        CaratsHundredths = (ulong)carats,
        ValueUsdCents = (ulong)value,
        UsdCentsPerCarat = (ulong)StatisticsMath.CentsPerCarat(carats, value),
        Certificates = (ulong)certificates,
    };

    private static CertificateFigures ToWire(CertificateFiguresRecord c)
    {
        var wire = new CertificateFigures
        {
            IssuingParticipant = c.IssuingParticipant,
            CertificateNumber = c.CertificateNumber,
            DestinationParticipant = c.DestinationParticipant,
            DateOfIssue = Dates.Format(c.DateOfIssue),
            Figures = Figures(c.CaratsHundredths, c.ValueUsdCents, 1),
            State = WireEnums.ToWire(c.State),
            MixedOrigin = c.MixedOrigin,
        };
        wire.OriginCountries.AddRange(c.OriginCountries);
        return wire;
    }

    private static Anomaly ToWire(AnomalyFinding f)
    {
        var wire = new Anomaly
        {
            Kind = f.Kind switch
            {
                DomainAnomalyKind.PriceOutlierIssuer => WireAnomalyKind.PriceOutlierIssuer,
                DomainAnomalyKind.PriceOutlierOrigin => WireAnomalyKind.PriceOutlierOrigin,
                DomainAnomalyKind.NonProducerOrigin => WireAnomalyKind.NonProducerOrigin,
                DomainAnomalyKind.ExportJump => WireAnomalyKind.ExportJump,
                _ => throw new ArgumentOutOfRangeException(nameof(f), f.Kind, null),
            },
            IssuingParticipant = f.IssuingParticipant,
            CertificateNumber = f.CertificateNumber,
            Partner = f.Partner,
            OriginCountry = f.OriginCountry,
            Reason = f.Reason,
            UsdCentsPerCarat = (ulong)f.CentsPerCarat,
            MedianUsdCentsPerCarat = (ulong)f.MedianCentsPerCarat,
            MadUsdCentsPerCarat = (ulong)f.MadCentsPerCarat,
            RobustScoreMilli = (ulong)f.ScoreMilli,
            GroupSize = (uint)f.GroupSize,
        };
        if (f.Current is { } now)
        {
            wire.Current = Figures(now.CaratsHundredths, now.ValueUsdCents, now.Certificates);
        }
        if (f.Previous is { } then)
        {
            wire.Previous = Figures(then.CaratsHundredths, then.ValueUsdCents, then.Certificates);
        }
        return wire;
    }
}
