using TradeFinder.Contracts.Errors;

namespace TradeFinder.PaperExchange.Hosting;

/// <summary>Error answers in the exchange's own shape and HTTP status.</summary>
internal static class ExchangeResults
{
    public static IResult Error(int code, string message, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Json(new ExchangeError(code, message), PaperJson.Options, statusCode: status);

    /// <summary>A successful exchange answer; handlers return the exchange's JSON shapes as they are.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<object> Json(object body) => TypedResults.Json(body);
}
