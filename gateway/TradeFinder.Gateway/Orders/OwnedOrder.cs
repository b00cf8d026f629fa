using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Orders;

/// <summary>Where an owned order stands, as far as the gateway has seen.</summary>
internal enum OwnedOrderState
{
    /// <summary>Sent (or about to be); no answer yet. Counts as open.</summary>
    InFlight,

    /// <summary>Resting at the exchange (NEW, PARTIALLY_FILLED; an algo order not yet triggered).</summary>
    Open,

    /// <summary>The exchange's answer was lost and a look-up could not tell: counted as open until settled.</summary>
    Unknown,

    /// <summary>Done (filled, canceled, expired, rejected): only its executed quantity still counts.</summary>
    Closed,
}

/// <summary>
/// One order (or algo order) a bot placed through the gateway, keyed by its exchange client id within its
/// account. Mutable only under the ledger's lock; snapshots go to the store.
/// </summary>
internal sealed class OwnedOrder
{
    public required string Bot { get; init; }

    public required ExchangeAccount Account { get; init; }

    public required string Symbol { get; init; }

    /// <summary>The id the exchange knows (tag + bot id, or tag + mapped id).</summary>
    public required string ClientId { get; init; }

    private string? _botClientId;

    /// <summary>The id the bot knows (read back from <see cref="ClientId"/> once the ledger dropped its own copy).</summary>
    public required string BotClientId
    {
        get => _botClientId ?? ClientIds.Carried(ClientId);
        init => _botClientId = value;
    }

    public bool Algo { get; init; }

    /// <summary>BUY or SELL.</summary>
    public required string Side { get; init; }

    /// <summary>BOTH (one-way), LONG or SHORT (hedge mode).</summary>
    public string PositionSide { get; init; } = "BOTH";

    /// <summary>reduceOnly, closePosition or a hedge-mode closing side: can only shrink the position.</summary>
    public bool Reducing { get; init; }

    public decimal OrigQty { get; set; }

    public long? OrderId { get; set; }

    public decimal ExecutedQty { get; set; }

    public OwnedOrderState State { get; set; }

    public long UpdatedAtMs { get; set; }

    public bool IsOpen => State != OwnedOrderState.Closed;

    /// <summary>+1 for BUY, -1 for SELL.</summary>
    public int Sign => Side == "SELL" ? -1 : 1;

    public decimal Remaining => Math.Max(0, OrigQty - ExecutedQty);

    public OwnedOrder Copy() => (OwnedOrder)MemberwiseClone();

    /// <summary>
    /// Drops the copy of the bot's id when <see cref="ClientId"/> carries it (the ledger holds orders for months, and most
    /// ids are carried): ≈ 80 bytes per order. Only by the ledger, under its lock, when it has checked that it is carried.
    /// </summary>
    public void DropCarriedBotId() => _botClientId = null;

    /// <summary>
    /// The bot's own id for an order adopted under its mapped exchange id before the id was known (recovery at a start).
    /// Only by the ledger, under its lock, re-indexing the order.
    /// </summary>
    public void RestoreBotId(string botClientId) => _botClientId = botClientId;

    /// <summary>Whether the order keeps its own copy of the bot's id (its exchange id does not carry it).</summary>
    public bool KeepsBotId => _botClientId is not null;
}
