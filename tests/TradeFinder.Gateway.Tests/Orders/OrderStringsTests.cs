using TradeFinder.Gateway.Orders;

namespace TradeFinder.Gateway.Tests.Orders;

public sealed class OrderStringsTests
{
    [Fact]
    public void EqualTextParsedTwice_IsHeldOnce()
    {
        var first = OrderStrings.Of(new string("ETHUSDT".AsSpan()));
        var second = OrderStrings.Of(new string("ETHUSDT".AsSpan()));

        Assert.Same(first, second);
        Assert.Equal("ETHUSDT", first);
    }
}
