using System.Text.Json.Serialization;

namespace TradeFinder.Bots.Client.Models;

/// <summary>The futures account, <c>GET /fapi/v2/account</c>. Amounts are decimals in the margin asset.</summary>
public sealed record AccountInformation
{
    /// <summary>Whether the account may trade.</summary>
    [JsonPropertyName("canTrade")]
    public bool CanTrade { get; init; }

    /// <summary>Wallet balance over all assets.</summary>
    [JsonPropertyName("totalWalletBalance")]
    public decimal TotalWalletBalance { get; init; }

    /// <summary>Unrealized profit of all positions.</summary>
    [JsonPropertyName("totalUnrealizedProfit")]
    public decimal TotalUnrealizedProfit { get; init; }

    /// <summary>Wallet balance plus unrealized profit.</summary>
    [JsonPropertyName("totalMarginBalance")]
    public decimal TotalMarginBalance { get; init; }

    /// <summary>Balance available for new positions.</summary>
    [JsonPropertyName("availableBalance")]
    public decimal AvailableBalance { get; init; }

    /// <summary>Per-asset balances.</summary>
    [JsonPropertyName("assets")]
    public IReadOnlyList<AccountAsset> Assets { get; init; } = [];
}

/// <summary>One asset of the futures account.</summary>
public sealed record AccountAsset
{
    /// <summary>Asset name, e.g. USDT.</summary>
    [JsonPropertyName("asset")]
    public string Asset { get; init; } = "";

    /// <summary>Wallet balance of this asset.</summary>
    [JsonPropertyName("walletBalance")]
    public decimal WalletBalance { get; init; }

    /// <summary>Available balance of this asset.</summary>
    [JsonPropertyName("availableBalance")]
    public decimal AvailableBalance { get; init; }
}
