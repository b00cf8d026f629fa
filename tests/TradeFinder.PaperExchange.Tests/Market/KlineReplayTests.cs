using System.Globalization;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Tests.Market;

public sealed class KlineReplayTests
{
    [Fact]
    public void PriceAt_VisitsOpenBothExtremesAndCloseOfEveryMinute()
    {
        var csv = Path.Combine(AppContext.BaseDirectory, "Market", "Data", "BTCUSDT-1m.csv");
        var replay = KlineReplay.Load(csv);
        var rows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',').Skip(1).Take(4).Select(v => decimal.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

        for (var minute = 0; minute < 30; minute++)
        {
            var prices = Enumerable.Range(0, 60).Select(s => replay.PriceAt((minute * 60L) + s)).ToArray();
            Assert.Equal(rows[minute][0], prices[0]);
            Assert.Equal(rows[minute][1], prices.Max());
            Assert.Equal(rows[minute][2], prices.Min());
            Assert.Equal(rows[minute][3], prices[59]);
        }
    }
}
