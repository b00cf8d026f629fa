using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Anomalies;

/// <summary>
/// Each bot against its own history (online, in memory): an order far larger than the bot's usual size on the symbol
/// (over ten times the median of its last orders there, once it has a history), the first order on a symbol it never
/// traded (once it has a history elsewhere), and a leverage, margin-type or position-mode change made while it trades.
/// </summary>
internal sealed class OrderBehaviourDetector(GatewayMetrics metrics, AnomalyMonitor monitor) : IHostedService
{
    public const string OrderSize = "order_size";
    public const string NewSymbol = "new_symbol";
    public const string AccountSetting = "account_setting";

    /// <summary>Orders of history before a bot's sizes and symbols count as its habits.</summary>
    public const int History = 20;
    private const int Kept = 200;
    private const decimal OutlierFactor = 10m;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, Queue<decimal>>> _bots = new(StringComparer.Ordinal);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.OrderAccepted += Observe;
        metrics.AccountSettingChanged += Changed;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        metrics.OrderAccepted -= Observe;
        metrics.AccountSettingChanged -= Changed;
        return Task.CompletedTask;
    }

    /// <summary>
    /// A setting a bot changes once it trades (the symbol's, or the account's once it has any order) is reported: it
    /// moves what is already at stake, for every bot on the account. Setting up before trading is how bots start.
    /// </summary>
    private void Changed(string bot, string what, string? symbol, string? value)
    {
        lock (_gate)
        {
            if (!_bots.TryGetValue(bot, out var symbols) || (symbol is null ? symbols.Count == 0 : !symbols.ContainsKey(symbol)))
            {
                return;
            }
        }

        monitor.Report(AccountSetting, AnomalySeverity.Info, bot, null, $"{what} {symbol ?? "(account)"} set to {value ?? "?"} while trading");
    }

    private void Observe(string bot, string symbol, decimal quantity)
    {
        string? report = null;
        string kind = OrderSize;
        lock (_gate)
        {
            if (!_bots.TryGetValue(bot, out var symbols))
            {
                symbols = new Dictionary<string, Queue<decimal>>(StringComparer.Ordinal);
                _bots[bot] = symbols;
            }

            var total = symbols.Values.Sum(q => q.Count);
            if (!symbols.TryGetValue(symbol, out var sizes))
            {
                sizes = new Queue<decimal>();
                symbols[symbol] = sizes;
                if (total >= History)
                {
                    kind = NewSymbol;
                    report = $"first order on {symbol} after {total} orders on {string.Join(", ", symbols.Keys.Where(s => s != symbol).Order(StringComparer.Ordinal))}";
                }
            }
            else if (sizes.Count >= History)
            {
                var ordered = sizes.ToArray();
                Array.Sort(ordered);
                var median = ordered[ordered.Length / 2];
                if (median > 0 && quantity > OutlierFactor * median)
                {
                    report = $"{symbol} quantity {quantity} is {quantity / median:0.#}x the median {median} of its last {sizes.Count} orders there";
                }
            }

            sizes.Enqueue(quantity);
            if (sizes.Count > Kept)
            {
                sizes.Dequeue();
            }
        }

        if (report is not null)
        {
            monitor.Report(kind, kind == OrderSize ? AnomalySeverity.Warning : AnomalySeverity.Info, bot, null, report);
        }
    }
}
