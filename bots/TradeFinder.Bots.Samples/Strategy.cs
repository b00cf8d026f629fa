using TradeFinder.Bots.Client;
using TradeFinder.Bots.Client.Models;

namespace TradeFinder.Bots.Samples;

/// <summary>
/// A strategy steps on a schedule (<see cref="StrategyWorker"/>) or, in tests, one step at a time. It starts
/// by preparing the account, reports progress after every step, and cancels its open orders when stopped.
/// </summary>
internal abstract class Strategy(IGatewayClient client, BotOptions options, ILogger logger)
{
    private decimal _startingBalance;

    public abstract string Name { get; }

    protected IGatewayClient Client => client;

    protected BotOptions Options => options;

    protected ILogger Logger => logger;

    protected SymbolInfo Rules { get; private set; } = new();

    public virtual async Task StartAsync(CancellationToken cancellationToken)
    {
        Rules = (await client.GetExchangeInfoAsync(cancellationToken).ConfigureAwait(false)).Find(options.Symbol)
            ?? throw new InvalidOperationException($"{options.Symbol} is not listed.");
        _startingBalance = (await client.GetAccountAsync(cancellationToken).ConfigureAwait(false)).TotalMarginBalance;
    }

    public abstract Task StepAsync(CancellationToken cancellationToken);

    /// <summary>Cancels every open order and conditional order of the symbol; returns how many there were.</summary>
    public async Task<int> StopAsync(CancellationToken cancellationToken)
    {
        var open = await client.GetOpenOrdersAsync(options.Symbol, cancellationToken).ConfigureAwait(false);
        var algos = await client.GetOpenAlgoOrdersAsync(options.Symbol, cancellationToken).ConfigureAwait(false);
        if (open.Count > 0)
        {
            await client.CancelAllOrdersAsync(options.Symbol, cancellationToken).ConfigureAwait(false);
        }

        foreach (var algo in algos)
        {
            await client.CancelAlgoOrderAsync(algo.ClientAlgoId, cancellationToken).ConfigureAwait(false);
        }

        BotLog.Stopped(logger, Name, options.Symbol, open.Count + algos.Count);
        return open.Count + algos.Count;
    }

    /// <summary>PnL since start: margin balance (wallet plus unrealized) now minus at start.</summary>
    public async Task<decimal> PnlAsync(CancellationToken cancellationToken) =>
        (await client.GetAccountAsync(cancellationToken).ConfigureAwait(false)).TotalMarginBalance - _startingBalance;

    protected async Task ReportAsync(decimal price, CancellationToken cancellationToken)
    {
        var positions = await client.GetPositionsAsync(options.Symbol, cancellationToken).ConfigureAwait(false);
        var open = await client.GetOpenOrdersAsync(options.Symbol, cancellationToken).ConfigureAwait(false);
        BotLog.Progress(logger, Name, options.Symbol, price, positions.Sum(p => p.Quantity), positions.Sum(p => p.UnrealizedProfit),
            await PnlAsync(cancellationToken).ConfigureAwait(false), open.Count);
    }

    protected decimal PriceAbove(decimal price) => Rules.TickSize > 0 ? Math.Ceiling(price / Rules.TickSize) * Rules.TickSize : price;

    protected decimal PriceBelow(decimal price) => Rules.RoundPrice(price);
}
