using Microsoft.AspNetCore.Http;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Testing;

/// <summary>A bot request as the gateway reads it: a query string and, when given, a form body.</summary>
internal static class TestRequests
{
    public static async Task<GatewayRequest> ReadAsync(string method, string query, string? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query.Length > 0 ? "?" + query : "");
        if (body is not null)
        {
            context.Request.ContentType = "application/x-www-form-urlencoded";
            context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
        }

        return await GatewayRequest.ReadAsync(context.Request, 65536, CancellationToken.None);
    }
}
