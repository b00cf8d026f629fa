using System.Globalization;
using System.Text.RegularExpressions;
using TradeFinder.Contracts.Errors;
using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Faults;

/// <summary>Applies the configured faults before (or, for AcceptThenTimeout, after) the exchange handles a request.</summary>
internal sealed class FaultInjector(IEnumerable<FaultRule> initial, int seed, TimeProvider time)
{
    private static readonly TimeSpan Forever = TimeSpan.FromMinutes(10);
    private readonly Lock _gate = new();
    private readonly List<Entry> _rules = [.. initial.Select(r => new Entry(r))];
    private readonly Random _random = new(seed);

    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return [.. _rules.Select(e => e.Rule with { Count = e.Remaining })];
            }
        }
    }

    public void Add(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Add(new Entry(rule));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var rule = Match(context.Request.Method, context.Request.Path.Value ?? "/");
        if (rule is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var aborted = context.RequestAborted;
        switch (rule.Kind)
        {
            case FaultKind.Latency:
                await Task.Delay(TimeSpan.FromMilliseconds(rule.LatencyMs), time, aborted).ConfigureAwait(false);
                await next(context).ConfigureAwait(false);
                return;
            case FaultKind.Reset:
                context.Abort();
                return;
            case FaultKind.Timeout:
                await HangAsync(context).ConfigureAwait(false);
                return;
            case FaultKind.AcceptThenTimeout:
                var original = context.Response.Body;
                context.Response.Body = Stream.Null;
                await next(context).ConfigureAwait(false);
                context.Response.Body = original;
                await HangAsync(context).ConfigureAwait(false);
                return;
            case FaultKind.RateLimit:
                context.Response.Headers.RetryAfter = rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await Write(context, 429, -1003, rule.Message ?? "Too many requests; current limit of IP request weight per minute is exceeded.").ConfigureAwait(false);
                return;
            case FaultKind.Ban:
                var until = time.GetUtcNow().AddSeconds(rule.RetryAfterSeconds).ToUnixTimeMilliseconds();
                context.Response.Headers.RetryAfter = rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await Write(context, 418, -1003, rule.Message ?? $"Way too many requests; IP banned until {until.ToString(CultureInfo.InvariantCulture)}.").ConfigureAwait(false);
                return;
            case FaultKind.Status:
                await Write(context, rule.Status, rule.Code, rule.Message ?? (rule.Status == 503 ? "Service Unavailable." : "Internal error; unable to process your request. Please try again.")).ConfigureAwait(false);
                return;
            default:
                await Write(context, rule.Status == 503 ? 400 : rule.Status, rule.Code, rule.Message ?? DefaultMessage(rule.Code)).ConfigureAwait(false);
                return;
        }
    }

    private async Task HangAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Forever, time, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        context.Abort();
    }

    private static string DefaultMessage(int code) => code switch
    {
        ExchangeErrorCodes.InvalidTimestamp => "Timestamp for this request is outside of the recvWindow.",
        -1007 => "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
        -1008 => "Request throttled by system-level protection. Reduce-only/close-position orders are exempt. Please try again.",
        _ => "Internal error; unable to process your request. Please try again.",
    };

    private static Task Write(HttpContext context, int status, int code, string message) =>
        ExchangeResults.Error(code, message, status).ExecuteAsync(context);

    private FaultRule? Match(string method, string path)
    {
        lock (_gate)
        {
            foreach (var entry in _rules)
            {
                if (entry.Remaining is 0 || (entry.Rule.Method is not null && !entry.Rule.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
                    || !entry.Pattern.IsMatch(path) || _random.NextDouble() >= entry.Rule.Probability)
                {
                    continue;
                }

                if (entry.Remaining is not null)
                {
                    entry.Remaining--;
                }

                return entry.Rule;
            }

            return null;
        }
    }

    private sealed class Entry(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;

        public int? Remaining { get; set; } = rule.Count;

        public Regex Pattern { get; } = new("^" + Regex.Escape(rule.PathPattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
    }
}
