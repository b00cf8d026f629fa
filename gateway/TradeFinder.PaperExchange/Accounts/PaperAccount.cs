using System.Globalization;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Accounts;

/// <summary>The single paper futures account: a USDT wallet, no positions yet in this slice.</summary>
internal sealed class PaperAccount(decimal startingBalance, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _leverage = SymbolSpec.Listed.ToDictionary(s => s.Symbol, _ => DefaultLeverage);
    private decimal _walletBalance = startingBalance;

    public const int DefaultLeverage = 20;
    public const int MaxLeverage = 125;

    public int LeverageOf(string symbol)
    {
        lock (_gate)
        {
            return _leverage[symbol];
        }
    }

    public void SetLeverage(string symbol, int leverage)
    {
        lock (_gate)
        {
            _leverage[symbol] = leverage;
        }
    }

    public decimal WalletBalance
    {
        get
        {
            lock (_gate)
            {
                return _walletBalance;
            }
        }
    }

    /// <summary>The <c>GET /fapi/v2/account</c> body (reference §9): totals, assets, every symbol's position.</summary>
    public object ToAccountV2()
    {
        var wallet = D(WalletBalance);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return new
        {
            feeTier = 0,
            feeBurn = true,
            canTrade = true,
            canDeposit = true,
            canWithdraw = true,
            updateTime = 0L,
            multiAssetsMargin = false,
            tradeGroupId = -1,
            totalInitialMargin = "0.00000000",
            totalMaintMargin = "0.00000000",
            totalWalletBalance = wallet,
            totalUnrealizedProfit = "0.00000000",
            totalMarginBalance = wallet,
            totalPositionInitialMargin = "0.00000000",
            totalOpenOrderInitialMargin = "0.00000000",
            totalCrossWalletBalance = wallet,
            totalCrossUnPnl = "0.00000000",
            availableBalance = wallet,
            maxWithdrawAmount = wallet,
            assets = new object[]
            {
                new
                {
                    asset = "USDT",
                    walletBalance = wallet,
                    unrealizedProfit = "0.00000000",
                    marginBalance = wallet,
                    maintMargin = "0.00000000",
                    initialMargin = "0.00000000",
                    positionInitialMargin = "0.00000000",
                    openOrderInitialMargin = "0.00000000",
                    crossWalletBalance = wallet,
                    crossUnPnl = "0.00000000",
                    availableBalance = wallet,
                    maxWithdrawAmount = wallet,
                    marginAvailable = true,
                    updateTime = now,
                },
            },
            positions = SymbolSpec.Listed.Select(s => new
            {
                symbol = s.Symbol,
                initialMargin = "0",
                maintMargin = "0",
                unrealizedProfit = "0.00000000",
                positionInitialMargin = "0",
                openOrderInitialMargin = "0",
                leverage = LeverageOf(s.Symbol).ToString(CultureInfo.InvariantCulture),
                isolated = false,
                entryPrice = "0.0",
                breakEvenPrice = "0.0",
                maxNotional = "25000000",
                positionSide = "BOTH",
                positionAmt = "0.000",
                notional = "0",
                isolatedWallet = "0",
                updateTime = 0L,
                bidNotional = "0",
                askNotional = "0",
            }).ToArray(),
        };
    }

    private static string D(decimal value) => value.ToString("0.00000000", CultureInfo.InvariantCulture);
}
