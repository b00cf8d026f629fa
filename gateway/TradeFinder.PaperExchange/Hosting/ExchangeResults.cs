using System.Text.Json;
using System.Text.Json.Nodes;
using TradeFinder.Contracts.Errors;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.PaperExchange.Hosting;

/// <summary>Answers in the exchange's own shapes and HTTP status, written without reflection.</summary>
internal static class ExchangeResults
{
    public static IResult Error(int code, string message, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Json(new ExchangeError(code, message), PaperJson.Errors, statusCode: status);

    /// <summary>A successful exchange answer: the exchange's JSON shape, built as it is.</summary>
    public static JsonNodeResult Json(JsonNode? body) => new(body);

    /// <summary>An array answer of <paramref name="items"/>.</summary>
    public static JsonNodeResult Json(IEnumerable<JsonNode?> items) => new(Wire.List(items));

    internal sealed class JsonNodeResult(JsonNode? body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await using (var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter))
            {
                if (body is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    body.WriteTo(writer);
                }
            }

            await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
