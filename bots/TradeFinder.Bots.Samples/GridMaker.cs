using TradeFinder.Bots.Client;
using TradeFinder.Bots.Client.Models;

namespace TradeFinder.Bots.Samples;

/// <summary>
/// A post-only grid in hedge mode: <c>Levels</c> BUY/LONG orders below the bid and SELL/SHORT orders above the
/// ask, <c>SpacingPercent</c> apart, every one post-only (GTX) so it only ever makes liquidity. A filled leg is
/// taken profit on one spacing away, again post-only. Each step re-centres the grid on the book.
/// </summary>
internal sealed class GridMaker(IGatewayClient client, BotOptions options, ILogger<GridMaker> logger) : Strategy(client, options, logger)
{
    public override string Name => "grid";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        await Client.SetHedgeModeAsync(true, cancellationToken).ConfigureAwait(false);
        BotLog.Starting(Logger, Name, Options.Symbol, $"{Options.Levels} levels per side, {Options.SpacingPercent}% apart, size {Options.Quantity}, hedge mode, post-only");
    }

    public override async Task StepAsync(CancellationToken cancellationToken)
    {
        var book = await Client.GetOrderBookAsync(Options.Symbol, 5, cancellationToken).ConfigureAwait(false);
        var (bid, ask) = (book.Bids[0].Price, book.Asks[0].Price);
        var spacing = Options.SpacingPercent / 100m;
        var positions = await Client.GetPositionsAsync(Options.Symbol, cancellationToken).ConfigureAwait(false);
        var longLeg = positions.FirstOrDefault(p => p.PositionSide == PositionSide.Long && p.Quantity != 0);
        var shortLeg = positions.FirstOrDefault(p => p.PositionSide == PositionSide.Short && p.Quantity != 0);

        var wanted = new List<(OrderSide Side, PositionSide Leg, decimal Price, decimal Quantity, string Why)>();
        for (var level = 1; level <= Options.Levels; level++)
        {
            wanted.Add((OrderSide.Buy, PositionSide.Long, PriceBelow(bid * (1 - (spacing * level))), Options.Quantity, $"grid buy {level}"));
            wanted.Add((OrderSide.Sell, PositionSide.Short, PriceAbove(ask * (1 + (spacing * level))), Options.Quantity, $"grid sell {level}"));
        }

        if (longLeg is not null)
        {
            wanted.Add((OrderSide.Sell, PositionSide.Long, PriceAbove(Math.Max(longLeg.EntryPrice * (1 + spacing), ask)), longLeg.Quantity, "take profit on long"));
        }

        if (shortLeg is not null)
        {
            wanted.Add((OrderSide.Buy, PositionSide.Short, PriceBelow(Math.Min(shortLeg.EntryPrice * (1 - spacing), bid)), -shortLeg.Quantity, "take profit on short"));
        }

        var open = await Client.GetOpenOrdersAsync(Options.Symbol, cancellationToken).ConfigureAwait(false);
        foreach (var order in open.Where(o => !wanted.Any(w => Same(o, w.Side, w.Leg, w.Price, w.Quantity))))
        {
            await Client.CancelOrderAsync(Options.Symbol, order.ClientOrderId, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (side, leg, price, quantity, why) in wanted.Where(w => !open.Any(o => Same(o, w.Side, w.Leg, w.Price, w.Quantity))))
        {
            try
            {
                await Client.PlaceOrderAsync(new NewOrder(Options.Symbol, side, OrderType.Limit)
                {
                    Quantity = quantity,
                    Price = price,
                    TimeInForce = TimeInForce.Gtx,
                    PositionSide = leg,
                }, cancellationToken).ConfigureAwait(false);
                BotLog.Decision(Logger, Name, Options.Symbol, $"{side} {leg} {quantity}", price, why);
            }
            catch (GatewayRejectedException ex) when (ex.Code == -5022)
            {
                // Post-only would have taken liquidity: the book moved; the next step re-centres.
                BotLog.Decision(Logger, Name, Options.Symbol, $"skip {side} {leg}", price, "post-only would take liquidity");
            }
        }

        await ReportAsync((bid + ask) / 2, cancellationToken).ConfigureAwait(false);
    }

    private static bool Same(Order order, OrderSide side, PositionSide leg, decimal price, decimal quantity) =>
        order.Side == side && order.PositionSide == leg && order.Price == price && order.Quantity - order.ExecutedQuantity == quantity;
}
