using System.Security.Cryptography;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Trading;

internal sealed partial class PaperVenue
{
    public (int Leverage, decimal MaxNotional) SetLeverage(string symbol, int leverage)
    {
        var spec = Spec(symbol);
        if (leverage < 1 || leverage > spec.MaxLeverage)
        {
            throw new ExchangeException(-4028, $"Leverage {leverage} is not valid");
        }

        var settings = Settings(symbol);
        var positions = _state.Positions.Where(p => p.Symbol == symbol).ToArray();
        if (settings.MarginType == MarginType.ISOLATED && leverage < settings.Leverage && positions.Length > 0)
        {
            throw new ExchangeException(-4161, "Leverage reduction is not supported in Isolated Margin Mode with open positions.");
        }

        var maxNotional = MarginMath.MaxNotional(spec.Brackets, leverage);
        if (positions.Sum(p => p.Size * p.EntryPrice) > maxNotional)
        {
            throw new ExchangeException(-2027, "Exceeded the maximum allowable position at current leverage.");
        }

        settings.Leverage = leverage;
        return (leverage, maxNotional);
    }

    public void SetMarginType(string symbol, MarginType marginType)
    {
        Spec(symbol);
        var settings = Settings(symbol);
        if (settings.MarginType == marginType)
        {
            throw new ExchangeException(-4046, "No need to change margin type.");
        }

        if (OpenCount(symbol) > 0)
        {
            throw new ExchangeException(-4047, "Margin type cannot be changed if there exists open orders.");
        }

        if (_state.Positions.Exists(p => p.Symbol == symbol))
        {
            throw new ExchangeException(-4048, "Margin type cannot be changed if there exists position.");
        }

        settings.MarginType = marginType;
    }

    public bool DualSidePosition => _state.DualSidePosition;

    public void SetDualSidePosition(bool dual)
    {
        if (_state.DualSidePosition == dual)
        {
            throw new ExchangeException(-4059, "No need to change position side.");
        }

        if (_open.Exists(o => o.Status.IsOpen()) || _state.AlgoOrders.Exists(a => a.AlgoStatus == AlgoStatus.NEW))
        {
            throw new ExchangeException(-4067, "Position side cannot be changed if there exists open orders.");
        }

        if (_state.Positions.Count > 0)
        {
            throw new ExchangeException(-4068, "Position side cannot be changed if there exists position.");
        }

        _state.DualSidePosition = dual;
    }

    public (decimal Amount, int Type) ModifyIsolatedMargin(string symbol, PositionSide? requestedSide, decimal amount, int type, long ms)
    {
        Spec(symbol);
        if (Settings(symbol).MarginType != MarginType.ISOLATED)
        {
            throw new ExchangeException(-4049, "Add margin only support for isolated position.");
        }

        var side = _state.DualSidePosition ? requestedSide ?? throw ExchangeException.Mandatory("positionSide") : PositionSide.BOTH;
        var position = FindPosition(symbol, side) ?? throw new ExchangeException(-4054, "Cannot add position margin: position is 0.");
        if (amount <= 0 || type is not (1 or 2))
        {
            throw new ExchangeException(-1130, "Data sent for parameter 'amount' is not valid.");
        }

        if (type == 1)
        {
            if (AvailableBalance(ms / 1000) < amount)
            {
                throw new ExchangeException(-4051, "Isolated balance insufficient.");
            }

            position.IsolatedWallet += amount;
        }
        else
        {
            var spec = Spec(symbol);
            var mark = Mark(spec, ms / 1000);
            var keep = (position.Size * mark / Settings(symbol).Leverage) - position.UnrealizedPnl(mark);
            if (position.IsolatedWallet - amount < Math.Max(keep, 0))
            {
                throw new ExchangeException(-4051, "Isolated balance insufficient.");
            }

            position.IsolatedWallet -= amount;
        }

        position.UpdateTime = ms;
        return (amount, type);
    }

    public string CreateListenKey(long ms)
    {
        foreach (var (key, _) in _state.ListenKeys.Where(k => k.Value > ms).ToArray())
        {
            _state.ListenKeys[key] = ms + 3_600_000;
            return key;
        }

        var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _state.ListenKeys[fresh] = ms + 3_600_000;
        return fresh;
    }

    /// <summary>Extends the given key, or the account's one active key when none is named (as the exchange does).</summary>
    public void KeepAliveListenKey(string? key, long ms)
    {
        key ??= _state.ListenKeys.FirstOrDefault(k => k.Value > ms).Key;
        if (key is null || !_state.ListenKeys.TryGetValue(key, out var expiry) || expiry <= ms)
        {
            throw new ExchangeException(-1125, "This listenKey does not exist.");
        }

        _state.ListenKeys[key] = ms + 3_600_000;
    }

    public void CloseListenKey(string? key)
    {
        if (key is not null)
        {
            _state.ListenKeys.Remove(key);
        }
        else
        {
            _state.ListenKeys.Clear();
        }
    }

    public IReadOnlyList<TradeRecord> UserTrades(string symbol, long? startTime, long? endTime, long? fromId, int limit)
    {
        Spec(symbol);
        return [.. _state.Trades.Where(t => t.Symbol == symbol && (fromId is null || t.Id >= fromId)
            && (startTime is null || t.Time >= startTime) && (endTime is null || t.Time <= endTime)).Take(limit)];
    }

    public IReadOnlyList<IncomeRecord> Income(string? symbol, string? incomeType, long? startTime, long? endTime, int limit) =>
        [.. _state.Income.Where(i => (symbol is null || i.Symbol == symbol) && (incomeType is null || i.IncomeType == incomeType)
            && (startTime is null || i.Time >= startTime) && (endTime is null || i.Time <= endTime)).Take(limit)];
}
