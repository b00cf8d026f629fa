using System.Net;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Tests.Context;

public sealed class ListenerOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:8443", "127.0.0.1", 8443)]
    [InlineData("localhost:9464", "127.0.0.1", 9464)]
    [InlineData("[::1]:8444", "::1", 8444)]
    [InlineData("0.0.0.0:8443", "0.0.0.0", 8443)]
    public void ParseEndpoint_GivesTheAddressKestrelBinds(string value, string address, int port) =>
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), ListenerOptions.ParseEndpoint(value));

    [Fact]
    public void ParseEndpoint_HostName_IsRefusedWithAnExample()
    {
        var ex = Assert.Throws<GatewayStartupException>(() => ListenerOptions.ParseEndpoint("gateway.internal:8443"));

        Assert.Contains("127.0.0.1:8443", ex.Message);
    }

    [Theory]
    [InlineData("8443")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:port")]
    public void MalformedEndpoint_FailsValidation(string value) =>
        Assert.True(new ListenerOptionsValidator().Validate(null, new ListenerOptions { BotsEndpoint = value }).Failed);

    [Fact]
    public void BotsAndOpsOnTheSameSocket_FailValidation()
    {
        var same = new ListenerOptions { BotsEndpoint = "127.0.0.1:9000", OpsEndpoint = "127.0.0.1:9000" };

        Assert.True(new ListenerOptionsCustomValidator().Validate(null, same).Failed);
        Assert.False(new ListenerOptionsCustomValidator().Validate(null, new ListenerOptions()).Failed);
    }
}
