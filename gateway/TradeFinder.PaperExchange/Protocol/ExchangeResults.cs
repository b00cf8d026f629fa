using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using TradeFinder.Contracts;
using TradeFinder.Contracts.Errors;

namespace TradeFinder.PaperExchange.Protocol;

/// <summary>Answers in the exchange's own shapes and HTTP status, written without reflection.</summary>
internal static class ExchangeResults
{
    private static readonly JsonSerializerOptions ErrorOptions = new(JsonSerializerDefaults.Web)
    {
        // Messages such as "Mandatory parameter 'symbol' ..." keep their plain quotes, as on the exchange.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ContractsJson.Default,
    };

    private static readonly JsonTypeInfo<ExchangeError> ErrorJson = (JsonTypeInfo<ExchangeError>)ErrorOptions.GetTypeInfo(typeof(ExchangeError));

    /// <summary>An error answer: <c>{"code":..,"msg":..}</c>.</summary>
    public static IResult Error(int code, string message, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Json(new ExchangeError(code, message), ErrorJson, statusCode: status);

    /// <summary>A successful exchange answer: the exchange's JSON shape, built as it is.</summary>
    public static JsonNodeResult Json(JsonNode? body) => new(body);

    /// <summary>An array answer of <paramref name="items"/>.</summary>
    public static JsonNodeResult Json(IEnumerable<JsonNode?> items) => new(new JsonArray([.. items]));

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
