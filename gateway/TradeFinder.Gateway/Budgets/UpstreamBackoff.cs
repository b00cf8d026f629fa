using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using StackExchange.Redis;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Cluster;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Budgets;

/// <summary>
/// When an upstream answers 429 or 418, nothing more goes to it until its Retry-After (or the ban-until time
/// in a 418's message) has passed — for every bot, since the limit is the shared key's and IP's. Bans are
/// written to the data dir so a restart does not walk straight back into a banned IP. Replicas share one egress
/// budget, so with Redis a back-off seen by one is published to all (and kept in a key for replicas that start later).
/// </summary>
internal sealed partial class UpstreamBackoff
{
    private static readonly TimeSpan DefaultBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DefaultBan = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<TradingMode, DateTimeOffset> _until = new();
    private readonly TimeProvider _time;
    private readonly string _path;
    private const string Channel = "tf:backoff";

    // The later of the stored and the new end, so that a short back-off answered to one replica never shortens a ban
    // another replica recorded, for replicas that start later. KEYS: the mode's key. ARGV: the end (Unix ms), its lifetime (ms).
    private const string ExtendScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
        return 0
        """;

    private readonly Lock _gate = new();
    private readonly SharedRedis? _redis;

    public UpstreamBackoff(GatewayPaths paths, TimeProvider time, SharedRedis? redis = null)
    {
        _time = time;
        _path = paths.BackoffFile;
        _redis = redis;
        if (redis is not null)
        {
            Share(redis);
        }

        if (File.Exists(_path))
        {
            foreach (var (mode, until) in JsonSerializer.Deserialize(File.ReadAllText(_path), BudgetsJson.Default.DictionaryTradingModeDateTimeOffset) ?? [])
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

        Extend(mode, until);
        if (_redis is { Available: true } redis)
        {
            try
            {
                var untilMs = until.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                var lifetimeMs = Math.Max(1L, (long)(until - now).TotalMilliseconds);
                redis.Database.ScriptEvaluate(ExtendScript, [Key(mode)], [untilMs, lifetimeMs], CommandFlags.FireAndForget);
                redis.Subscriber.Publish(RedisChannel.Literal(Channel), mode.ToConfigValue() + "|" + untilMs, CommandFlags.FireAndForget);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                redis.Failed(e);
            }
        }

        if (status == 418)
        {
            lock (_gate)
            {
                SecureFiles.WriteAllText(_path, JsonSerializer.Serialize(_until.ToDictionary(e => e.Key, e => e.Value), BudgetsJson.Default.DictionaryTradingModeDateTimeOffset));
            }
        }

        return until;
    }

    private static string Key(TradingMode mode) => "tf:{" + mode.ToConfigValue() + "}:backoff";

    private void Extend(TradingMode mode, DateTimeOffset until) => _until.AddOrUpdate(mode, until, (_, existing) => existing > until ? existing : until);

    /// <summary>Back-offs other replicas publish from now on, and those already in force.</summary>
    private void Share(SharedRedis redis)
    {
        try
        {
            redis.Subscriber.Subscribe(RedisChannel.Literal(Channel), (_, message) =>
            {
                var text = (string?)message;
                var bar = text?.IndexOf('|', StringComparison.Ordinal) ?? -1;
                if (bar > 0 && TradingModes.TryParse(text![..bar], out var mode)
                    && long.TryParse(text.AsSpan(bar + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
                {
                    Extend(mode, DateTimeOffset.FromUnixTimeMilliseconds(ms));
                }
            });
            foreach (var mode in Enum.GetValues<TradingMode>())
            {
                if (long.TryParse((string?)redis.Database.StringGet(Key(mode)), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
                {
                    Extend(mode, DateTimeOffset.FromUnixTimeMilliseconds(ms));
                }
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Unreachable at start: the subscription is made again when the connection is; until then each replica sees its own answers.
            redis.Failed(e);
        }
    }

    [GeneratedRegex(@"banned until (\d{13})")]
    private static partial Regex BannedUntil();
}
