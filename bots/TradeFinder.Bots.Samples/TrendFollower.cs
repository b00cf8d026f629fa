using TradeFinder.Bots.Client;
using TradeFinder.Bots.Client.Models;

namespace TradeFinder.Bots.Samples;

/// <summary>
/// Moving-average crossover on the mark price: when the fast average crosses above the slow one it buys at
/// market on isolated margin and protects the position with a stop (a conditional STOP_MARKET that closes
/// the position); when it crosses back below, it cancels the stop and closes the position.
/// </summary>
internal sealed class TrendFollower(IGatewayClient client, BotOptions options, ILogger<TrendFollower> logger) : Strategy(client, options, logger)
{
    private readonly Queue<decimal> _prices = new();
    private bool? _fastWasAbove;

    public override string Name => "trend";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        await Client.SetMarginTypeAsync(Options.Symbol, MarginType.Isolated, cancellationToken).ConfigureAwait(false);
        await Client.SetLeverageAsync(Options.Symbol, Options.Leverage, cancellationToken).ConfigureAwait(false);
        BotLog.Starting(Logger, Name, Options.Symbol, $"fast {Options.FastPeriod}, slow {Options.SlowPeriod}, stop {Options.StopPercent}%, {Options.Leverage}x isolated, size {Options.Quantity}");
    }

    public override async Task StepAsync(CancellationToken cancellationToken)
    {
        var price = (await Client.GetMarkPriceAsync(Options.Symbol, cancellationToken).ConfigureAwait(false)).Price;
        _prices.Enqueue(price);
        while (_prices.Count > Options.SlowPeriod)
        {
            _prices.Dequeue();
        }

        if (_prices.Count == Options.SlowPeriod)
        {
            var fast = _prices.Skip(Options.SlowPeriod - Options.FastPeriod).Average();
            var slow = _prices.Average();
            var fastAbove = fast > slow;
            var position = (await Client.GetPositionsAsync(Options.Symbol, cancellationToken).ConfigureAwait(false)).Sum(p => p.Quantity);
            if (fastAbove && _fastWasAbove == false && position == 0)
            {
                await OpenLongAsync(price, fast, slow, cancellationToken).ConfigureAwait(false);
            }
            else if (!fastAbove && _fastWasAbove == true && position > 0)
            {
                await CloseLongAsync(price, position, fast, slow, cancellationToken).ConfigureAwait(false);
            }

            _fastWasAbove = fastAbove;
        }

        await ReportAsync(price, cancellationToken).ConfigureAwait(false);
    }

    private async Task OpenLongAsync(decimal price, decimal fast, decimal slow, CancellationToken cancellationToken)
    {
        BotLog.Decision(Logger, Name, Options.Symbol, "open long", price, $"fast {fast:0.####} crossed above slow {slow:0.####}");
        await Client.PlaceOrderAsync(new NewOrder(Options.Symbol, OrderSide.Buy, OrderType.Market) { Quantity = Options.Quantity }, cancellationToken).ConfigureAwait(false);
        var stop = PriceBelow(price * (1 - (Options.StopPercent / 100m)));
        await Client.PlaceAlgoOrderAsync(new NewAlgoOrder(Options.Symbol, OrderSide.Sell, OrderType.StopMarket, stop)
        {
            ClosePosition = true,
            WorkingType = WorkingType.MarkPrice,
        }, cancellationToken).ConfigureAwait(false);
        BotLog.Decision(Logger, Name, Options.Symbol, "protective stop", stop, $"{Options.StopPercent}% below entry, closes the position");
    }

    private async Task CloseLongAsync(decimal price, decimal position, decimal fast, decimal slow, CancellationToken cancellationToken)
    {
        BotLog.Decision(Logger, Name, Options.Symbol, "close long", price, $"fast {fast:0.####} crossed below slow {slow:0.####}");
        foreach (var stop in await Client.GetOpenAlgoOrdersAsync(Options.Symbol, cancellationToken).ConfigureAwait(false))
        {
            await Client.CancelAlgoOrderAsync(stop.ClientAlgoId, cancellationToken).ConfigureAwait(false);
        }

        await Client.PlaceOrderAsync(new NewOrder(Options.Symbol, OrderSide.Sell, OrderType.Market) { Quantity = position, ReduceOnly = true }, cancellationToken).ConfigureAwait(false);
    }
}
