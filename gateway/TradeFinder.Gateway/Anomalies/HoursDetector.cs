namespace TradeFinder.Gateway.Anomalies;

/// <summary>
/// Each bot's hours of activity (UTC hour of day, in memory): once a bot has a history, a request in an hour it has
/// (almost) never been active in is reported <c>unusual_hour</c> (info): a bot started by someone else, or a stolen
/// certificate used while its owner sleeps.
/// </summary>
internal sealed class HoursDetector(Identity.BotActivity activity, AnomalyMonitor monitor) : ActivityDetector(activity)
{
    public const string Kind = "unusual_hour";

    /// <summary>Requests before a bot's hours count as its habits.</summary>
    public const int History = 1000;
    private const double Rare = 0.001;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long[]> _hours = new(StringComparer.Ordinal);

    internal override void Observe(string bot, DateTimeOffset at)
    {
        var hour = at.UtcDateTime.Hour;
        long before, total;
        lock (_gate)
        {
            if (!_hours.TryGetValue(bot, out var counts))
            {
                counts = new long[24];
                _hours[bot] = counts;
            }

            before = counts[hour];
            total = counts.Sum();
            counts[hour]++;
        }

        if (total >= History && before < total * Rare)
        {
            monitor.Report(Kind, AnomalySeverity.Info, bot, null, $"active at {hour:00}:00 UTC, an hour with {before} of its {total} requests so far");
        }
    }
}
