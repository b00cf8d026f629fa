using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Context;

/// <summary>The gateway sets a parameter (a client order id, a batch with ids) without touching the rest of what the bot sent.</summary>
public sealed class GatewayRequestTests
{
    [Theory]
    [InlineData("symbol=BTCUSDT&side=BUY", null, "symbol=BTCUSDT&side=BUY&newClientOrderId=a%20b", "")]
    [InlineData("", null, "newClientOrderId=a%20b", "")]
    [InlineData("timestamp=1", "symbol=BTCUSDT&side=BUY", "timestamp=1", "symbol=BTCUSDT&side=BUY&newClientOrderId=a%20b")]
    public async Task AnAbsentParameter_IsAppended_ToTheBodyWhenThereIsOne(string query, string? body, string expectedQuery, string expectedBody)
    {
        var request = await TestRequests.ReadAsync("POST", query, body);

        Assert.Equal((expectedQuery, expectedBody), request.WithParameter("newClientOrderId", "a b"));
    }

    [Theory]
    [InlineData("recvWindow=5000&batchOrders=%5B1%5D&timestamp=1", null, "recvWindow=5000&batchOrders=%5B2%5D&timestamp=1", "")]
    [InlineData("timestamp=1", "batchOrders=%5B1%5D&recvWindow=5000", "timestamp=1", "batchOrders=%5B2%5D&recvWindow=5000")]
    [InlineData("batch%4Frders=%5B1%5D", null, "batchOrders=%5B2%5D", "")] // an encoded name is still that name
    public async Task APresentParameter_IsReplacedWhereItWasSent_AndEverythingElseStaysByteForByte(string query, string? body, string expectedQuery, string expectedBody)
    {
        var request = await TestRequests.ReadAsync("POST", query, body);

        Assert.Equal((expectedQuery, expectedBody), request.WithParameter("batchOrders", "[2]"));
    }
}
