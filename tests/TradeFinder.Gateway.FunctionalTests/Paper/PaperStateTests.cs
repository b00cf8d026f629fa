using System.Text.Json;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Paper;

/// <summary>The hosted paper account lives in the data dir: it survives a gateway restart, and `paper reset` restores it.</summary>
public sealed class PaperStateTests : IDisposable
{
    private readonly string _dataDir = TempDirectory.Create("tf-paper-state");

    public void Dispose() => TempDirectory.Delete(_dataDir);

    [Fact]
    public async Task PaperAccount_SurvivesGatewayRestart_AndPaperResetRestoresTheStartingBalance()
    {
        await using (var first = await GatewayTestHost.StartAsync(dataDir: _dataDir))
        {
            using var bot = first.CreateClient(await first.IssueBotAsync("alpha"));
            using var order = await bot.PostAsync(new Uri("fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.5&newOrderRespType=RESULT", UriKind.Relative), null);
            Assert.True(order.IsSuccessStatusCode, await order.Content.ReadAsStringAsync());
        }

        await using var second = await GatewayTestHost.StartAsync(dataDir: _dataDir);
        using var again = second.CreateClient(second.LoadBotCertificate("alpha"));

        Assert.Equal("0.500", await PositionAmountAsync(again));
        Assert.NotEqual("10000.00000000", await WalletAsync(again));

        var (code, output, _) = await second.CliAsync("paper", "reset");

        Assert.Equal(0, code);
        Assert.Contains("running gateway", output);
        Assert.Equal("0.000", await PositionAmountAsync(again));
        Assert.Equal("10000.00000000", await WalletAsync(again));
    }

    private static async Task<string> PositionAmountAsync(HttpClient bot)
    {
        using var json = JsonDocument.Parse(await bot.GetStringAsync(new Uri("fapi/v2/positionRisk?symbol=ETHUSDT", UriKind.Relative)));
        return json.RootElement[0].GetProperty("positionAmt").GetString()!;
    }

    private static async Task<string> WalletAsync(HttpClient bot)
    {
        using var json = JsonDocument.Parse(await bot.GetStringAsync(new Uri("fapi/v2/account", UriKind.Relative)));
        return json.RootElement.GetProperty("totalWalletBalance").GetString()!;
    }
}
