using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Modes;

namespace TradeFinder.Gateway.Tests.Modes;

public sealed class UpstreamOverrideTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9900", "http://127.0.0.1:9900/")]
    [InlineData("http://127.0.0.2:80/ignored/path", "http://127.0.0.2/")]
    [InlineData("https://localhost:9443", "https://localhost:9443/")]
    [InlineData("http://[::1]:9900", "http://[::1]:9900/")]
    public void Parse_LoopbackUrl_IsAccepted(string value, string expected)
    {
        Assert.Equal(new Uri(expected), UpstreamOverride.Parse(value));
    }

    [Theory]
    [InlineData("https://fapi.binance.com")]
    [InlineData("http://10.0.0.5:9900")]
    [InlineData("http://192.168.1.10")]
    [InlineData("http://localhost.evil.example:9900")]
    [InlineData("http://127.0.0.1.nip.io")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("127.0.0.1:9900")]
    [InlineData("not a url")]
    public void Parse_NonLoopbackOrMalformed_RefusesToStart(string value)
    {
        var error = Assert.Throws<GatewayStartupException>(() => UpstreamOverride.Parse(value));
        Assert.Contains("TRADEFINDER_UPSTREAM_OVERRIDE", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_Unset_MeansNoOverride(string? value)
    {
        Assert.Null(UpstreamOverride.Parse(value));
    }
}
