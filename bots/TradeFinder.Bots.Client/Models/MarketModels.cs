using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TradeFinder.Bots.Client.Models;

/// <summary><c>GET /fapi/v1/exchangeInfo</c>: symbols and their trading rules.</summary>
public sealed record ExchangeInfo
{
    /// <summary>Listed symbols.</summary>
    [JsonPropertyName("symbols")]
    public IReadOnlyList<SymbolInfo> Symbols { get; init; } = [];

    /// <summary>The symbol's rules, or null when it is not listed.</summary>
    /// <param name="symbol">e.g. BTCUSDT.</param>
    /// <returns>The rules.</returns>
    public SymbolInfo? Find(string symbol) => Symbols.FirstOrDefault(s => s.Symbol == symbol);
}

/// <summary>One symbol's rules.</summary>
public sealed record SymbolInfo
{
    /// <summary>e.g. BTCUSDT.</summary>
    [JsonPropertyName("symbol")]
    public string Symbol { get; init; } = "";

    /// <summary>TRADING when orders are accepted.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    /// <summary>Price, lot and notional filters.</summary>
    [JsonPropertyName("filters")]
    public IReadOnlyList<SymbolFilter> Filters { get; init; } = [];

    /// <summary>Price increment (PRICE_FILTER tickSize).</summary>
    public decimal TickSize => Filter("PRICE_FILTER")?.TickSize ?? 0m;

    /// <summary>Quantity increment (LOT_SIZE stepSize).</summary>
    public decimal StepSize => Filter("LOT_SIZE")?.StepSize ?? 0m;

    /// <summary>Smallest quantity (LOT_SIZE minQty).</summary>
    public decimal MinQuantity => Filter("LOT_SIZE")?.MinQty ?? 0m;

    /// <summary>Smallest order value (MIN_NOTIONAL notional).</summary>
    public decimal MinNotional => Filter("MIN_NOTIONAL")?.Notional ?? 0m;

    /// <summary>Rounds a price down to the tick size.</summary>
    /// <param name="price">The price.</param>
    /// <returns>A price the exchange accepts.</returns>
    public decimal RoundPrice(decimal price) => TickSize > 0 ? Math.Floor(price / TickSize) * TickSize : price;

    /// <summary>Rounds a quantity down to the step size.</summary>
    /// <param name="quantity">The quantity.</param>
    /// <returns>A quantity the exchange accepts.</returns>
    public decimal RoundQuantity(decimal quantity) => StepSize > 0 ? Math.Floor(quantity / StepSize) * StepSize : quantity;

    private SymbolFilter? Filter(string type) => Filters.FirstOrDefault(f => f.FilterType == type);
}

/// <summary>One exchangeInfo filter; only the fields of its type are set.</summary>
public sealed record SymbolFilter
{
    /// <summary>PRICE_FILTER, LOT_SIZE, MARKET_LOT_SIZE, MIN_NOTIONAL, …</summary>
    [JsonPropertyName("filterType")]
    public string FilterType { get; init; } = "";

    /// <summary>PRICE_FILTER tick size.</summary>
    [JsonPropertyName("tickSize")]
    public decimal? TickSize { get; init; }

    /// <summary>LOT_SIZE step size.</summary>
    [JsonPropertyName("stepSize")]
    public decimal? StepSize { get; init; }

    /// <summary>LOT_SIZE minimum quantity.</summary>
    [JsonPropertyName("minQty")]
    public decimal? MinQty { get; init; }

    /// <summary>LOT_SIZE maximum quantity.</summary>
    [JsonPropertyName("maxQty")]
    public decimal? MaxQty { get; init; }

    /// <summary>MIN_NOTIONAL minimum order value.</summary>
    [JsonPropertyName("notional")]
    public decimal? Notional { get; init; }
}

/// <summary>One price level of the book.</summary>
/// <param name="Price">Price.</param>
/// <param name="Quantity">Quantity at that price.</param>
public sealed record PriceLevel(decimal Price, decimal Quantity);

/// <summary><c>GET /fapi/v1/depth</c>.</summary>
public sealed record OrderBook
{
    /// <summary>Book update id.</summary>
    [JsonPropertyName("lastUpdateId")]
    public long LastUpdateId { get; init; }

    /// <summary>Bids, best first.</summary>
    [JsonPropertyName("bids")]
    [JsonConverter(typeof(PriceLevelsConverter))]
    public IReadOnlyList<PriceLevel> Bids { get; init; } = [];

    /// <summary>Asks, best first.</summary>
    [JsonPropertyName("asks")]
    [JsonConverter(typeof(PriceLevelsConverter))]
    public IReadOnlyList<PriceLevel> Asks { get; init; } = [];
}

/// <summary>One candle of <c>GET /fapi/v1/klines</c>.</summary>
/// <param name="OpenTime">Open time.</param>
/// <param name="Open">Open price.</param>
/// <param name="High">High price.</param>
/// <param name="Low">Low price.</param>
/// <param name="Close">Close price.</param>
/// <param name="Volume">Base volume.</param>
/// <param name="CloseTime">Close time.</param>
public sealed record Kline(DateTimeOffset OpenTime, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume, DateTimeOffset CloseTime)
{
    internal static Kline Parse(JsonElement row) => new(
        DateTimeOffset.FromUnixTimeMilliseconds(row[0].GetInt64()), D(row[1]), D(row[2]), D(row[3]), D(row[4]), D(row[5]),
        DateTimeOffset.FromUnixTimeMilliseconds(row[6].GetInt64()));

    private static decimal D(JsonElement value) => decimal.Parse(value.GetString()!, CultureInfo.InvariantCulture);
}

/// <summary>Mark price and funding, <c>GET /fapi/v1/premiumIndex</c>.</summary>
public sealed record MarkPrice
{
    /// <summary>Symbol.</summary>
    [JsonPropertyName("symbol")]
    public string Symbol { get; init; } = "";

    /// <summary>Mark price.</summary>
    [JsonPropertyName("markPrice")]
    public decimal Price { get; init; }

    /// <summary>Index price.</summary>
    [JsonPropertyName("indexPrice")]
    public decimal IndexPrice { get; init; }

    /// <summary>Last funding rate.</summary>
    [JsonPropertyName("lastFundingRate")]
    public decimal LastFundingRate { get; init; }
}

/// <summary>Last price, <c>GET /fapi/v1/ticker/price</c>.</summary>
public sealed record TickerPrice
{
    /// <summary>Symbol.</summary>
    [JsonPropertyName("symbol")]
    public string Symbol { get; init; } = "";

    /// <summary>Last traded price.</summary>
    [JsonPropertyName("price")]
    public decimal Price { get; init; }
}

/// <summary>24-hour statistics, <c>GET /fapi/v1/ticker/24hr</c>.</summary>
public sealed record Ticker24h
{
    /// <summary>Symbol.</summary>
    [JsonPropertyName("symbol")]
    public string Symbol { get; init; } = "";

    /// <summary>Last price.</summary>
    [JsonPropertyName("lastPrice")]
    public decimal LastPrice { get; init; }

    /// <summary>Change over 24 h, in percent.</summary>
    [JsonPropertyName("priceChangePercent")]
    public decimal PriceChangePercent { get; init; }

    /// <summary>24 h high.</summary>
    [JsonPropertyName("highPrice")]
    public decimal HighPrice { get; init; }

    /// <summary>24 h low.</summary>
    [JsonPropertyName("lowPrice")]
    public decimal LowPrice { get; init; }

    /// <summary>Base volume.</summary>
    [JsonPropertyName("volume")]
    public decimal Volume { get; init; }
}

/// <summary>Reads <c>[["price","qty"], …]</c>.</summary>
internal sealed class PriceLevelsConverter : JsonConverter<IReadOnlyList<PriceLevel>>
{
    public override IReadOnlyList<PriceLevel> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.EnumerateArray()
            .Select(l => new PriceLevel(decimal.Parse(l[0].GetString()!, CultureInfo.InvariantCulture), decimal.Parse(l[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToArray();
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<PriceLevel> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Order books are only read.");
}
