using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Upstream;
using TradeFinder.Gateway.Validation;
using TradeFinder.PaperExchange.Market;
using TradeFinder.Testing;


namespace TradeFinder.Gateway.Tests.Validation;

/// <summary>Edge tables per parameter kind and per filter, against the simulator's exchangeInfo (BTCUSDT tick 0.10, step 0.001, notional 100).</summary>
public sealed class RequestValidatorTests
{
    private static readonly ExchangeRules Rules = CreateRules();

    private static ExchangeRules CreateRules()
    {
        var rules = new ExchangeRules(new UpstreamDirectory(TradingMode.Paper, new Dictionary<TradingMode, Uri>()), null!, TimeProvider.System, NullLogger<ExchangeRules>.Instance);
        using var info = JsonDocument.Parse(JsonSerializer.Serialize(ExchangeInfoDocument.Build(0)));
        rules.Set(TradingMode.Paper, ExchangeRules.Parse(info.RootElement));
        return rules;
    }

    private static async Task<int> CodeOf(string method, string path, string query, string? body = null)
    {
        var request = await TestRequests.ReadAsync(method, query, body);
        return RequestValidator.Validate(method, path, request, TradingMode.Paper, Rules)?.Code ?? 0;
    }

    private const string Limit = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC";

    [Theory]
    [InlineData(Limit + "&quantity=0.01&price=65000", 0)]
    [InlineData(Limit + "&quantity=0.01&price=65000.1", 0)]
    [InlineData(Limit + "&quantity=0.01&price=65000.15", -1111)]
    [InlineData(Limit + "&quantity=0.01&price=261.0", -1013)]
    [InlineData(Limit + "&quantity=0.01&price=809484.1", -1013)]
    [InlineData(Limit + "&quantity=0.0015&price=65000", -1111)]
    [InlineData(Limit + "&quantity=1000.001&price=65000", -1013)]
    [InlineData(Limit + "&quantity=0.001&price=65000", -1013)]
    [InlineData(Limit + "&quantity=0.001&price=65000&reduceOnly=true", 0)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=120", 0)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=120.001", -1013)]
    [InlineData(Limit + "&quantity=0&price=65000", -1102)]
    [InlineData(Limit + "&quantity=-1&price=65000", -1100)]
    [InlineData(Limit + "&quantity=1e3&price=65000", -1100)]
    [InlineData(Limit + "&quantity=0.01&price=65,000", -1100)]
    public async Task Filters_AndDecimals_HaveEdges(string query, int code) =>
        Assert.Equal(code, await CodeOf("POST", "/fapi/v1/order", query));

    [Theory]
    [InlineData("symbol=btcusdt&side=BUY&type=MARKET&quantity=0.01", -1100)]
    [InlineData("symbol=XYZUSDT&side=BUY&type=MARKET&quantity=0.01", -1121)]
    [InlineData("symbol=BTCUSDT&side=buy&type=MARKET&quantity=0.01", -1117)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=LIMITED&quantity=0.01", -1116)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=ABC&quantity=0.01&price=65000", -1115)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&positionSide=UP", -4060)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&workingType=LAST", -1130)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newOrderRespType=FULL", -1130)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=has space", -4015)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=0123456789012345678901234567890123456", -4015)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=ok-id_1.2:3/4", 0)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&reduceOnly=yes", -1102)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET", 0)]
    [InlineData("side=BUY&type=MARKET&quantity=0.01", -1102)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&foo=bar", -1104)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&symbol=ETHUSDT", -1106)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=a%0Ab", -1100)]
    [InlineData("symbol=BTCUSDT%00&side=BUY&type=MARKET&quantity=0.01", -1100)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=a%7Fb", -1100)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=a%C2%85b", -1100)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=caf%C3%A9", -1100)]
    [InlineData("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&timestamp=1&recvWindow=5000&signature=x", 0)]
    public async Task FormatsEnumsNamesAndDuplicates(string query, int code) =>
        Assert.Equal(code, await CodeOf("POST", "/fapi/v1/order", query));

    [Fact]
    public async Task SameParameterInQueryAndBody_IsAmbiguous_AndRefused()
    {
        Assert.Equal(-1106, await CodeOf("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY", "type=MARKET&quantity=0.01&side=SELL"));
        Assert.Equal(0, await CodeOf("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY", "type=MARKET&quantity=0.01"));
    }

    [Theory]
    [InlineData("/fapi/v1/depth", "symbol=BTCUSDT&limit=100", 0)]
    [InlineData("/fapi/v1/depth", "limit=100", -1102)]
    [InlineData("/fapi/v1/depth", "symbol=BTCUSDT&limit=abc", -1100)]
    [InlineData("/fapi/v1/klines", "symbol=BTCUSDT&interval=2m", -1130)]
    [InlineData("/fapi/v1/klines", "symbol=BTCUSDT&interval=1h&startTime=1700000000000", 0)]
    [InlineData("/fapi/v1/time", "symbol=BTCUSDT", -1104)]
    public async Task MarketDataParameters(string path, string query, int code) =>
        Assert.Equal(code, await CodeOf("GET", path, query));

    [Theory]
    [InlineData("""[{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.01","price":"65000"}]""", 0)]
    [InlineData("""[{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.01","price":"65000.15"}]""", -1111)]
    [InlineData("""[{"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":"0.01","evil":"1"}]""", -1104)]
    [InlineData("""[{"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":{"$gt":0}}]""", -1130)]
    [InlineData("""not json""", -1102)]
    [InlineData("""[]""", -1130)]
    public async Task BatchOrders_AreValidatedElementByElement(string batch, int code)
    {
        Assert.Equal(code, await CodeOf("POST", "/fapi/v1/batchOrders", "batchOrders=" + Uri.EscapeDataString(batch)));
    }

    [Fact]
    public async Task BatchOrders_MoreThanFive_IsRefused()
    {
        var one = """{"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":"0.01"}""";
        Assert.Equal(-1130, await CodeOf("POST", "/fapi/v1/batchOrders", "batchOrders=" + Uri.EscapeDataString("[" + string.Join(',', Enumerable.Repeat(one, 6)) + "]")));
    }

    [Fact]
    public void EveryCataloguedEndpoint_HasParameterRules()
    {
        Assert.All(Contracts.Exchange.UsdmEndpoints.All, e => Assert.True(ParameterRules.Covers(e.Method, e.Path), $"{e.Method} {e.Path}"));
    }
}
