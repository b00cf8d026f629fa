using TradeFinder.PaperExchange.Tests;
using static TradeFinder.PaperExchange.Tests.PaperHarness;

namespace TradeFinder.PaperExchange.Tests.Persistence;

public sealed class RestartTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tf-paper-" + Guid.NewGuid().ToString("N"));

    private string StatePath => Path.Combine(_dir, "state.json");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Account_SurvivesRestart_AndResetRestoresTheStartingBalance()
    {
        long orderId;
        await using (var first = await StartAsync(s => s with { StatePath = StatePath }))
        {
            await first.PinAsync("BTCUSDT", 50_000m);
            await first.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1");
            orderId = (await first.OrderAsync("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=45000")).GetProperty("orderId").GetInt64();
            await first.OkAsync(HttpMethod.Post, "fapi/v1/leverage", "symbol=BTCUSDT&leverage=7");
        }

        Assert.True(File.Exists(StatePath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StatePath));
        }

        await using var second = await StartAsync(s => s with { StatePath = StatePath });
        await second.PinAsync("BTCUSDT", 50_000m);

        Assert.Equal("0.100", (await second.PositionAsync("BTCUSDT")).GetProperty("positionAmt").GetString());
        Assert.Equal("7", (await second.PositionAsync("BTCUSDT")).GetProperty("leverage").GetString());
        Assert.Equal("NEW", (await second.OkAsync(HttpMethod.Get, "fapi/v1/order", "symbol=BTCUSDT&orderId=" + orderId)).GetProperty("status").GetString());
        Assert.NotEqual(10_000m, await second.WalletAsync());

        using var reset = await second.Http.PostAsync(new Uri("paper/control/reset", UriKind.Relative), null);
        reset.EnsureSuccessStatusCode();

        Assert.Equal(10_000m, await second.WalletAsync());
        Assert.Equal("0.000", (await second.PositionAsync("BTCUSDT")).GetProperty("positionAmt").GetString());
        Assert.Empty((await second.OkAsync(HttpMethod.Get, "fapi/v1/openOrders")).EnumerateArray());
    }

    [Fact]
    public async Task AnUnchangedAccount_IsNotWrittenAgainEverySecond_AChangedOneIs()
    {
        await using var paper = await StartAsync(s => s with { StatePath = StatePath });
        await paper.PinAsync("BTCUSDT", 50_000m);
        await paper.OrderAsync("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1");
        paper.Advance(TimeSpan.FromSeconds(2));
        Assert.True(File.Exists(StatePath));

        // The venue ticks every second; with the price pinned and nothing asked, the account is what the file holds.
        var longAgo = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(StatePath, longAgo);
        for (var i = 0; i < 5; i++)
        {
            paper.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(longAgo, File.GetLastWriteTimeUtc(StatePath));

        await paper.OkAsync(HttpMethod.Post, "fapi/v1/leverage", "symbol=BTCUSDT&leverage=7");
        paper.Advance(TimeSpan.FromSeconds(1));
        Assert.NotEqual(longAgo, File.GetLastWriteTimeUtc(StatePath));
        Assert.Contains("\"leverage\":7", await File.ReadAllTextAsync(StatePath), StringComparison.Ordinal);
    }
}
