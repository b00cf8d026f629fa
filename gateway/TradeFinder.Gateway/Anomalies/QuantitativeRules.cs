using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>
/// The exchange's Futures Trading Quantitative Rules per account and symbol over the past 10 minutes, from the account's
/// order events (every bot's, and any placed elsewhere): unfilled ratio (1 − executed / ordered base quantity), invalid
/// cancellations (GTC/GTX/GTD orders cancelled within 5 s), IOC/FOK expiries and dust orders (under $50). The exchange
/// restricts a symbol when a ratio reaches its ban level while the order count is over its recording threshold (UFR and
/// DR: 10,000 orders, UFR ≥ 0.99, DR ≥ 0.9; ICR and IFER: 5,000 orders of that kind, ≥ 0.99). This warns well before:
/// at <see cref="AnomaliesOptions.QuantitativeWarnFraction"/> of the count and ratios a little under the ban levels.
/// </summary>
internal sealed class QuantitativeRules(AnomalyMonitor monitor, IOptions<AnomaliesOptions> options, TimeProvider time) : IHostedService, IAsyncDisposable
{
    public const string Kind = "quantitative_rules";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private const decimal DustValue = 50m;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Account, string Symbol), Dictionary<long, Placed>> _orders = [];
    private static readonly TimeSpan EvaluateEvery = TimeSpan.FromSeconds(2);
    private ITimer? _timer;

    /// <summary>One order event of the account's user-data stream (the <c>o</c> object of ORDER_TRADE_UPDATE).</summary>
    public void Observe(string account, JsonElement o, Func<string, string?> botOf)
    {
        if (!o.TryGetProperty("i", out var idValue) || !idValue.TryGetInt64(out var id) || Text(o, "s") is not { } symbol)
        {
            return;
        }

        var now = time.GetUtcNow();
        var status = Text(o, "X");
        lock (_gate)
        {
            if (!_orders.TryGetValue((account, symbol), out var orders))
            {
                orders = [];
                _orders[(account, symbol)] = orders;
            }

            if (!orders.TryGetValue(id, out var placed))
            {
                if (Text(o, "x") != "NEW")
                {
                    return; // placed before the window we watch
                }

                var quantity = Number(o, "q");
                var price = Number(o, "p") is > 0 and var p ? p : Number(o, "ap");
                placed = new Placed(now, Text(o, "f") ?? "GTC", quantity, quantity * price < DustValue && price > 0, Text(o, "c") is { } c ? botOf(c) : null);
                orders[id] = placed;
            }

            placed.Executed = Number(o, "z");
            if (status == "CANCELED" && placed.CanceledAfter is null)
            {
                placed.CanceledAfter = now - placed.At;
            }
            else if (status == "EXPIRED")
            {
                placed.Expired = true;
            }

        }
    }

    // The windows are scanned on a timer, so an order event costs a dictionary update, not a scan.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => Evaluate(), null, EvaluateEvery, EvaluateEvery);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Checks every symbol's window now (every two seconds).</summary>
    public void Evaluate()
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var findings = new List<(string Account, string Evidence)>();
        lock (_gate)
        {
            foreach (var ((account, symbol), orders) in _orders)
            {
                foreach (var old in orders.Where(e => now - e.Value.At > Window).Select(e => e.Key).ToList())
                {
                    orders.Remove(old);
                }

                var all = orders.Values.ToList();
                double Scaled(int count) => count * o.QuantitativeWarnFraction * o.QuantitativeOrderCountScale;
                var ordered = all.Sum(p => p.Quantity);
                var unfilled = ordered == 0 ? 0 : 1 - (double)(all.Sum(p => p.Executed) / ordered);
                var resting = all.Where(p => p.TimeInForce is "GTC" or "GTX" or "GTD").ToList();
                var invalid = resting.Count == 0 ? 0 : resting.Count(p => p.CanceledAfter < TimeSpan.FromSeconds(5)) / (double)resting.Count;
                var immediate = all.Where(p => p.TimeInForce is "IOC" or "FOK").ToList();
                var expired = immediate.Count == 0 ? 0 : immediate.Count(p => p.Expired) / (double)immediate.Count;
                var dust = all.Count == 0 ? 0 : all.Count(p => p.Dust) / (double)all.Count;
                var top = all.Where(p => p.Bot is not null).GroupBy(p => p.Bot).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key;
                string Tail(int count) => $" over {count} orders on {symbol} in 10 min (the exchange restricts the symbol from {{0}}){(top is null ? "" : $"; most orders from bot {top}")}";
                if (all.Count >= Scaled(10_000) && unfilled >= 0.95)
                {
                    findings.Add((account, string.Format(CultureInfo.InvariantCulture, $"unfilled ratio {unfilled:0.###}" + Tail(all.Count), "UFR 0.99 at 10,000 orders")));
                }

                if (resting.Count >= Scaled(5_000) && invalid >= 0.95)
                {
                    findings.Add((account, string.Format(CultureInfo.InvariantCulture, $"invalid cancellation ratio {invalid:0.###} (cancelled within 5 s)" + Tail(resting.Count), "0.99 at 5,000 GTC/GTX/GTD orders")));
                }

                if (immediate.Count >= Scaled(5_000) && expired >= 0.95)
                {
                    findings.Add((account, string.Format(CultureInfo.InvariantCulture, $"IOC/FOK expire ratio {expired:0.###}" + Tail(immediate.Count), "0.99 at 5,000 IOC/FOK orders")));
                }

                if (all.Count >= Scaled(10_000) && dust >= 0.8)
                {
                    findings.Add((account, string.Format(CultureInfo.InvariantCulture, $"dust ratio {dust:0.###} (orders under ${DustValue})" + Tail(all.Count), "DR 0.9 at 10,000 orders")));
                }
            }
        }

        foreach (var (account, evidence) in findings)
        {
            monitor.Report(Kind, AnomalySeverity.Warning, null, account, evidence);
        }
    }

    private static string? Text(JsonElement o, string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal Number(JsonElement o, string name) =>
        decimal.TryParse(Text(o, name), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : 0m;

    private sealed class Placed(DateTimeOffset at, string timeInForce, decimal quantity, bool dust, string? bot)
    {
        public DateTimeOffset At { get; } = at;

        public string TimeInForce { get; } = timeInForce;

        public decimal Quantity { get; } = quantity;

        public bool Dust { get; } = dust;

        public string? Bot { get; } = bot;

        public decimal Executed { get; set; }

        public TimeSpan? CanceledAfter { get; set; }

        public bool Expired { get; set; }
    }
}
