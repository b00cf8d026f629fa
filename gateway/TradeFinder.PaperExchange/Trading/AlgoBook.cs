using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>The account's conditional (algo) orders, held until their trigger fires.</summary>
internal sealed class AlgoBook
{
    /// <summary>The exchange's cap on open conditional orders per account.</summary>
    public const int MaxOpenAlgoOrders = 200;

    private readonly List<AlgoOrder> _algos;
    private long _nextAlgoId;

    public AlgoBook(AccountState state)
    {
        _algos = [.. state.AlgoOrders];
        _nextAlgoId = state.NextAlgoId;
    }

    public IReadOnlyList<AlgoOrder> All => _algos;

    public bool HasPending => _algos.Exists(a => a.AlgoStatus is AlgoStatus.NEW or AlgoStatus.TRIGGERED);

    public bool HasOpen => _algos.Exists(a => a.AlgoStatus == AlgoStatus.NEW);

    public int OpenCount(string? symbol) => _algos.Count(a => a.AlgoStatus == AlgoStatus.NEW && (symbol is null || a.Symbol == symbol));

    public bool IsOpenClientId(string clientAlgoId) => _algos.Exists(a => a.AlgoStatus == AlgoStatus.NEW && a.ClientAlgoId == clientAlgoId);

    /// <summary>Records a new algo order, giving it the next id.</summary>
    public AlgoOrder Add(AlgoOrder algo)
    {
        algo.AlgoId = _nextAlgoId++;
        _algos.Add(algo);
        return algo;
    }

    public AlgoOrder? Find(long? algoId, string? clientAlgoId)
    {
        if (algoId is null && clientAlgoId is null)
        {
            throw new ExchangeException(-1102, "Either algoId or clientAlgoId must be sent.");
        }

        return algoId is not null ? _algos.Find(a => a.AlgoId == algoId) : _algos.FindLast(a => a.ClientAlgoId == clientAlgoId);
    }

    public IReadOnlyList<AlgoOrder> OpenAlgos(string? symbol) =>
        [.. _algos.Where(a => a.AlgoStatus == AlgoStatus.NEW && (symbol is null || a.Symbol == symbol))];

    public IReadOnlyList<AlgoOrder> History(string symbol, long? startTime, long? endTime, int limit) =>
        [.. _algos.Where(a => a.Symbol == symbol && (startTime is null || a.CreateTime >= startTime) && (endTime is null || a.CreateTime <= endTime)).Take(limit)];

    public void CancelAll(string symbol, long ms)
    {
        foreach (var algo in _algos.Where(a => a.Symbol == symbol && a.AlgoStatus == AlgoStatus.NEW))
        {
            algo.AlgoStatus = AlgoStatus.CANCELED;
            algo.UpdateTime = ms;
        }
    }

    public void SaveTo(AccountState state)
    {
        state.AlgoOrders = [.. _algos];
        state.NextAlgoId = _nextAlgoId;
    }
}
