using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Budgets;

/// <summary>
/// When an upstream answers 429 or 418, nothing more goes to it until its Retry-After (or the ban-until time
/// in a 418's message) has passed — for every bot, since the limit is the shared key's and IP's. Bans are
/// written to the data dir so a restart does not walk straight back into a banned IP.
/// </summary>
internal sealed partial class UpstreamBackoff
{
    private static readonly TimeSpan DefaultBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DefaultBan = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<TradingMode, DateTimeOffset> _until = new();
    private readonly TimeProvider _time;
    private readonly string _path;
    private readonly Lock _gate = new();

    public UpstreamBackoff(GatewayPaths paths, TimeProvider time)
    {
        _time = time;
        _path = paths.BackoffFile;
        if (File.Exists(_path))
        {
            foreach (var (mode, until) in JsonSerializer.Deserialize<Dictionary<TradingMode, DateTimeOffset>>(File.ReadAllText(_path)) ?? [])
            {
                _until[mode] = until;
            }
        }
    }

    /// <summary>How long requests to this mode's upstream must still wait; zero when they may go.</summary>
    public TimeSpan Remaining(TradingMode mode) =>
        _until.TryGetValue(mode, out var until) && until > _time.GetUtcNow() ? until - _time.GetUtcNow() : TimeSpan.Zero;

    /// <summary>Records a 429/418 answer: Retry-After wins, then a "banned until" time in the message, then a default.</summary>
    public DateTimeOffset Record(TradingMode mode, int status, string? retryAfter, string? body)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset until;
        if (int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            until = now.AddSeconds(seconds);
        }
        else if (body is not null && BannedUntil().Match(body) is { Success: true } match
            && long.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var ms))
        {
            until = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
        else
        {
            until = now + (status == 418 ? DefaultBan : DefaultBackoff);
        }

        _until.AddOrUpdate(mode, until, (_, existing) => existing > until ? existing : until);
        if (status == 418)
        {
            lock (_gate)
            {
                SecureFiles.WriteAllText(_path, JsonSerializer.Serialize(_until.ToDictionary(e => e.Key, e => e.Value)));
            }
        }

        return until;
    }

    [GeneratedRegex(@"banned until (\d{13})")]
    private static partial Regex BannedUntil();
}
