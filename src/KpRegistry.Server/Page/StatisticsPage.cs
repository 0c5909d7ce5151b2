using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KpRegistry.Contracts.Statistics.V1;
using KpRegistry.Domain.Statistics;
using KpRegistry.Reports;
using KpRegistry.Server.Application;
using KpRegistry.Server.Security;

namespace KpRegistry.Server.Page;

/// <summary>
/// The public statistics page (issue 14, docs/STATISTICS.md): <c>GET /statistics?period=2026-H2</c>
/// answers the figures an anonymous GetTradeStatistics returns, rendered as HTML and SVG by the
/// renderer of <c>kpreg statistics report</c>. No script at all: the period is chosen through a
/// plain GET form. The caller is always anonymous (a client certificate sees nothing more here),
/// and the request counts under the anonymous rate limit like every other path.
/// </summary>
public static class StatisticsPage
{
    public const string Path = "/statistics";

    /// <summary>The RPC whose access rule the page follows: it shows what that call shows anyone.</summary>
    private const string Method = "kp.statistics.v1.Statistics/GetTradeStatistics";

    private static readonly StatisticsPageLinks Links = new(Path, "/");

    /// <summary>
    /// Nothing runs and nothing loads: no script, no frame, no plugin; the one inline stylesheet is
    /// allowed by its hash, so an injected style or script would not apply either.
    /// </summary>
    private static readonly string ContentSecurityPolicy =
        "default-src 'none'; style-src '" + StyleHash() + "'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static void MapEndpoints(WebApplication app) =>
        app.MapGet(Path, (Delegate)RenderAsync);

    private static async Task<IResult> RenderAsync(HttpContext context, StatisticsService statistics, TimeProvider time)
    {
        SetHeaders(context.Response);
        if (AccessTable.Find(Method) is not { Who: Access.Public })
        {
            // The page is the anonymous face of GetTradeStatistics; if that call stops being public, so does the page.
            return Html(StatusCodes.Status403Forbidden, StatisticsReport.ErrorPage("", "Trade statistics are not public on this registry.", Links));
        }

        var values = context.Request.Query["period"];
        string text = values.Count == 0 ? "" : values[0] ?? "";
        if (values.Count > 1)
        {
            return Html(StatusCodes.Status400BadRequest, StatisticsReport.ErrorPage("", "Give one period, not several.", Links));
        }
        text = text.Trim();
        string error = "";
        StatisticsPeriod? period = text.Length == 0 ? CurrentHalfYear(time) : StatisticsPeriod.TryParse(text, out error);
        if (period is null)
        {
            // The form keeps what was typed when it could be a period's length; the message echoes at most 20 characters of it.
            return Html(StatusCodes.Status400BadRequest, StatisticsReport.ErrorPage(text.Length <= 7 ? text : "", error, Links));
        }

        GetTradeStatisticsResponse trade = await statistics.GetTradeStatisticsAsync(Caller.Anonymous, period, null, includeCertificates: false, context.RequestAborted);
        return Html(StatusCodes.Status200OK, StatisticsReport.PublicPage(trade, $"{context.Request.Scheme}://{context.Request.Host}/", Links));
    }

    /// <summary>The half-year the server's clock is in: the default period.</summary>
    public static StatisticsPeriod CurrentHalfYear(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        DateTime now = time.GetUtcNow().UtcDateTime;
        return StatisticsPeriod.Parse(now.Year.ToString("D4", CultureInfo.InvariantCulture) + (now.Month <= 6 ? "-H1" : "-H2"));
    }

    private static IResult Html(int status, string html) => Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);

    private static void SetHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=()";
        headers.CacheControl = "no-cache";
    }

    private static string StyleHash() =>
        "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(StatisticsReport.Style)));
}
