using System.Globalization;
using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>The exchangeInfo symbol filters (Binance USDⓈ-M Futures "New Order (TRADE)"), checked with decimal arithmetic.</summary>
internal static class Filters
{
    public static void Price(SymbolSpec spec, decimal price)
    {
        if (price <= 0)
        {
            throw new ExchangeException(-4001, "Price less than 0.");
        }

        if (Scale(price) > spec.PricePrecision)
        {
            throw new ExchangeException(-1111, "Precision is over the maximum defined for this asset.");
        }

        if (price < spec.MinPrice)
        {
            throw new ExchangeException(-4013, "Price less than min price.");
        }

        if (price > spec.MaxPrice)
        {
            throw new ExchangeException(-4002, "Price greater than max price.");
        }

        if ((price - spec.MinPrice) % spec.TickSize != 0)
        {
            throw new ExchangeException(-4014, "Price not increased by tick size.");
        }
    }

    public static void Quantity(SymbolSpec spec, decimal quantity, bool market)
    {
        if (quantity <= 0)
        {
            throw new ExchangeException(-4003, "Quantity less than or equal to zero.");
        }

        if (Scale(quantity) > spec.QuantityPrecision)
        {
            throw new ExchangeException(-1111, "Precision is over the maximum defined for this asset.");
        }

        if (quantity < spec.MinQty)
        {
            throw new ExchangeException(-4004, "Quantity less than min quantity.");
        }

        if (quantity > (market ? spec.MarketMaxQty : spec.MaxQty))
        {
            throw new ExchangeException(-4005, "Quantity greater than max quantity.");
        }

        if ((quantity - spec.MinQty) % spec.StepSize != 0)
        {
            throw new ExchangeException(-4023, "Quantity not increased by step size.");
        }
    }

    public static void MinNotional(SymbolSpec spec, decimal quantity, decimal price, bool reduceOnly)
    {
        if (!reduceOnly && quantity * price < spec.MinNotional)
        {
            throw new ExchangeException(-4164, $"Order's notional must be no smaller than {spec.MinNotional.ToString(CultureInfo.InvariantCulture)} (unless you choose reduce only).");
        }
    }

    public static void PercentPrice(SymbolSpec spec, OrderSide side, decimal price, decimal markPrice)
    {
        if (side == OrderSide.BUY && price > markPrice * SymbolSpec.MultiplierUp)
        {
            throw new ExchangeException(-4016, $"Limit price can't be higher than {Wire.Price(spec, Math.Floor(markPrice * SymbolSpec.MultiplierUp / spec.TickSize) * spec.TickSize)}.");
        }

        if (side == OrderSide.SELL && price < markPrice * SymbolSpec.MultiplierDown)
        {
            throw new ExchangeException(-4024, $"Limit price can't be lower than {Wire.Price(spec, Math.Ceiling(markPrice * SymbolSpec.MultiplierDown / spec.TickSize) * spec.TickSize)}.");
        }
    }

    private static int Scale(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? 0 : text.TrimEnd('0').Length - dot - 1;
    }
}
