using System.Globalization;
using System.Net;
using System.Text;
using KpRegistry.Contracts.Statistics.V1;

namespace KpRegistry.Reports;

/// <summary>
/// The statistics report (issue 14) as ONE self-contained HTML file: inline CSS, hand-made SVG
/// charts, no script and no external resource, so it opens offline, prints, and can be mailed to
/// a Working Group as it is. Hand-made rather than ScottPlot or OxyPlot: the charts are bars and
/// one reference line, a library would add a native rendering stack (SkiaSharp for ScottPlot) or
/// produce raster images, and SVG text stays selectable, searchable and accessible (each chart
/// has a title and a description, and every figure is also in a table). Also the CSV form.
/// </summary>
public static class StatisticsReport
{
    private const int Width = 760;
    private const int LabelWidth = 70;
    private const int BarHeight = 14;

    /// <summary>
    /// The one stylesheet of the report and the page, inline in their head: the page's
    /// Content-Security-Policy allows exactly this text by its SHA-256 (<see cref="StyleElement"/>).
    /// </summary>
    public const string Style =
        "\nbody{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}\n"
        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.25em .5em;text-align:right}\n"
        + "td:first-child,th:first-child{text-align:left}svg{display:block;margin:1em 0}\n.note{color:#555}\n"
        + "form{margin:1em 0}input{font:inherit;width:7em}button{font:inherit}.error{color:#b00;font-weight:bold}\n";

    private const string StyleElement = "<style>" + Style + "</style>\n";

    /// <summary>The report; <paramref name="reconcile"/> and <paramref name="anomalies"/> are null when the caller may not see them.</summary>
    public static string Html(GetTradeStatisticsResponse trade, ReconcileResponse? reconcile, ListAnomaliesResponse? anomalies, string source)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var html = new StringBuilder();
        Head(html, "KP trade statistics " + trade.Period);
        html.Append("<h1>Kimberley Process trade statistics, ").Append(E(trade.Period)).Append("</h1>\n");
        Body(html, trade, reconcile, anomalies, source, page: false);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// The registry's public statistics page (<c>GET /statistics</c>): the public figures only, the
    /// period chosen through a plain GET form (no script), and a link back to the verification page.
    /// Reconciliation, anomalies and per-certificate figures are never on it, whatever
    /// <paramref name="trade"/> holds.
    /// </summary>
    public static string PublicPage(GetTradeStatisticsResponse trade, string source, StatisticsPageLinks links)
    {
        ArgumentNullException.ThrowIfNull(trade);
        ArgumentNullException.ThrowIfNull(links);
        var html = new StringBuilder();
        Head(html, "KP trade statistics " + trade.Period);
        PageTop(html, "Kimberley Process trade statistics, " + trade.Period, trade.Period, links);
        html.Append("<main>\n");
        var figures = trade.Clone();
        figures.Certificates.Clear();
        figures.CertificatesTruncated = false;
        Body(html, figures, null, null, source, page: true);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The page for a period that is not one (the server answers it with 400): what is wrong, and the form to try again.</summary>
    public static string ErrorPage(string period, string message, StatisticsPageLinks links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var html = new StringBuilder();
        Head(html, "KP trade statistics: not a period");
        PageTop(html, "Kimberley Process trade statistics", period, links);
        html.Append("<main>\n<p class=\"error\" role=\"alert\">").Append(E(message)).Append("</p>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Head(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n")
            .Append(StyleElement).Append("</head>\n<body>\n");

    private static void PageTop(StringBuilder html, string heading, string period, StatisticsPageLinks links) =>
        html.Append("<header>\n<h1>").Append(E(heading)).Append("</h1>\n")
            .Append("<nav aria-label=\"Registry\"><a href=\"").Append(E(links.Home)).Append("\">Verify a certificate</a></nav>\n")
            .Append("<form method=\"get\" action=\"").Append(E(links.Statistics)).Append("\">\n")
            .Append("<label for=\"period\">Period</label>\n")
            .Append("<input id=\"period\" name=\"period\" value=\"").Append(E(period)).Append("\" maxlength=\"7\" aria-describedby=\"period-help\">\n")
            .Append("<button type=\"submit\">Show</button>\n")
            .Append("<p id=\"period-help\" class=\"note\">A year (2026), a half-year (2026-H2) or a quarter (2026-Q3).</p>\n")
            .Append("</form>\n</header>\n");

    private static void Body(StringBuilder html, GetTradeStatisticsResponse trade, ReconcileResponse? reconcile, ListAnomaliesResponse? anomalies, string source, bool page)
    {
        html.Append("<p class=\"note\">Certificates issued ").Append(E(trade.FirstDay)).Append(" to ").Append(E(trade.LastDay))
            .Append(", as recorded by the registry (").Append(E(source)).Append("). Cancelled, replaced and refused certificates are not counted. ")
            .Append("Carats and US dollars as the certificates state them.</p>\n");

        html.Append("<h2>World</h2>\n<p>").Append(Count(trade.World.Certificates)).Append(" certificates, ").Append(Carats(trade.World.CaratsHundredths))
            .Append(" carats, US$").Append(Dollars(trade.World.ValueUsdCents)).Append(", US$").Append(Dollars(trade.World.UsdCentsPerCarat)).Append(" per carat.</p>\n");

        html.Append("<h2>Exports and imports by participant</h2>\n");
        html.Append(PairedBars("Value (US$)", "Exports and imports by participant, value in US dollars",
            trade.Participants.Select(p => (p.Participant, (double)p.Exports.ValueUsdCents / 100, (double)p.Imports.ValueUsdCents / 100)).ToList(), Dollars0));
        html.Append(PairedBars("Weight (carats)", "Exports and imports by participant, weight in carats",
            trade.Participants.Select(p => (p.Participant, (double)p.Exports.CaratsHundredths / 100, (double)p.Imports.CaratsHundredths / 100)).ToList(), Carats0));
        html.Append("<table>\n<tr><th>Participant</th><th>Exports (ct)</th><th>Exports (US$)</th><th>US$/ct</th><th>Certificates</th><th>Imports (ct)</th><th>Imports (US$)</th><th>US$/ct</th><th>Certificates</th></tr>\n");
        foreach (ParticipantTrade p in trade.Participants)
        {
            html.Append("<tr><td>").Append(E(p.Participant)).Append("</td>").Append(Cells(p.Exports)).Append(Cells(p.Imports)).Append("</tr>\n");
        }
        html.Append("</table>\n");

        var exporters = trade.Participants.Where(p => p.Exports.CaratsHundredths > 0).ToList();
        var (median, medianLabel) = MedianPrice(trade);
        html.Append("<h2>US dollars per carat by participant</h2>\n");
        html.Append(PriceBars(exporters.Select(p => (p.Participant, (double)p.Exports.UsdCentsPerCarat / 100)).ToList(), median, medianLabel));

        if (reconcile is not null)
        {
            html.Append("<h2>Reconciliation: exported against confirmed</h2>\n<p class=\"note\">As of ").Append(E(reconcile.AsOf))
                .Append(". Weight tolerance: ").Append(E(reconcile.Tolerance)).Append(".</p>\n");
            html.Append(ReconciliationBars(reconcile));
            html.Append("<table>\n<tr><th>Exporter → importer</th><th>Exported</th><th>Confirmed</th><th>Unconfirmed</th><th>Expired, never confirmed</th><th>Detained</th><th>Weight difference (ct)</th></tr>\n");
            foreach (PairReconciliation p in reconcile.Pairs)
            {
                html.Append("<tr><td>").Append(E(p.Exporter)).Append(" → ").Append(E(p.Importer)).Append("</td><td>").Append(Count(p.Exported.Certificates))
                    .Append("</td><td>").Append(Count(p.Confirmed.Certificates)).Append("</td><td>").Append(Numbers(p.Unconfirmed.Certificates, p.UnconfirmedCertificates))
                    .Append("</td><td>").Append(Numbers(p.ExpiredUnconfirmed.Certificates, p.ExpiredUnconfirmedCertificates))
                    .Append("</td><td>").Append(Numbers(p.Detained.Certificates, p.DetainedCertificates))
                    .Append("</td><td>").Append(SignedCarats(p.CaratsDifferenceHundredths)).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
            var differences = reconcile.Pairs.SelectMany(p => p.Differences.Select(d => (p, d))).ToList();
            if (differences.Count > 0)
            {
                html.Append("<h3>Weight differences</h3>\n<table>\n<tr><th>Certificate</th><th>Certified (ct)</th><th>Confirmed (ct)</th><th>Difference (ct)</th><th>Value of the difference (US$)</th></tr>\n");
                foreach (var (p, d) in differences)
                {
                    html.Append("<tr><td>").Append(E(p.Exporter)).Append(' ').Append(E(d.CertificateNumber)).Append("</td><td>").Append(Carats(d.CertifiedCaratsHundredths))
                        .Append("</td><td>").Append(Carats(d.ConfirmedCaratsHundredths)).Append("</td><td>").Append(SignedCarats(d.DifferenceHundredths))
                        .Append("</td><td>").Append(Dollars(d.ValueDifferenceUsdCents)).Append("</td></tr>\n");
                }
                html.Append("</table>\n");
            }
        }
        else if (page)
        {
            html.Append("<h2>Reconciliation and anomalies</h2>\n<p class=\"note\">Not public: reconciliation, anomalies and per-certificate figures are for admins and analysts (<code>kpreg statistics report --as analyst</code>).</p>\n");
        }
        else
        {
            html.Append("<h2>Reconciliation</h2>\n<p class=\"note\">Not included: reconciliation is for admins and analysts (run with --as analyst).</p>\n");
        }

        if (anomalies is not null)
        {
            html.Append("<h2>Anomalies (").Append(anomalies.Anomalies.Count).Append(")</h2>\n<p class=\"note\">Flags for a person, never refusals. ")
                .Append(anomalies.CertificatesExamined).Append(" certificates examined. Price rule: ").Append(E(anomalies.PriceRule)).Append(". Jump rule: ")
                .Append(E(anomalies.JumpRule)).Append(".</p>\n");
            html.Append("<table>\n<tr><th>Kind</th><th>Certificate or pair</th><th>Reason</th></tr>\n");
            var listed = trade.Certificates.Select(c => (c.IssuingParticipant, c.CertificateNumber)).ToHashSet();
            foreach (Anomaly a in anomalies.Anomalies)
            {
                string subject = a.CertificateNumber.Length == 0
                    ? E($"{a.IssuingParticipant} → {a.Partner}")
                    : listed.Contains((a.IssuingParticipant, a.CertificateNumber))
                        ? $"<a href=\"#{Anchor(a.IssuingParticipant, a.CertificateNumber)}\">{E(a.CertificateNumber)}</a>"
                        : E(a.CertificateNumber);
                html.Append("<tr><td>").Append(E(KindName(a.Kind))).Append("</td><td>").Append(subject).Append("</td><td>").Append(E(a.Reason)).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        else if (!page)
        {
            html.Append("<h2>Anomalies</h2>\n<p class=\"note\">Not included: anomalies are for admins and analysts (run with --as analyst).</p>\n");
        }

        if (trade.Certificates.Count > 0)
        {
            html.Append("<h2>Certificates</h2>\n");
            if (trade.CertificatesTruncated)
            {
                html.Append("<p class=\"note\">The first ").Append(trade.Certificates.Count).Append(" only.</p>\n");
            }
            html.Append("<table>\n<tr><th>Certificate</th><th>To</th><th>Issued</th><th>Carats</th><th>US$</th><th>US$/ct</th><th>Origin</th><th>State</th></tr>\n");
            foreach (CertificateFigures c in trade.Certificates)
            {
                html.Append("<tr id=\"").Append(Anchor(c.IssuingParticipant, c.CertificateNumber)).Append("\"><td>").Append(E(c.CertificateNumber)).Append("</td><td>")
                    .Append(E(c.DestinationParticipant)).Append("</td><td>").Append(E(c.DateOfIssue)).Append("</td><td>").Append(Carats(c.Figures.CaratsHundredths))
                    .Append("</td><td>").Append(Dollars(c.Figures.ValueUsdCents)).Append("</td><td>").Append(Dollars(c.Figures.UsdCentsPerCarat)).Append("</td><td>")
                    .Append(E(c.MixedOrigin ? "mixed " + string.Join(' ', c.OriginCountries) : string.Join(' ', c.OriginCountries))).Append("</td><td>")
                    .Append(E(c.State.ToString().ToUpperInvariant())).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
    }

    /// <summary>The same figures for a spreadsheet: one row per participant and direction, partner and HS code ("*" for the total).</summary>
    public static string Csv(GetTradeStatisticsResponse trade, ReconcileResponse? reconcile, ListAnomaliesResponse? anomalies)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var csv = new StringBuilder("section,period,participant,direction,partner,hs_code,certificates,carats,usd,usd_per_carat\n");
        void Row(string section, string participant, string direction, string partner, string hs, Figures f) =>
            csv.Append(section).Append(',').Append(trade.Period).Append(',').Append(participant).Append(',').Append(direction).Append(',').Append(partner).Append(',')
                .Append(hs).Append(',').Append(f.Certificates.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Plain(f.CaratsHundredths)).Append(',')
                .Append(Plain(f.ValueUsdCents)).Append(',').Append(Plain(f.UsdCentsPerCarat)).Append('\n');
        Row("world", "*", "*", "*", "*", trade.World);
        foreach (HsCodeFigures h in trade.WorldByHsCode)
        {
            Row("world", "*", "*", "*", h.HsCode, h.Figures);
        }
        foreach (ParticipantTrade p in trade.Participants)
        {
            Row("trade", p.Participant, "export", "*", "*", p.Exports);
            Row("trade", p.Participant, "import", "*", "*", p.Imports);
            foreach (PartnerFigures x in p.ExportsByPartner)
            {
                Row("trade", p.Participant, "export", x.Partner, "*", x.Figures);
            }
            foreach (PartnerFigures x in p.ImportsByPartner)
            {
                Row("trade", p.Participant, "import", x.Partner, "*", x.Figures);
            }
            foreach (HsCodeFigures x in p.ExportsByHsCode)
            {
                Row("trade", p.Participant, "export", "*", x.HsCode, x.Figures);
            }
            foreach (HsCodeFigures x in p.ImportsByHsCode)
            {
                Row("trade", p.Participant, "import", "*", x.HsCode, x.Figures);
            }
        }
        foreach (PairReconciliation r in reconcile?.Pairs ?? [])
        {
            Row("reconcile-exported", r.Exporter, "export", r.Importer, "*", r.Exported);
            Row("reconcile-confirmed", r.Exporter, "export", r.Importer, "*", r.Confirmed);
            Row("reconcile-unconfirmed", r.Exporter, "export", r.Importer, "*", r.Unconfirmed);
            Row("reconcile-expired", r.Exporter, "export", r.Importer, "*", r.ExpiredUnconfirmed);
            Row("reconcile-detained", r.Exporter, "export", r.Importer, "*", r.Detained);
        }
        if (anomalies is not null)
        {
            csv.Append("\nanomaly,period,kind,issuer,certificate,partner,origin,usd_per_carat,median_usd_per_carat,score,reason\n");
            foreach (Anomaly a in anomalies.Anomalies)
            {
                csv.Append("anomaly,").Append(anomalies.Period).Append(',').Append(KindName(a.Kind)).Append(',').Append(a.IssuingParticipant).Append(',')
                    .Append(a.CertificateNumber).Append(',').Append(a.Partner).Append(',').Append(a.OriginCountry).Append(',').Append(Plain(a.UsdCentsPerCarat)).Append(',')
                    .Append(Plain(a.MedianUsdCentsPerCarat)).Append(',').Append((a.RobustScoreMilli / 1000m).ToString("0.000", CultureInfo.InvariantCulture)).Append(',')
                    .Append(CsvText(a.Reason)).Append('\n');
            }
        }
        return csv.ToString();
    }

    public static string KindName(AnomalyKind kind) => kind switch
    {
        AnomalyKind.PriceOutlierIssuer => "price far from the issuer's median",
        AnomalyKind.PriceOutlierOrigin => "price far from the origin's median",
        AnomalyKind.NonProducerOrigin => "origin without production",
        AnomalyKind.ExportJump => "exports jumped",
        _ => kind.ToString(),
    };

    /// <summary>The median of certificate prices when the certificates are listed (analysts), else the median of the participants' export prices.</summary>
    private static (double Median, string Label) MedianPrice(GetTradeStatisticsResponse trade)
    {
        var certificates = trade.Certificates.Where(c => c.Figures.CaratsHundredths > 0).Select(c => (double)c.Figures.UsdCentsPerCarat / 100).ToList();
        if (certificates.Count > 0 && !trade.CertificatesTruncated)
        {
            return (Median(certificates), "world median of the certificates");
        }
        var participants = trade.Participants.Where(p => p.Exports.CaratsHundredths > 0).Select(p => (double)p.Exports.UsdCentsPerCarat / 100).ToList();
        return participants.Count == 0 ? (0, "no exports") : (Median(participants), "median of the participants' prices");
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static string PairedBars(string title, string description, IReadOnlyList<(string Label, double Exports, double Imports)> rows, Func<double, string> format)
    {
        double max = Math.Max(1, rows.Count == 0 ? 0 : rows.Max(r => Math.Max(r.Exports, r.Imports)));
        int plot = Width - LabelWidth - 130;
        int height = 40 + rows.Count * (2 * BarHeight + 8);
        var svg = Open(height, title, description);
        Legend(svg, 0, "Exports", "#1f6f8b");
        Legend(svg, 1, "Imports", "#e07b39");
        int y = 34;
        foreach (var (label, exports, imports) in rows)
        {
            svg.Append(Text(4, y + BarHeight + 2, label, "start"));
            Bar(svg, y, exports / max * plot, "#1f6f8b", format(exports));
            Bar(svg, y + BarHeight, imports / max * plot, "#e07b39", format(imports));
            y += 2 * BarHeight + 8;
        }
        return svg.Append("</svg>\n").ToString();
    }

    private static string PriceBars(IReadOnlyList<(string Label, double Price)> rows, double median, string medianLabel)
    {
        double max = Math.Max(1, Math.Max(median, rows.Count == 0 ? 0 : rows.Max(r => r.Price))) * 1.05;
        int plot = Width - LabelWidth - 130;
        int height = 40 + rows.Count * (BarHeight + 8);
        var svg = Open(height, "US dollars per carat", $"Export price per carat by participant against the {medianLabel}, US${median:N2}");
        int y = 34;
        foreach (var (label, price) in rows)
        {
            svg.Append(Text(4, y + BarHeight - 2, label, "start"));
            Bar(svg, y, price / max * plot, "#4b8b3b", "US$" + price.ToString("N2", CultureInfo.InvariantCulture));
            y += BarHeight + 8;
        }
        double x = LabelWidth + median / max * plot;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"28\" x2=\"{x:0.#}\" y2=\"{height - 4}\" stroke=\"#b00\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n");
        // Right of the line when there is room, else left of it: the label must not run off the chart's edge.
        bool room = x < Width / 2.0;
        svg.Append(Text(room ? x + 4 : x - 4, 24, $"{medianLabel}: US${median.ToString("N2", CultureInfo.InvariantCulture)}/ct", room ? "start" : "end", "#b00"));
        return svg.Append("</svg>\n").ToString();
    }

    private static string ReconciliationBars(ReconcileResponse reconcile)
    {
        var pairs = reconcile.Pairs;
        int plot = Width - LabelWidth - 130;
        int height = 40 + pairs.Count * (BarHeight + 8);
        var svg = Open(height, "Reconciliation by pair", "For each exporter and importer, the share of certificates received, detained, unconfirmed and expired without confirmation");
        (string Name, string Colour)[] parts = [("Received", "#1f6f8b"), ("Detained", "#b00"), ("Unconfirmed", "#e0b339"), ("Expired", "#777")];
        for (int i = 0; i < parts.Length; i++)
        {
            Legend(svg, i, parts[i].Name, parts[i].Colour);
        }
        int y = 34;
        foreach (PairReconciliation p in pairs)
        {
            double total = Math.Max(1, p.Exported.Certificates);
            double[] counts = [p.Confirmed.Certificates - p.Detained.Certificates, p.Detained.Certificates, p.Unconfirmed.Certificates, p.ExpiredUnconfirmed.Certificates];
            svg.Append(Text(4, y + BarHeight - 2, $"{p.Exporter}→{p.Importer}", "start"));
            double x = LabelWidth;
            for (int i = 0; i < counts.Length; i++)
            {
                double w = counts[i] / total * plot;
                if (w > 0)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y}\" width=\"{w:0.#}\" height=\"{BarHeight}\" fill=\"{parts[i].Colour}\"><title>{E(parts[i].Name)}: {counts[i]:0}</title></rect>\n");
                }
                x += w;
            }
            svg.Append(Text(x + 4, y + BarHeight - 2, $"{p.Confirmed.Certificates} of {p.Exported.Certificates} confirmed", "start"));
            y += BarHeight + 8;
        }
        return svg.Append("</svg>\n").ToString();
    }

    private static StringBuilder Open(int height, string title, string description) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n<desc>").Append(E(description)).Append("</desc>\n")
            .Append(Text(4, 14, title, "start", "#222", bold: true));

    private static void Legend(StringBuilder svg, int index, string name, string colour)
    {
        int x = 300 + index * 110;
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"5\" width=\"12\" height=\"12\" fill=\"{colour}\"/>\n");
        svg.Append(Text(x + 16, 15, name, "start"));
    }

    private static void Bar(StringBuilder svg, int y, double width, string colour, string label)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y}\" width=\"{Math.Max(0, width):0.#}\" height=\"{BarHeight - 2}\" fill=\"{colour}\"/>\n");
        svg.Append(Text(LabelWidth + Math.Max(0, width) + 4, y + BarHeight - 3, label, "start"));
    }

    private static string Text(double x, double y, string text, string anchor, string colour = "#222", bool bold = false) =>
        string.Create(CultureInfo.InvariantCulture,
            $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\" fill=\"{colour}\"{(bold ? " font-weight=\"bold\"" : "")}>{E(text)}</text>\n");

    private static string Cells(Figures f) =>
        $"<td>{Carats(f.CaratsHundredths)}</td><td>{Dollars(f.ValueUsdCents)}</td><td>{Dollars(f.UsdCentsPerCarat)}</td><td>{Count(f.Certificates)}</td>";

    private static string Numbers(ulong count, IEnumerable<string> numbers)
    {
        string listed = string.Join(", ", numbers);
        return listed.Length == 0 ? Count(count) : $"{Count(count)}<br><small>{E(listed)}</small>";
    }

    private static string Anchor(string issuer, string number) => "cert-" + WebUtility.UrlEncode(issuer + "-" + number).Replace('%', '_');

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Count(ulong n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Carats(ulong hundredths) => (hundredths / 100m).ToString("N2", CultureInfo.InvariantCulture);

    private static string SignedCarats(long hundredths) => (hundredths / 100m).ToString("N2", CultureInfo.InvariantCulture);

    private static string Dollars(ulong cents) => (cents / 100m).ToString("N2", CultureInfo.InvariantCulture);

    private static string Dollars0(double dollars) => "US$" + dollars.ToString("N0", CultureInfo.InvariantCulture);

    private static string Carats0(double carats) => carats.ToString("N0", CultureInfo.InvariantCulture) + " ct";

    private static string Plain(ulong hundredths) => (hundredths / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static string CsvText(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
