using System.Security.Cryptography;
using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>The account's wallet: balance, trade and income history, and its user-data listen keys.</summary>
internal sealed class PaperAccount
{
    private static readonly TimeSpan ListenKeyValidity = TimeSpan.FromMinutes(60);

    private readonly List<TradeRecord> _trades;
    private readonly List<IncomeRecord> _income;
    private readonly Dictionary<string, long> _listenKeys;
    private long _nextTradeId;
    private long _nextTranId;

    public PaperAccount(AccountState state)
    {
        WalletBalance = state.WalletBalance;
        _trades = [.. state.Trades];
        _income = [.. state.Income];
        _listenKeys = new Dictionary<string, long>(state.ListenKeys);
        _nextTradeId = state.NextTradeId;
        _nextTranId = state.NextTranId;
    }

    public decimal WalletBalance { get; set; }

    public long RecordTrade(PaperOrder order, decimal price, decimal qty, decimal realized, decimal commission, bool maker, long ms)
    {
        var id = _nextTradeId++;
        _trades.Add(new TradeRecord(id, order.OrderId, order.Symbol, order.Side, order.PositionSide, price, qty, realized, commission, maker, ms));
        return id;
    }

    public void AddIncome(string symbol, string type, decimal amount, long ms, string tradeId = "")
    {
        if (amount != 0)
        {
            _income.Add(new IncomeRecord(_nextTranId++, symbol, type, amount, "", ms, tradeId));
        }
    }

    public IReadOnlyList<TradeRecord> Trades(string symbol, long? startTime, long? endTime, long? fromId, int limit) =>
        [.. _trades.Where(t => t.Symbol == symbol && (fromId is null || t.Id >= fromId)
            && (startTime is null || t.Time >= startTime) && (endTime is null || t.Time <= endTime)).Take(limit)];

    public IReadOnlyList<IncomeRecord> Income(string? symbol, string? incomeType, long? startTime, long? endTime, int limit) =>
        [.. _income.Where(i => (symbol is null || i.Symbol == symbol) && (incomeType is null || i.IncomeType == incomeType)
            && (startTime is null || i.Time >= startTime) && (endTime is null || i.Time <= endTime)).Take(limit)];

    /// <summary>The account's one active listen key, extended; a new one when none is active (as the exchange does).</summary>
    public string CreateListenKey(long ms)
    {
        var key = _listenKeys.FirstOrDefault(k => k.Value > ms).Key ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _listenKeys[key] = ms + (long)ListenKeyValidity.TotalMilliseconds;
        return key;
    }

    /// <summary>Extends the given key, or the account's one active key when none is named.</summary>
    public void KeepAliveListenKey(string? key, long ms)
    {
        key ??= _listenKeys.FirstOrDefault(k => k.Value > ms).Key;
        if (key is null || !_listenKeys.TryGetValue(key, out var expiry) || expiry <= ms)
        {
            throw new ExchangeException(-1125, "This listenKey does not exist.");
        }

        _listenKeys[key] = ms + (long)ListenKeyValidity.TotalMilliseconds;
    }

    /// <summary>Whether the key is active at <paramref name="ms"/>.</summary>
    public bool IsListenKeyActive(string key, long ms) => _listenKeys.TryGetValue(key, out var expiry) && expiry > ms;

    /// <summary>The trades recorded after <paramref name="afterId"/>, oldest first.</summary>
    public IReadOnlyList<TradeRecord> TradesAfter(long afterId)
    {
        // Ids only grow: walk back from the newest instead of through the whole history on every change.
        var first = _trades.Count;
        while (first > 0 && _trades[first - 1].Id > afterId)
        {
            first--;
        }

        return _trades.GetRange(first, _trades.Count - first);
    }

    public long LastTradeId => _trades.Count == 0 ? 0 : _trades[^1].Id;

    public void CloseListenKey(string? key)
    {
        if (key is not null)
        {
            _listenKeys.Remove(key);
        }
        else
        {
            _listenKeys.Clear();
        }
    }

    public void SaveTo(AccountState state)
    {
        state.WalletBalance = WalletBalance;
        state.Trades = [.. _trades];
        state.Income = [.. _income];
        state.ListenKeys = new Dictionary<string, long>(_listenKeys);
        state.NextTradeId = _nextTradeId;
        state.NextTranId = _nextTranId;
    }
}
