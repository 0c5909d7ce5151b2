using KpRegistry.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KpRegistry.Server.Hosting;

/// <summary>SERVING while the database answers.</summary>
public sealed class DatabaseHealthCheck(RegistryDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database does not answer.");
}
