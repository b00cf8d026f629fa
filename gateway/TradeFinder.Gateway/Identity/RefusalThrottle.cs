namespace TradeFinder.Gateway.Identity;

/// <summary>
/// Bounds what a certificate the gateway will not serve (unknown, revoked, suspended) can make it do: per
/// certificate, the first <see cref="AnsweredPerWindow"/> refusals each second are answered and audited; the rest
/// close the connection at once, unanswered and only counted, the count joining the next audited refusal. Forcing a
/// new TLS handshake per attempt, with the per-certificate connection cap, keeps a looping client's cost on its side.
/// The number of certificates tracked is capped, so the table cannot grow without bound either.
/// </summary>
internal sealed class RefusalThrottle(TimeProvider time)
{
    public const int AnsweredPerWindow = 5;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private const int MaxSources = 4096;
    private const string Others = "(other certificates)";
    private readonly Dictionary<string, Source> _sources = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Whether to answer this refusal, and how many were closed unanswered since the last answered one.</summary>
    public (bool Answer, int SuppressedBefore) Check(string certificate)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_sources.TryGetValue(certificate, out var source))
            {
                if (_sources.Count >= MaxSources)
                {
                    foreach (var (key, stale) in _sources.Where(s => now - s.Value.WindowStart >= Window && s.Value.Suppressed == 0).ToList())
                    {
                        _sources.Remove(key);
                    }
                }

                if (_sources.Count >= MaxSources)
                {
                    certificate = Others;
                }

                if (!_sources.TryGetValue(certificate, out source))
                {
                    _sources[certificate] = source = new Source(now);
                }
            }

            if (now - source.WindowStart >= Window)
            {
                (source.WindowStart, source.Answered) = (now, 0);
            }

            if (source.Answered >= AnsweredPerWindow)
            {
                source.Suppressed++;
                return (false, 0);
            }

            source.Answered++;
            var suppressed = source.Suppressed;
            source.Suppressed = 0;
            return (true, suppressed);
        }
    }

    private sealed class Source(DateTimeOffset windowStart)
    {
        public DateTimeOffset WindowStart { get; set; } = windowStart;

        public int Answered { get; set; }

        public int Suppressed { get; set; }
    }
}
