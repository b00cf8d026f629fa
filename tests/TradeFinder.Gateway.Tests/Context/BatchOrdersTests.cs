using System.Text.Json;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Tests.Context;

public sealed class BatchOrdersTests
{
    [Fact]
    public void Parse_ReadsEachElementAsTheExchangeReadsIt()
    {
        var batch = BatchOrders.Parse("""[{"symbol":"BTCUSDT","quantity":0.010,"reduceOnly":true},{"symbol":"ETHUSDT","side":"SELL"}]""");

        Assert.False(batch.Malformed);
        Assert.Equal(2, batch.Orders.Count);
        Assert.Equal("0.010", batch.Orders[0]["quantity"]); // a number keeps its digits
        Assert.Equal("true", batch.Orders[0]["reduceOnly"]);
        Assert.Equal("SELL", batch.Orders[1].Get("side"));
        Assert.Null(batch.Orders[1]["quantity"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"symbol\":\"BTCUSDT\"}")]
    [InlineData("[1,2]")]
    [InlineData("[{\"symbol\":\"BTCUSDT\"}")]
    [InlineData("not json")]
    public void Parse_AnythingButAnArrayOfObjects_IsMalformed(string json) => Assert.True(BatchOrders.Parse(json).Malformed);

    [Fact]
    public void Parse_NestedValue_IsFlagged_AndNullCountsAsAbsent()
    {
        var batch = BatchOrders.Parse("""[{"symbol":"BTCUSDT","price":{"x":1},"newClientOrderId":null}]""");

        Assert.True(batch.Orders[0].HasNestedValue);
        Assert.Null(batch.Orders[0]["newClientOrderId"]);
    }

    [Fact]
    public void WithClientIds_ReplacesEveryElementsId_AndKeepsTheBotsOtherBytes()
    {
        var batch = BatchOrders.Parse("""[{"symbol":"BTCUSDT","newClientOrderId":"mine","price":"100.10"},{"symbol":"ETHUSDT","quantity":1.50,"newClientOrderId":null}]""");

        var rewritten = batch.WithClientIds(i => "tabcdef.x" + i);

        Assert.Equal("""[{"symbol":"BTCUSDT","price":"100.10","newClientOrderId":"tabcdef.x0"},{"symbol":"ETHUSDT","quantity":1.50,"newClientOrderId":"tabcdef.x1"}]""", rewritten);
        using var reparsed = JsonDocument.Parse(rewritten);
        Assert.Equal(2, reparsed.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task GatewayRequest_ParsesTheBatchOnce_ForEveryStep()
    {
        var request = await TradeFinder.Testing.TestRequests.ReadAsync("POST", "", "batchOrders=" + Uri.EscapeDataString("""[{"symbol":"BTCUSDT"}]"""));

        Assert.Same(request.Batch, request.Batch);
        Assert.Equal("BTCUSDT", request.Batch.Orders.Single()["symbol"]);
    }
}
