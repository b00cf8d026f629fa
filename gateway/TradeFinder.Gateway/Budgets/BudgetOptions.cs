using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Budgets;

/// <summary>How the shared key's exchange limits are shared out (<c>Gateway:Budgets</c>).</summary>
internal sealed class BudgetOptions
{
    public const string Section = "Gateway:Budgets";

    /// <summary>Part of each exchange limit the gateway never uses, for clock skew and traffic it cannot see.</summary>
    [Range(0, 90)]
    public int SafetyMarginPercent { get; set; } = 10;

    /// <summary>Part of the usable budget that only cancels and risk-reducing orders may use.</summary>
    [Range(1, 90)]
    public int ReservePercent { get; set; } = 10;

    /// <summary>Market data stops at this share of the usable weight, leaving the rest to accounts and orders.</summary>
    [Range(1, 100)]
    public int MarketDataCeilingPercent { get; set; } = 70;

    /// <summary>Account reads stop at this share of the usable weight.</summary>
    [Range(1, 100)]
    public int AccountCeilingPercent { get; set; } = 80;

    /// <summary>Weight per minute one bot may use (null: a quarter of the usable weight). Cancels are exempt.</summary>
    [Range(1, int.MaxValue)]
    public int? PerBotWeightPerMinute { get; set; }

    /// <summary>
    /// Caps how long a cached public market-data answer is reused (per-endpoint defaults: 250 ms for books,
    /// up to 30 s for exchangeInfo). 0 keeps coalescing of concurrent identical requests but reuses nothing.
    /// </summary>
    [Range(0, 60_000)]
    public int? MarketDataMaxAgeMilliseconds { get; set; }

    /// <summary>Orders per 10 s one bot may place (null: a quarter of the usable order count). Cancels and reduce-only are exempt.</summary>
    [Range(1, int.MaxValue)]
    public int? PerBotOrdersPer10Seconds { get; set; }

    /// <summary>
    /// Shared public market-data requests one bot may send per second (one second's burst). An answer from the
    /// gateway's cache costs no exchange weight, so it is not charged to the bot's weight quota; this local rate
    /// protects the gateway's own CPU instead. A request that has to go upstream is charged to the bot's quota.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PerBotMarketDataRequestsPerSecond { get; set; } = 5_000;
}
