using Microsoft.AspNetCore.Http;
using TradeFinder.Gateway.Validation;

namespace TradeFinder.Gateway.Tests.Validation;

/// <summary>The gateway sets a parameter (a client order id, a batch with ids) without touching the rest of what the bot sent.</summary>
public sealed class GatewayRequestTests
{
    private static async Task<GatewayRequest> ReadAsync(string query, string? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.QueryString = new QueryString(query.Length > 0 ? "?" + query : "");
        if (body is not null)
        {
            context.Request.ContentType = "application/x-www-form-urlencoded";
            context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
        }

        return await GatewayRequest.ReadAsync(context.Request, 65536, CancellationToken.None);
    }

    [Theory]
    [InlineData("symbol=BTCUSDT&side=BUY", null, "symbol=BTCUSDT&side=BUY&newClientOrderId=a%20b", "")]
    [InlineData("", null, "newClientOrderId=a%20b", "")]
    [InlineData("timestamp=1", "symbol=BTCUSDT&side=BUY", "timestamp=1", "symbol=BTCUSDT&side=BUY&newClientOrderId=a%20b")]
    public async Task AnAbsentParameter_IsAppended_ToTheBodyWhenThereIsOne(string query, string? body, string expectedQuery, string expectedBody)
    {
        var request = await ReadAsync(query, body);

        Assert.Equal((expectedQuery, expectedBody), request.WithParameter("newClientOrderId", "a b"));
    }

    [Theory]
    [InlineData("recvWindow=5000&batchOrders=%5B1%5D&timestamp=1", null, "recvWindow=5000&batchOrders=%5B2%5D&timestamp=1", "")]
    [InlineData("timestamp=1", "batchOrders=%5B1%5D&recvWindow=5000", "timestamp=1", "batchOrders=%5B2%5D&recvWindow=5000")]
    [InlineData("batch%4Frders=%5B1%5D", null, "batchOrders=%5B2%5D", "")] // an encoded name is still that name
    public async Task APresentParameter_IsReplacedWhereItWasSent_AndEverythingElseStaysByteForByte(string query, string? body, string expectedQuery, string expectedBody)
    {
        var request = await ReadAsync(query, body);

        Assert.Equal((expectedQuery, expectedBody), request.WithParameter("batchOrders", "[2]"));
    }
}
