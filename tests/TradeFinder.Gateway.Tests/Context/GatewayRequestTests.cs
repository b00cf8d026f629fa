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

    [Theory]
    [InlineData("symbol=BTCUSDT&newClientOrderId=a%20b+c", null, "newClientOrderId", "a b c")]
    [InlineData("a%62c=1", null, "abc", "1")]                       // an encoded name is still that name
    [InlineData("&&symbol=BTCUSDT&", null, "symbol", "BTCUSDT")]    // empty segments are nothing
    [InlineData("reduceOnly", null, "reduceOnly", "")]              // a name without '=' has an empty value
    [InlineData("timestamp=1", "symbol=BTCUSDT&price=1%2E5", "price", "1.5")]
    public async Task Parameters_AreDecodedFromTheQueryAndTheBody(string query, string? body, string name, string expected)
    {
        var request = await TestRequests.ReadAsync("POST", query, body);

        Assert.Equal(expected, request[name]);
        Assert.Null(request.Duplicate);
    }

    [Theory]
    [InlineData("symbol=BTCUSDT&symbol=ETHUSDT", null, "symbol")]
    [InlineData("symbol=BTCUSDT&SYMBOL=ETHUSDT", null, "SYMBOL")]   // names differing in case only: which one the exchange reads is not ours to guess
    [InlineData("symbol=BTCUSDT", "side=BUY&Symbol=ETHUSDT", "Symbol")]
    [InlineData("sym%62ol=BTCUSDT&symbol=ETHUSDT", null, "symbol")]
    public async Task ANameSentTwice_InEitherOrAcrossBoth_IsTheDuplicate(string query, string? body, string duplicate)
    {
        var request = await TestRequests.ReadAsync("POST", query, body);

        Assert.Equal(duplicate, request.Duplicate);
    }
}
