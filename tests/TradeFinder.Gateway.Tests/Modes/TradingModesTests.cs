using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Tests.Modes;

public sealed class TradingModesTests
{
    [Theory]
    [InlineData(null, TradingMode.Paper)]
    [InlineData("", TradingMode.Paper)]
    [InlineData("  ", TradingMode.Paper)]
    [InlineData("paper", TradingMode.Paper)]
    [InlineData("TESTNET", TradingMode.Testnet)]
    [InlineData(" live ", TradingMode.Live)]
    public void TryParse_KnownOrUnset_GivesMode(string? value, TradingMode expected)
    {
        Assert.True(TradingModes.TryParse(value, out var mode));
        Assert.Equal(expected, mode);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("prod")]
    [InlineData("production")]
    [InlineData("2")]
    [InlineData("live;")]
    public void TryParse_UnknownValue_Fails(string value)
    {
        Assert.False(TradingModes.TryParse(value, out _));
    }

    [Fact]
    public void Modes_AreOrderedByRisk()
    {
        Assert.True(TradingMode.Paper < TradingMode.Testnet);
        Assert.True(TradingMode.Testnet < TradingMode.Live);
    }

    [Fact]
    public void EveryMode_IsNamedAsConfigured_AndParsesBack()
    {
        Assert.Equal(TradingModes.AllowedValues, Enum.GetValues<TradingMode>().Select(m => m.ToConfigValue()));
        foreach (var mode in Enum.GetValues<TradingMode>())
        {
            Assert.True(TradingModes.TryParse(mode.ToConfigValue(), out var parsed));
            Assert.Equal(mode, parsed);
        }
    }
}
