using System.Collections.Concurrent;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>
/// Each bot's request rate against its own baseline: requests are counted in 10-second buckets, each closed bucket
/// moves an exponential average (about three minutes' memory), and once a bot has five minutes of history a bucket
/// holding more than <c>RequestRateFactor</c> times the average (and more than the minimum rate) is reported
/// <c>request_rate</c> (warning): a bot in a loop, or someone else driving its certificate. Per request: a dictionary
/// look-up and an uncontended lock.
/// </summary>
internal sealed class RequestRateDetector(Identity.BotActivity activity, AnomalySettings settings, AnomalyMonitor monitor) : ActivityDetector(activity)
{
    public const string Kind = "request_rate";
    public const int BucketSeconds = 10;

    /// <summary>Closed buckets before a bot's rate counts as its habit.</summary>
    public const int WarmUpBuckets = 30;

    private const double Smoothing = 0.05;

    // Idle gaps count as empty buckets, but only this many: a bot back after a night is judged against a quiet baseline, not a zero one.
    private const int MaxIdleBuckets = 60;
    private readonly ConcurrentDictionary<string, BotRate> _bots = new(StringComparer.Ordinal);

    internal override void Observe(string bot, DateTimeOffset at)
    {
        var state = _bots.GetOrAdd(bot, static _ => new BotRate());
        var bucket = at.ToUnixTimeSeconds() / BucketSeconds;
        var thresholds = settings.Current;
        string? evidence = null;
        lock (state)
        {
            if (state.Bucket != bucket)
            {
                state.Close(bucket);
            }

            state.Count++;
            var minimum = thresholds.RequestRateMinimumPerMinute * BucketSeconds / 60.0;
            if (!state.Reported && state.Closed >= WarmUpBuckets && state.Count > minimum && state.Count > thresholds.RequestRateFactor * state.Baseline)
            {
                state.Reported = true;
                evidence = $"{state.Count} requests in {BucketSeconds} s ({state.Count * 60 / BucketSeconds}/min), over {thresholds.RequestRateFactor}x its usual "
                    + $"{state.Baseline * 60 / BucketSeconds:0.#}/min";
            }
        }

        if (evidence is not null)
        {
            monitor.Report(Kind, AnomalySeverity.Warning, bot, null, evidence);
        }
    }

    private sealed class BotRate
    {
        public long Bucket { get; private set; } = -1;

        public int Count { get; set; }

        public double Baseline { get; private set; }

        public int Closed { get; private set; }

        public bool Reported { get; set; }

        public void Close(long next)
        {
            if (Bucket >= 0)
            {
                Add(Count);
                for (var idle = Math.Min(next - Bucket - 1, MaxIdleBuckets); idle > 0; idle--)
                {
                    Add(0);
                }
            }

            Bucket = next;
            Count = 0;
            Reported = false;
        }

        private void Add(int count)
        {
            Baseline = Closed == 0 ? count : Baseline + (Smoothing * (count - Baseline));
            Closed++;
        }
    }
}
