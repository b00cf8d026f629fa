namespace TradeFinder.PaperExchange.Trading;

/// <summary>Everything the paper account is; serialised whole to the state file.</summary>
internal sealed class AccountState
{
    public decimal WalletBalance { get; set; }

    public bool DualSidePosition { get; set; }

    public Dictionary<string, SymbolSettings> Symbols { get; set; } = [];

    public List<Position> Positions { get; set; } = [];

    public List<PaperOrder> Orders { get; set; } = [];

    public List<AlgoOrder> AlgoOrders { get; set; } = [];

    public List<TradeRecord> Trades { get; set; } = [];

    public List<IncomeRecord> Income { get; set; } = [];

    public Dictionary<string, long> Countdowns { get; set; } = [];

    public Dictionary<string, long> ListenKeys { get; set; } = [];

    public long NextOrderId { get; set; } = 1_000_000;

    public long NextAlgoId { get; set; } = 5_000_000;

    public long NextTradeId { get; set; } = 9_000_000;

    public long NextTranId { get; set; } = 7_000_000;

    public static AccountState Fresh(decimal balance) => new() { WalletBalance = balance };
}
