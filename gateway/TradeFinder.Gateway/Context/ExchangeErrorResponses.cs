using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TradeFinder.Contracts;
using TradeFinder.Contracts.Errors;

namespace TradeFinder.Gateway.Context;

/// <summary>Local refusals in the exchange's <c>{"code":..,"msg":..}</c> shape; they never reach upstream.</summary>
internal static class ExchangeErrorResponses
{
    // The exchange writes messages such as "Mandatory parameter 'symbol' ..." with plain quotes; so do we.
    private static readonly JsonTypeInfo<ExchangeError> Json = (JsonTypeInfo<ExchangeError>)new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ContractsJson.Default,
    }.GetTypeInfo(typeof(ExchangeError));

    /// <summary>The <c>code</c> of an exchange error answer already parsed, or null when it is not one (an order, a list).</summary>
    public static int? ErrorCode(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() < 0
            ? code.GetInt32()
            : null;

    /// <summary>The <c>msg</c> of an exchange error answer already parsed ("" when it has none).</summary>
    public static string ErrorMessage(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String ? msg.GetString() ?? "" : "";

    /// <summary>The <c>code</c> of an exchange error body (<c>{"code":..,"msg":..}</c>), or null when it is not one.</summary>
    public static int? ReadCode(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.CurrentDepth >= 1)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("code"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var code) ? code : null;
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>A refusal that tells the bot when to try again (429 budgets and back-off, 503 open breakers).</summary>
    public static Task WriteRetryLaterAsync(HttpContext context, int status, int code, TimeSpan retryAfter, string message)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(context, status, code, $"{message} Retry after {seconds} s.");
    }

    public static Task WriteAsync(HttpContext context, int status, int code, string message)
    {
        context.Features.Set(new RefusalFeature(status, code, message));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";

        // A sized body in one write instead of a chunked stream: refusals are the gateway's hottest answer.
        var body = JsonSerializer.SerializeToUtf8Bytes(new ExchangeError(code, message), Json);
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
