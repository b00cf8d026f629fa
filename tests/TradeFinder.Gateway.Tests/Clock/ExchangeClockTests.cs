using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Clock;

namespace TradeFinder.Gateway.Tests.Clock;

public sealed class ExchangeClockTests
{
    [Fact]
    public void NowMs_IsOurClockPlusEachUpstreamsOwnOffset()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var clock = new ExchangeClock(time);

        clock.SetOffset(TradingMode.Testnet, 1_500);
        clock.SetOffset(TradingMode.Live, -250);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1_700_000_002_500, clock.NowMs(TradingMode.Testnet));
        Assert.Equal(1_700_000_000_750, clock.NowMs(TradingMode.Live));
        Assert.Equal(1_700_000_001_000, clock.NowMs(TradingMode.Paper)); // not measured yet: no offset
    }
}
