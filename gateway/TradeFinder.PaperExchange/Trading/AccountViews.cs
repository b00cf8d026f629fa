using System.Text.Json.Nodes;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>Account, balance and position bodies in the exchange's shapes (Binance USDⓈ-M Futures API response examples).</summary>
internal sealed class AccountViews(VenueBooks books, MarginCalculator margin)
{
    private sealed record PositionView(Position? Position, SymbolSpec Spec, PositionSide Side, decimal Mark, decimal Unrealized,
        decimal InitialMargin, decimal Maintenance, decimal Liquidation, int Leverage, bool Isolated);

    private IEnumerable<PositionView> PositionViews(long second, bool activeOnly)
    {
        foreach (var spec in SymbolSpec.Listed)
        {
            var settings = books.Positions.SettingsFor(spec.Symbol);
            PositionSide[] sides = books.Positions.DualSidePosition ? [PositionSide.LONG, PositionSide.SHORT] : [PositionSide.BOTH];
            foreach (var side in sides)
            {
                var position = books.Positions.Find(spec.Symbol, side);
                if (activeOnly && position is null && !books.Orders.HasOpenOn(spec.Symbol))
                {
                    continue;
                }

                var mark = books.Mark(spec, second);
                var size = position?.Size ?? 0;
                yield return new PositionView(position, spec, side, mark, position?.UnrealizedPnl(mark) ?? 0,
                    size * mark / settings.Leverage, MarginMath.MaintenanceMargin(spec.Brackets, size, mark),
                    position is null ? 0 : margin.LiquidationPrice(position, second), settings.Leverage, settings.MarginType == MarginType.ISOLATED);
            }
        }
    }

    private (decimal Wallet, decimal Unrealized, decimal PositionMargin, decimal OrderMargin, decimal Maintenance, decimal Available, decimal CrossWallet, decimal CrossUnrealized) Totals(long second)
    {
        var views = PositionViews(second, activeOnly: true).ToArray();
        var crossUnrealized = views.Where(v => !v.Isolated).Sum(v => v.Unrealized);
        return (books.Account.WalletBalance, views.Sum(v => v.Unrealized), views.Sum(v => v.InitialMargin), margin.OpenOrderMargin(),
            views.Sum(v => v.Maintenance), Math.Max(0, margin.AvailableBalance(second)), margin.CrossWallet(), crossUnrealized);
    }

    public JsonObject AccountView(long ms, bool v3)
    {
        var second = ms / 1000;
        var t = Totals(second);
        var margin = t.Wallet + t.Unrealized;
        var asset = new JsonObject
        {
            ["asset"] = "USDT",
            ["walletBalance"] = Wire.Money(t.Wallet),
            ["unrealizedProfit"] = Wire.Money(t.Unrealized),
            ["marginBalance"] = Wire.Money(margin),
            ["maintMargin"] = Wire.Money(t.Maintenance),
            ["initialMargin"] = Wire.Money(t.PositionMargin + t.OrderMargin),
            ["positionInitialMargin"] = Wire.Money(t.PositionMargin),
            ["openOrderInitialMargin"] = Wire.Money(t.OrderMargin),
            ["crossWalletBalance"] = Wire.Money(t.CrossWallet),
            ["crossUnPnl"] = Wire.Money(t.CrossUnrealized),
            ["availableBalance"] = Wire.Money(t.Available),
            ["maxWithdrawAmount"] = Wire.Money(t.Available),
            ["updateTime"] = ms,
        };
        if (!v3)
        {
            asset["marginAvailable"] = true;
        }

        var positions = PositionViews(second, activeOnly: v3).Select(v => v3
            ? new JsonObject
            {
                ["symbol"] = v.Spec.Symbol,
                ["positionSide"] = v.Side.ToString(),
                ["positionAmt"] = Wire.Qty(v.Spec, v.Position?.Amount ?? 0),
                ["unrealizedProfit"] = Wire.Money(v.Unrealized),
                ["isolatedMargin"] = Wire.Money(v.Isolated ? (v.Position?.IsolatedWallet ?? 0) + v.Unrealized : 0),
                ["notional"] = Wire.Money((v.Position?.Amount ?? 0) * v.Mark),
                ["isolatedWallet"] = Wire.Money(v.Position?.IsolatedWallet ?? 0),
                ["initialMargin"] = Wire.Money(v.InitialMargin),
                ["maintMargin"] = Wire.Money(v.Maintenance),
                ["updateTime"] = v.Position?.UpdateTime ?? 0,
            }
            : new JsonObject
            {
                ["symbol"] = v.Spec.Symbol,
                ["initialMargin"] = Wire.Money(v.InitialMargin),
                ["maintMargin"] = Wire.Money(v.Maintenance),
                ["unrealizedProfit"] = Wire.Money(v.Unrealized),
                ["positionInitialMargin"] = Wire.Money(v.InitialMargin),
                ["openOrderInitialMargin"] = "0",
                ["leverage"] = v.Leverage.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["isolated"] = v.Isolated,
                ["entryPrice"] = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                ["breakEvenPrice"] = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                ["maxNotional"] = Wire.Plain(MarginMath.MaxNotional(v.Spec.Brackets, v.Leverage)),
                ["positionSide"] = v.Side.ToString(),
                ["positionAmt"] = Wire.Qty(v.Spec, v.Position?.Amount ?? 0),
                ["notional"] = Wire.Money((v.Position?.Amount ?? 0) * v.Mark),
                ["isolatedWallet"] = Wire.Money(v.Position?.IsolatedWallet ?? 0),
                ["updateTime"] = v.Position?.UpdateTime ?? 0,
                ["bidNotional"] = "0",
                ["askNotional"] = "0",
            }).ToArray();

        var body = new JsonObject
        {
            ["totalInitialMargin"] = Wire.Money(t.PositionMargin + t.OrderMargin),
            ["totalMaintMargin"] = Wire.Money(t.Maintenance),
            ["totalWalletBalance"] = Wire.Money(t.Wallet),
            ["totalUnrealizedProfit"] = Wire.Money(t.Unrealized),
            ["totalMarginBalance"] = Wire.Money(margin),
            ["totalPositionInitialMargin"] = Wire.Money(t.PositionMargin),
            ["totalOpenOrderInitialMargin"] = Wire.Money(t.OrderMargin),
            ["totalCrossWalletBalance"] = Wire.Money(t.CrossWallet),
            ["totalCrossUnPnl"] = Wire.Money(t.CrossUnrealized),
            ["availableBalance"] = Wire.Money(t.Available),
            ["maxWithdrawAmount"] = Wire.Money(t.Available),
            ["assets"] = new JsonArray(asset),
            ["positions"] = Wire.List(positions),
        };
        if (!v3)
        {
            body["feeTier"] = 0;
            body["feeBurn"] = true;
            body["canTrade"] = true;
            body["canDeposit"] = true;
            body["canWithdraw"] = true;
            body["updateTime"] = 0;
            body["multiAssetsMargin"] = false;
            body["tradeGroupId"] = -1;
        }

        return body;
    }

    public JsonNode[] BalanceView(long ms)
    {
        var t = Totals(ms / 1000);
        return
        [
            new JsonObject
            {
                ["accountAlias"] = "SgsR",
                ["asset"] = "USDT",
                ["balance"] = Wire.Money(t.Wallet),
                ["crossWalletBalance"] = Wire.Money(t.CrossWallet),
                ["crossUnPnl"] = Wire.Money(t.CrossUnrealized),
                ["availableBalance"] = Wire.Money(t.Available),
                ["maxWithdrawAmount"] = Wire.Money(t.Available),
                ["marginAvailable"] = true,
                ["updateTime"] = ms,
            },
        ];
    }

    public JsonNode[] PositionRiskView(long ms, bool v3, string? symbol)
    {
        return [.. PositionViews(ms / 1000, activeOnly: v3).Where(v => symbol is null || v.Spec.Symbol == symbol).Select(v => v3
            ? new JsonObject
            {
                ["symbol"] = v.Spec.Symbol,
                ["positionSide"] = v.Side.ToString(),
                ["positionAmt"] = Wire.Qty(v.Spec, v.Position?.Amount ?? 0),
                ["entryPrice"] = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                ["breakEvenPrice"] = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                ["markPrice"] = Wire.Price(v.Spec, v.Mark),
                ["unRealizedProfit"] = Wire.Money(v.Unrealized),
                ["liquidationPrice"] = Wire.Price(v.Spec, v.Liquidation),
                ["isolatedMargin"] = Wire.Money(v.Isolated ? (v.Position?.IsolatedWallet ?? 0) + v.Unrealized : 0),
                ["notional"] = Wire.Money((v.Position?.Amount ?? 0) * v.Mark),
                ["marginAsset"] = "USDT",
                ["isolatedWallet"] = Wire.Money(v.Position?.IsolatedWallet ?? 0),
                ["initialMargin"] = Wire.Money(v.InitialMargin),
                ["maintMargin"] = Wire.Money(v.Maintenance),
                ["positionInitialMargin"] = Wire.Money(v.InitialMargin),
                ["openOrderInitialMargin"] = "0",
                ["adl"] = 0,
                ["bidNotional"] = "0",
                ["askNotional"] = "0",
                ["updateTime"] = v.Position?.UpdateTime ?? 0,
            }
            : new JsonObject
            {
                ["symbol"] = v.Spec.Symbol,
                ["positionAmt"] = Wire.Qty(v.Spec, v.Position?.Amount ?? 0),
                ["entryPrice"] = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                ["breakEvenPrice"] = Wire.Price(v.Spec, v.Position?.EntryPrice ?? 0),
                ["markPrice"] = Wire.Price(v.Spec, v.Mark),
                ["unRealizedProfit"] = Wire.Money(v.Unrealized),
                ["liquidationPrice"] = Wire.Price(v.Spec, v.Liquidation),
                ["leverage"] = v.Leverage.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["maxNotionalValue"] = Wire.Plain(MarginMath.MaxNotional(v.Spec.Brackets, v.Leverage)),
                ["marginType"] = v.Isolated ? "isolated" : "cross",
                ["isolatedMargin"] = Wire.Money(v.Isolated ? (v.Position?.IsolatedWallet ?? 0) + v.Unrealized : 0),
                ["isAutoAddMargin"] = "false",
                ["positionSide"] = v.Side.ToString(),
                ["notional"] = Wire.Money((v.Position?.Amount ?? 0) * v.Mark),
                ["isolatedWallet"] = Wire.Money(v.Position?.IsolatedWallet ?? 0),
                ["updateTime"] = v.Position?.UpdateTime ?? 0,
            })];
    }
}
