using System.Globalization;
using KpRegistry.Contracts.Certificate.V1;
using KpRegistry.Contracts.Common.V1;

namespace KpRegistry.Cli.Paper;

/// <summary>
/// The A4 page of a printed certificate, laid out like the paper KP certificate: title, number,
/// issuer and authority, every KPCS Annex I field, the lines and totals, the KP statement, the
/// validation (key ids) and the QR code. One layout for the PDF and the PNG.
/// </summary>
internal sealed class CertificateSheet
{
    public const double PageWidth = 595.28;
    public const double PageHeight = 841.89;

    private const double Margin = 36;
    private const double LabelWidth = 150;
    private const double BodySize = 8.5;
    private const double LineGap = 1.3;
    private const double QrSide = 200;

    /// <summary>Height kept below the HS table: the statement above the QR (its top is 594 points down), then the validation block beside it.</summary>
    private const double ReservedBelowLines = 270;

    /// <summary>Lines of the HS table shown before "n more"; the QR and the registry hold them all.</summary>
    private const int MaxLinesShown = 12;

    /// <summary>Wrapped text lines shown for a long list (seal ids, origins) before "n more".</summary>
    private const int MaxListTextLines = 3;

    private readonly Certificate _certificate;
    private readonly SignedEnvelope _envelope;
    private readonly QrSymbol _qr;
    private readonly bool _reference;
    private IPageCanvas _canvas = null!;
    private double _y;

    public CertificateSheet(Certificate certificate, SignedEnvelope envelope, QrSymbol qr, bool reference)
    {
        _certificate = certificate;
        _envelope = envelope;
        _qr = qr;
        _reference = reference;
    }

    public void Draw(IPageCanvas canvas)
    {
        _canvas = canvas;
        var c = _certificate;
        double right = PageWidth - Margin;
        canvas.Rectangle(Margin - 8, Margin - 8, PageWidth - 2 * (Margin - 8), PageHeight - 2 * (Margin - 8), 1.5);

        _y = Margin;
        Centered("KIMBERLEY PROCESS CERTIFICATE", 18, bold: true);
        Centered("Kimberley Process Certification Scheme for rough diamonds", 9, bold: false);
        _y += 6;
        Centered($"Certificate No. {c.CertificateNumber}", 13, bold: true);
        _y += 4;
        canvas.Line(Margin, _y, right, _y, 0.8);
        _y += 6;

        Field("Issuing participant", c.IssuingParticipant);
        Field("Issuing authority", c.IssuingAuthority);
        Field("Date of issue", c.DateOfIssue);
        Field("Date of expiry", c.DateOfExpiry);
        Party("Exporter", c.Exporter);
        Party("Importer", c.Importer);
        if (c.Consignee is not null && c.Consignee.Name.Length > 0)
            Party("Consignee", c.Consignee);
        else
            Field("Consignee", "none");
        Field("Destination participant", c.DestinationParticipant);
        Field("Country of origin", Origin(c.Origin));
        Field("Origin zone", c.OriginZone.Length == 0 ? "none" : c.OriginZone);
        Field("Number of parcels", c.NumberOfParcels.ToString(CultureInfo.InvariantCulture));
        Field("Seal / parcel ids", c.SealIds.Count == 0 ? "none" : string.Join(", ", c.SealIds), MaxListTextLines, $"{c.SealIds.Count} in all");
        Field("Transit countries", c.TransitCountries.Count == 0 ? "none" : string.Join(", ", c.TransitCountries), MaxListTextLines, $"{c.TransitCountries.Count} in all");
        _y += 4;
        Lines();
        _y += 6;

        canvas.Text("Statement", Margin, _y, BodySize, bold: true);
        _y += BodySize * LineGap;
        Paragraph(c.Statement.Length == 0 ? "(no statement)" : c.Statement, Margin, right - Margin, BodySize, maxLines: 3, more: "");
        _y += 6;
        canvas.Line(Margin, _y, right, _y, 0.8);
        _y += 6;

        Validation(right);
    }

    private void Validation(double right)
    {
        double qrX = right - QrSide;
        // Always in the bottom corner: the validation text runs beside it, never under it.
        double qrY = PageHeight - Margin - QrSide - 12;
        double top = _y;
        _canvas.Qr(_qr, qrX, qrY, QrSide);
        string caption = _reference
            ? "KP1R reference: verify online (kpreg verify --qr)"
            : "KP1 signed certificate: verify with kpreg verify --qr";
        _canvas.Text(caption, qrX, qrY + QrSide + 2, 6.5, bold: false);

        double textWidth = qrX - Margin - 12;
        _y = top;
        _canvas.Text("Validation", Margin, _y, BodySize, bold: true);
        _y += BodySize * LineGap;
        Paragraph($"Signed electronically by the issuing authority {_certificate.IssuingAuthority} of {_certificate.IssuingParticipant} with the key(s) registered in the Kimberley Process registry below.", Margin, textWidth, BodySize, 4, "");
        _y += 4;
        foreach (var signature in _envelope.Signatures)
        {
            _canvas.Text("Key id (SHA-256 of the public key):", Margin, _y, 7.5, bold: true);
            _y += 7.5 * LineGap;
            Paragraph(signature.KeyId, Margin, textWidth, 7.5, 2, "");
            _y += 3;
        }
        _y += 4;
        Paragraph(_reference
            ? "The QR code carries a reference (issuer, number, SHA-256 of the signed certificate): scan it to check this certificate against the registry's record."
            : "The QR code carries the signed certificate itself: scan it to check the signature and the registry's record, or offline against the registry's signed trust list.",
            Margin, textWidth, 7.5, 4, "");
    }

    private void Lines()
    {
        double x0 = Margin;
        double x2 = Margin + 330;
        double right = PageWidth - Margin;
        double row = BodySize * 1.6;
        _canvas.Line(x0, _y, right, _y, 0.5);
        _canvas.Text("HS code", x0 + 3, _y + 3, BodySize, bold: true);
        RightText("Carats", x2 - 6, _y + 3, BodySize, bold: true);
        RightText("Value (USD)", right - 3, _y + 3, BodySize, bold: true);
        _y += row;
        _canvas.Line(x0, _y, right, _y, 0.5);
        // Long parties and lists leave less room: the table gives way, so that the statement and the
        // validation block (beside the QR, which stays on the page) still fit.
        int room = (int)Math.Floor((PageHeight - Margin - ReservedBelowLines - _y) / row) - 2;
        int shown = Math.Min(_certificate.Lines.Count, Math.Clamp(room, 1, MaxLinesShown));
        for (int i = 0; i < shown; i++)
        {
            var line = _certificate.Lines[i];
            _canvas.Text(line.HsCode, x0 + 3, _y + 3, BodySize, bold: false);
            RightText(Carats(line.CaratsHundredths), x2 - 6, _y + 3, BodySize, bold: false);
            RightText(Usd(line.ValueUsdCents), right - 3, _y + 3, BodySize, bold: false);
            _y += row;
        }
        if (_certificate.Lines.Count > shown)
        {
            _canvas.Text($"... {_certificate.Lines.Count - shown} more lines (all are in the signed certificate)", x0 + 3, _y + 3, BodySize, bold: false);
            _y += row;
        }
        _canvas.Line(x0, _y, right, _y, 0.5);
        _canvas.Text("Total", x0 + 3, _y + 3, BodySize, bold: true);
        RightText(Carats(_certificate.TotalCaratsHundredths), x2 - 6, _y + 3, BodySize, bold: true);
        RightText(Usd(_certificate.TotalValueUsdCents), right - 3, _y + 3, BodySize, bold: true);
        _y += row;
        _canvas.Line(x0, _y, right, _y, 0.5);
    }

    private void Centered(string text, double size, bool bold)
    {
        double width = _canvas.TextWidth(text, size, bold);
        _canvas.Text(text, (PageWidth - width) / 2, _y, size, bold);
        _y += size * LineGap;
    }

    private void RightText(string text, double right, double top, double size, bool bold) =>
        _canvas.Text(text, right - _canvas.TextWidth(text, size, bold), top, size, bold);

    private void Field(string label, string value, int maxLines = 4, string more = "")
    {
        _canvas.Text(label, Margin, _y, BodySize, bold: true);
        Paragraph(value.Length == 0 ? "-" : value, Margin + LabelWidth, PageWidth - 2 * Margin - LabelWidth, BodySize, maxLines, more);
        _y += 2;
    }

    private void Party(string label, Party? party)
    {
        if (party is null)
        {
            Field(label, "-");
            return;
        }
        var text = party.Name + "; " + party.Address;
        if (party.LicenceNumber.Length > 0)
            text += $"; licence {party.LicenceNumber}";
        Field(label, text);
    }

    /// <summary>Wraps <paramref name="text"/> into <paramref name="width"/>, at most <paramref name="maxLines"/> lines, the last one ending in "..." and <paramref name="more"/> when cut.</summary>
    private void Paragraph(string text, double x, double width, double size, int maxLines, string more)
    {
        var lines = Wrap(text, width, size);
        for (int i = 0; i < lines.Count && i < maxLines; i++)
        {
            var line = lines[i];
            if (i == maxLines - 1 && lines.Count > maxLines)
                line = more.Length > 0 && line.Length > 20 ? line[..^Math.Min(line.Length / 3, 24)] + $" ... ({more})" : line + " ...";
            _canvas.Text(line, x, _y, size, bold: false);
            _y += size * LineGap;
        }
    }

    private List<string> Wrap(string text, double width, double size)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (_canvas.TextWidth(candidate, size, false) <= width)
            {
                current = candidate;
                continue;
            }
            if (current.Length > 0)
                lines.Add(current);
            current = word;
            // A word longer than the width (a key id) is cut where it overflows.
            while (_canvas.TextWidth(current, size, false) > width && current.Length > 1)
            {
                int fit = current.Length - 1;
                while (fit > 1 && _canvas.TextWidth(current[..fit], size, false) > width)
                    fit--;
                lines.Add(current[..fit]);
                current = current[fit..];
            }
        }
        if (current.Length > 0 || lines.Count == 0)
            lines.Add(current);
        return lines;
    }

    private static string Origin(Origin? origin)
    {
        if (origin is null)
            return "-";
        var countries = string.Join(", ", origin.Countries);
        return origin.Mixed ? (countries.Length == 0 ? "mixed" : $"mixed: {countries}") : countries;
    }

    private static string Carats(ulong hundredths) =>
        (hundredths / 100).ToString("N0", CultureInfo.InvariantCulture) + "." + (hundredths % 100).ToString("00", CultureInfo.InvariantCulture) + " ct";

    private static string Usd(ulong cents) =>
        "USD " + (cents / 100).ToString("N0", CultureInfo.InvariantCulture) + "." + (cents % 100).ToString("00", CultureInfo.InvariantCulture);
}
