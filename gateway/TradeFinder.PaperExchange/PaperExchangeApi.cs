using System.Globalization;
using TradeFinder.Contracts.Exchange;
using TradeFinder.PaperExchange.Accounts;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Security;

namespace TradeFinder.PaperExchange;

/// <summary>The exchange's REST paths, each with its security type; the security filter runs first.</summary>
internal static class PaperExchangeApi
{
    public static IEndpointRouteBuilder MapPaperExchangeApi(this IEndpointRouteBuilder app)
    {
        var fapi = app.MapGroup("/fapi").AddEndpointFilter<ExchangeSecurityFilter>();

        fapi.MapGet("/v1/ping", () => TypedResults.Json(new { })).WithSecurity(SecurityType.None);
        fapi.MapGet("/v1/time", (TimeProvider time) =>
            TypedResults.Json(new { serverTime = time.GetUtcNow().ToUnixTimeMilliseconds() })).WithSecurity(SecurityType.None);
        fapi.MapGet("/v1/exchangeInfo", (TimeProvider time) =>
            TypedResults.Json(ExchangeInfoDocument.Build(time.GetUtcNow().ToUnixTimeMilliseconds()))).WithSecurity(SecurityType.None);
        fapi.MapGet("/v2/account", (PaperAccount account) => TypedResults.Json(account.ToAccountV2())).WithSecurity(SecurityType.UserData);

        fapi.MapPost("/v1/leverage", ChangeLeverage).WithSecurity(SecurityType.Trade);

        return app;
    }

    private static IResult ChangeLeverage(HttpContext context, PaperAccount account)
    {
        var parameters = context.Parameters();
        var symbol = parameters["symbol"];
        if (string.IsNullOrEmpty(symbol))
        {
            return ExchangeResults.MandatoryParam("symbol");
        }

        if (SymbolSpec.Listed.All(s => s.Symbol != symbol))
        {
            return ExchangeResults.Error(-1121, "Invalid symbol.");
        }

        if (!int.TryParse(parameters["leverage"], NumberStyles.None, CultureInfo.InvariantCulture, out var leverage))
        {
            return ExchangeResults.MandatoryParam("leverage");
        }

        if (leverage is < 1 or > PaperAccount.MaxLeverage)
        {
            return ExchangeResults.Error(-4028, $"Leverage {leverage} is not valid");
        }

        account.SetLeverage(symbol, leverage);
        return TypedResults.Json(new { leverage, maxNotionalValue = "1000000", symbol });
    }
}
