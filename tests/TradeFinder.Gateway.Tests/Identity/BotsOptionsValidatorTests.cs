using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Tests.Identity;

public sealed class BotsOptionsValidatorTests
{
    private static string[] Failures(ConfiguredBot bot)
    {
        var options = new BotsOptions { ["alpha"] = bot };
        var result = new BotsOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures!] : [];
    }

    [Fact]
    public void SensibleBot_Passes() => Assert.Empty(Failures(new ConfiguredBot
    {
        Scopes = ["market:read", "trade"],
        KeyGroup = "desk-1",
        Limits = new RiskLimits { MaxLeverage = 5, MaxOrderNotional = 1000, RequiredMarginType = "ISOLATED", AllowedOrderTypes = ["LIMIT"], MaxOpenOrders = 3 },
    }));

    [Theory]
    [InlineData("withdraw", "unknown scope 'withdraw'")]
    [InlineData("TRADE", "unknown scope 'TRADE'")]
    public void UnknownScope_IsNamed(string scope, string expected) =>
        Assert.Contains(Failures(new ConfiguredBot { Scopes = [scope] }), f => f.Contains(expected, StringComparison.Ordinal) && f.StartsWith("Gateway:Bots:alpha:", StringComparison.Ordinal));

    [Fact]
    public void BadKeyGroup_IsRefused() => Assert.Contains(Failures(new ConfiguredBot { KeyGroup = "Desk One" }), f => f.Contains("KeyGroup", StringComparison.Ordinal));

    [Theory]
    [InlineData(0)]
    [InlineData(126)]
    public void LeverageTheExchangeDoesNotOffer_IsRefused(int leverage) =>
        Assert.Contains(Failures(new ConfiguredBot { Limits = new RiskLimits { MaxLeverage = leverage } }), f => f.Contains("MaxLeverage", StringComparison.Ordinal));

    [Fact]
    public void MeaninglessLimits_AreEachNamed()
    {
        var failures = Failures(new ConfiguredBot
        {
            Limits = new RiskLimits { MaxOrderNotional = 0, MaxPositionNotional = -1, MaxOpenOrders = 0, RequiredMarginType = "cross", AllowedOrderTypes = ["ICEBERG"] },
        });

        Assert.Equal(5, failures.Length);
    }
}
