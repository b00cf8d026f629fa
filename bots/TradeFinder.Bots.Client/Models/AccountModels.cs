using System.Text.Json.Serialization;

namespace TradeFinder.Bots.Client.Models;

/// <summary>One asset of <c>GET /fapi/v2/balance</c>.</summary>
public sealed record Balance
{
    /// <summary>Asset, e.g. USDT.</summary>
    [JsonPropertyName("asset")]
    public string Asset { get; init; } = "";

    /// <summary>Wallet balance.</summary>
    [JsonPropertyName("balance")]
    public decimal WalletBalance { get; init; }

    /// <summary>Available for new positions.</summary>
    [JsonPropertyName("availableBalance")]
    public decimal AvailableBalance { get; init; }

    /// <summary>Unrealized profit of cross positions.</summary>
    [JsonPropertyName("crossUnPnl")]
    public decimal CrossUnrealizedProfit { get; init; }
}

/// <summary>One position of <c>GET /fapi/v2/positionRisk</c>.</summary>
public sealed record Position
{
    /// <summary>Symbol.</summary>
    [JsonPropertyName("symbol")]
    public string Symbol { get; init; } = "";

    /// <summary>BOTH (one-way), LONG or SHORT (hedge).</summary>
    [JsonPropertyName("positionSide")]
    public PositionSide PositionSide { get; init; }

    /// <summary>Signed size: positive long, negative short.</summary>
    [JsonPropertyName("positionAmt")]
    public decimal Quantity { get; init; }

    /// <summary>Average entry price.</summary>
    [JsonPropertyName("entryPrice")]
    public decimal EntryPrice { get; init; }

    /// <summary>Mark price.</summary>
    [JsonPropertyName("markPrice")]
    public decimal MarkPrice { get; init; }

    /// <summary>Unrealized profit at the mark price.</summary>
    [JsonPropertyName("unRealizedProfit")]
    public decimal UnrealizedProfit { get; init; }

    /// <summary>Liquidation price (0 when none).</summary>
    [JsonPropertyName("liquidationPrice")]
    public decimal LiquidationPrice { get; init; }

    /// <summary>Leverage.</summary>
    [JsonPropertyName("leverage")]
    public int Leverage { get; init; }

    /// <summary>isolated or cross.</summary>
    [JsonPropertyName("marginType")]
    public string MarginType { get; init; } = "";

    /// <summary>Notional value at the mark price.</summary>
    [JsonPropertyName("notional")]
    public decimal Notional { get; init; }
}

/// <summary>Answer of <c>POST /fapi/v1/leverage</c>.</summary>
public sealed record LeverageChange
{
    /// <summary>Symbol.</summary>
    [JsonPropertyName("symbol")]
    public string Symbol { get; init; } = "";

    /// <summary>New leverage.</summary>
    [JsonPropertyName("leverage")]
    public int Leverage { get; init; }

    /// <summary>Largest position notional at this leverage.</summary>
    [JsonPropertyName("maxNotionalValue")]
    public decimal MaxNotionalValue { get; init; }
}
