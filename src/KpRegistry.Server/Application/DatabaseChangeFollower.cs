using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Domain.Transparency;
using KpRegistry.Server.Hosting;
using KpRegistry.Storage;

namespace KpRegistry.Server.Application;

/// <summary>
/// Makes this instance follow changes that other instances over the same database commit, so
/// every instance gives the same answer within <see cref="RegistryOptions.ChangePollInterval"/>
/// (plus one reload). Each round reads the three change markers (<see cref="ChangeMarkers"/>):
/// when the registry version passed the view's, participants and keys are reloaded (a key revoked
/// elsewhere is refused here, and its opened private key is wiped); when the log grew, the
/// certificates its new entries name are read again (recorded, cancelled, replaced, confirmed,
/// detained elsewhere); when the revocation version grew, the WatchRevocations streams are woken,
/// after the view changed, so a watcher told of a revocation finds it applied here.
/// This instance's own changes already updated the view; the markers then match it and cost no reload
/// (but for certificate events, read again as they pass: rare, and correct either way).
/// </summary>
public sealed partial class DatabaseChangeFollower : BackgroundService
{
    /// <summary>Log entries read per query while catching up.</summary>
    private const int ReadBatch = 1000;

    private readonly RegistryStore _store;
    private readonly RegistryViewCache _cache;
    private readonly RevocationFeed _feed;
    private readonly TimeProvider _time;
    private readonly ILogger<DatabaseChangeFollower> _log;
    private readonly TimeSpan _interval;
    private long _logSize = -1;
    private long _revocationVersion;

    public DatabaseChangeFollower(RegistryStore store, RegistryViewCache cache, RevocationFeed feed, RegistryOptions options, TimeProvider time, ILogger<DatabaseChangeFollower> log)
    {
        if (options.ChangePollInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"KpRegistry:ChangePollInterval must be positive (it is {options.ChangePollInterval}).");
        }
        _store = store;
        _cache = cache;
        _feed = feed;
        _time = time;
        _log = log;
        _interval = options.ChangePollInterval;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        bool failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, _time, stoppingToken);
                await FollowAsync(stoppingToken);
                if (failing)
                {
                    failing = false;
                    LogRecovered(_log);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is away for a moment: the next round reads the same markers again,
                // so nothing is skipped. Said once per outage, not every round.
                if (!failing)
                {
                    failing = true;
                    LogRoundFailed(_log, StoreFaults.Describe(e) ?? e.GetType().Name, e);
                }
            }
        }
    }

    /// <summary>One round: read the markers and apply whatever moved. Public for tests that drive rounds themselves.</summary>
    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        if (_logSize < 0)
        {
            // From where the view was loaded: what committed since is applied by this first round.
            _logSize = _cache.LoadedMarkers.LogSize;
            _revocationVersion = _cache.LoadedMarkers.RevocationVersion;
        }
        ChangeMarkers markers = await _store.GetChangeMarkersAsync(cancellationToken);
        if (markers.RegistryVersion > _cache.Current.Version)
        {
            await _cache.ReloadRegistryAsync(cancellationToken);
            LogRegistryFollowed(_log, _cache.Current.Version);
        }
        if (markers.LogSize > _logSize)
        {
            await FollowLogAsync(markers.LogSize, cancellationToken);
        }
        if (markers.RevocationVersion > _revocationVersion)
        {
            _revocationVersion = markers.RevocationVersion;
            _feed.Publish();
        }
    }

    private async Task FollowLogAsync(long target, CancellationToken cancellationToken)
    {
        while (_logSize < target)
        {
            IReadOnlyList<StoredLogEntry> entries = await _store.ReadLogEntriesAsync(_logSize, ReadBatch, cancellationToken);
            var changed = new HashSet<(string, string)>();
            long next = _logSize;
            foreach (StoredLogEntry entry in entries)
            {
                if (entry.Index != next)
                {
                    break; // an index not yet visible: the next round goes on from it
                }
                next++;
                if (CertificateNamed(entry.Entry) is { } name)
                {
                    changed.Add(name);
                }
            }
            if (changed.Count > 0)
            {
                IReadOnlyList<Domain.Registry.CertificateRecordInfo> records = await _store.ReadCertificateRecordsAsync(changed, cancellationToken);
                foreach (Domain.Registry.CertificateRecordInfo record in records)
                {
                    _cache.Recorded(record);
                }
                LogCertificatesFollowed(_log, records.Count);
            }
            bool stalled = next == _logSize;
            _logSize = next;
            if (stalled || entries.Count < ReadBatch)
            {
                return;
            }
        }
    }

    /// <summary>The certificate an entry changes and that the view does not already show; null for entries of other subjects.</summary>
    private (string, string)? CertificateNamed(byte[] bytes)
    {
        LogEntry entry;
        try
        {
            entry = LogEntries.Parse(bytes);
        }
        catch (TransparencyFormatException)
        {
            return null;
        }
        switch (entry.SubjectCase)
        {
            case LogEntry.SubjectOneofCase.Certificate:
                var recorded = (entry.Certificate.IssuingParticipant, entry.Certificate.CertificateNumber);
                // A recording never changes a record already held (this instance's own issuing, mostly).
                return _cache.Current.FindCertificate(recorded.IssuingParticipant, recorded.CertificateNumber) is null ? recorded : null;
            case LogEntry.SubjectOneofCase.CertificateEvent:
                return (entry.CertificateEvent.IssuingParticipant, entry.CertificateEvent.CertificateNumber);
            default:
                return null;
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "Followed the database: participants and keys reloaded at registry version {Version}.")]
    private static partial void LogRegistryFollowed(ILogger logger, long version);

    [LoggerMessage(EventId = 31, Level = LogLevel.Debug, Message = "Followed the database: {Count} certificate records read again.")]
    private static partial void LogCertificatesFollowed(ILogger logger, int count);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Following the database's changes failed ({Fault}); retrying every interval until it answers.")]
    private static partial void LogRoundFailed(ILogger logger, string fault, Exception exception);

    [LoggerMessage(EventId = 33, Level = LogLevel.Information, Message = "Following the database's changes again.")]
    private static partial void LogRecovered(ILogger logger);
}
