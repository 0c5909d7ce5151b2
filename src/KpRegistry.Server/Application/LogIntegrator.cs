using KpRegistry.Server.Hosting;

namespace KpRegistry.Server.Application;

/// <summary>
/// Follows the log table: integrates what was sequenced (by this instance or another) every
/// <see cref="LogOptions.PollInterval"/>, and publishes a checkpoint when the tree has grown, at
/// most once every <see cref="LogOptions.CheckpointInterval"/>; then asks the witnesses to cosign it.
/// </summary>
public sealed partial class LogIntegrator(TransparencyLog transparency, WitnessCollector witnesses, RegistryOptions options, TimeProvider time, ILogger<LogIntegrator> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset lastPublished = DateTimeOffset.MinValue;
        Task collecting = Task.CompletedTask;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Log.PollInterval, time, stoppingToken);
                await transparency.IntegrateAsync(stoppingToken);
                DateTimeOffset now = time.GetUtcNow();
                if (now - lastPublished >= options.Log.CheckpointInterval && await transparency.PublishAsync(force: false, stoppingToken))
                {
                    lastPublished = now;
                }
                // Witnesses are asked off this loop (one collection at a time), so a slow or
                // unreachable witness never holds up integrating and publishing.
                if (collecting.IsCompleted && transparency.Latest is { } latest)
                {
                    collecting = CollectAsync(latest, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A database or witness hiccup: the next round tries again.
                LogRoundFailed(log, e);
            }
        }
    }

    private async Task CollectAsync(PublishedCheckpoint latest, CancellationToken stoppingToken)
    {
        try
        {
            await witnesses.CollectAsync(latest, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogRoundFailed(log, e);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Transparency log round failed; retrying.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
