namespace TradeFinder.Contracts.Exchange;

/// <summary>Permission scopes a bot can hold; every catalogued endpoint requires exactly one.</summary>
public static class ScopeNames
{
    /// <summary>Public market data.</summary>
    public const string MarketRead = "market:read";

    /// <summary>Account, balance, position and order reads.</summary>
    public const string AccountRead = "account:read";

    /// <summary>Placing, modifying and cancelling orders.</summary>
    public const string Trade = "trade";

    /// <summary>Changing leverage.</summary>
    public const string TradeLeverage = "trade:leverage";

    /// <summary>Changing margin type, isolated margin and position mode.</summary>
    public const string TradeMargin = "trade:margin";

    /// <summary>
    /// Arming the exchange's auto-cancel of every open order on a symbol (countdownCancelAll): it acts on the whole
    /// account, so only bots an operator trusts with that get it.
    /// </summary>
    public const string TradeCountdown = "trade:countdown";

    /// <summary>Managing the user-data stream listenKey.</summary>
    public const string UserStream = "userstream";
}
