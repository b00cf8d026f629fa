using System.Text.Json;
using TradeFinder.Gateway.Anomalies;

namespace TradeFinder.Gateway.Tests.Anomalies;

public sealed class AccountMarginsTests
{
    // Shaped like the exchange's "Account Information V3" answer: one cross long, one isolated short, one flat symbol.
    private const string Account = """
        {"totalCrossWalletBalance":"1000.00","totalCrossUnPnl":"-200.00","totalMaintMargin":"95.00",
         "positions":[
          {"symbol":"BTCUSDT","positionSide":"BOTH","positionAmt":"0.100","unrealizedProfit":"-200.00","isolatedMargin":"0","notional":"4800.00","isolatedWallet":"0","maintMargin":"80.00"},
          {"symbol":"ETHUSDT","positionSide":"SHORT","positionAmt":"-2.000","unrealizedProfit":"-30.00","isolatedMargin":"20.00","notional":"-5000.00","isolatedWallet":"50.00","maintMargin":"15.00"},
          {"symbol":"XRPUSDT","positionSide":"BOTH","positionAmt":"0","unrealizedProfit":"0","isolatedMargin":"0","notional":"0","isolatedWallet":"0","maintMargin":"0"}]}
        """;

    [Fact]
    public void CrossPositionsShareOneRatio_EachIsolatedPositionHasItsOwn_AndTheMarkComesFromTheNotional()
    {
        var margins = AccountMargins.Read(JsonDocument.Parse(Account).RootElement)!;

        Assert.Equal(0.1m, margins.CrossRatio); // 80 / (1000 - 200): the isolated position's margin is not the cross balance's burden
        Assert.Equal(2, margins.Positions.Count);
        var btc = margins.Positions[("BTCUSDT", "BOTH")];
        Assert.Equal((0.1m, 48_000m, false), (btc.Amount, btc.Mark, btc.Isolated));
        var eth = margins.Positions[("ETHUSDT", "SHORT")];
        Assert.Equal((-2m, 2_500m, true, 0.75m), (eth.Amount, eth.Mark, eth.Isolated, eth.IsolatedRatio)); // 15 / (50 - 30)
    }

    [Fact]
    public void AMarginBalanceGoneWithMarginStillToKeep_IsAtLiquidation_AndAnErrorIsNoAccount()
    {
        var wiped = Account.Replace("\"totalCrossUnPnl\":\"-200.00\"", "\"totalCrossUnPnl\":\"-1000.00\"", StringComparison.Ordinal);

        Assert.Equal(1m, AccountMargins.Read(JsonDocument.Parse(wiped).RootElement)!.CrossRatio);
        Assert.Null(AccountMargins.Read(JsonDocument.Parse("""{"code":-2015,"msg":"Invalid API-key"}""").RootElement));
    }
}
