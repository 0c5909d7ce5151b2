using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace KpRegistry.Server.Hosting;

/// <summary>
/// ASP.NET Core's rate limiter over every request: anonymous calls counted per client address,
/// state-changing calls per client certificate (<see cref="LimitsOptions"/>). Past either, the call is
/// RESOURCE_EXHAUSTED before any service code runs. Reads by a certificate holder are not counted:
/// they are known parties, and the verification hot path stays a dictionary look-up away from free.
/// </summary>
public static partial class RateLimits
{
    public static IServiceCollection AddRegistryRateLimits(this IServiceCollection services, LimitsOptions limits)
    {
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, limits));
            options.OnRejected = (rejected, _) => RejectAsync(rejected.HttpContext);
        });
        return services;
    }

    /// <summary>
    /// True for a call that changes the registry, as its row in <see cref="Security.AccessTable"/>
    /// says. A gRPC-shaped path ("/package.Service/Method") with no row (refused later anyway)
    /// counts as a change, so it is limited too; the page and the log's tiles are not calls.
    /// </summary>
    public static bool IsChange(PathString path)
    {
        string value = path.Value ?? "";
        if (Security.AccessTable.Find(value) is { } rule)
        {
            return rule.ChangesState;
        }
        int slash = value.LastIndexOf('/');
        return slash > 0 && value.IndexOf('/', 1) == slash && value.AsSpan(1, slash - 1).Contains('.');
    }

    private static RateLimitPartition<string> Partition(HttpContext context, LimitsOptions limits)
    {
        if (context.Connection.ClientCertificate is { } certificate)
        {
            return limits.ChangeCallsPerWindow > 0 && IsChange(context.Request.Path)
                ? RateLimitPartition.GetTokenBucketLimiter("change:" + certificate.Thumbprint, _ => Bucket(limits.ChangeCallsPerWindow, limits.RateWindow))
                : RateLimitPartition.GetNoLimiter("known");
        }
        if (limits.AnonymousCallsPerWindow <= 0)
        {
            return RateLimitPartition.GetNoLimiter("anonymous");
        }
        IPAddress? address = context.Connection.RemoteIpAddress;
        string key = address is null ? "?" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        return RateLimitPartition.GetTokenBucketLimiter("anonymous:" + key, _ => Bucket(limits.AnonymousCallsPerWindow, limits.RateWindow));
    }

    private static TokenBucketRateLimiterOptions Bucket(int permits, TimeSpan window) => new()
    {
        TokenLimit = permits,
        TokensPerPeriod = permits,
        ReplenishmentPeriod = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>A gRPC call gets RESOURCE_EXHAUSTED in a trailers-only response (as gRPC-Web, for the page); anything else HTTP 429.</summary>
    private static ValueTask RejectAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        string contentType = context.Request.ContentType ?? "";
        ILogger log = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits).FullName!);
        LogRejected(log, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "?");
        if (contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = contentType.StartsWith("application/grpc-web", StringComparison.OrdinalIgnoreCase) ? contentType : "application/grpc";
            response.Headers["grpc-status"] = "8"; // RESOURCE_EXHAUSTED
            response.Headers["grpc-message"] = Uri.EscapeDataString("Too many calls: the registry's rate limit for this client is reached; try again later.");
            return ValueTask.CompletedTask;
        }
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        return ValueTask.CompletedTask;
    }

    // Debug: a flood must not become a flood of the log; the count is in the rate limiter's own metrics.
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Rate limit reached: {Path} from {Address}")]
    private static partial void LogRejected(ILogger logger, string path, string address);
}
