namespace TradeFinder.Contracts.Exchange;

/// <summary>One Binance USDⓈ-M REST endpoint: the exchange's facts, shared by the gateway and the simulator.</summary>
/// <param name="Method">HTTP method, upper case.</param>
/// <param name="Path">Exact path, case-sensitive as the exchange serves it.</param>
/// <param name="Security">Security type (key header, signature).</param>
/// <param name="Weight">Request weight against the IP limit when no parameter changes it.</param>
/// <param name="Scope">The gateway scope a bot needs to call it (<see cref="ScopeNames"/>).</param>
/// <param name="OrderCount">What one call adds to the order-rate counters (10 s and 1 min).</param>
public sealed record UsdmEndpoint(string Method, string Path, SecurityType Security, int Weight, string Scope, int OrderCount = 0)
{
    /// <summary>The request weight of a call, including weights that depend on parameters (Binance USDⓈ-M Futures API endpoint pages).</summary>
    /// <param name="parameter">Looks up a request parameter by name; null when absent.</param>
    /// <returns>The weight the exchange charges.</returns>
    public int WeightFor(Func<string, string?> parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return WeightFor(parameter, static (lookup, name) => lookup(name));
    }

    /// <summary>The request weight of a call, the parameters looked up in <paramref name="state"/> (no closure per request).</summary>
    /// <param name="state">Where the parameters are.</param>
    /// <param name="parameter">Looks up a request parameter by name in <paramref name="state"/>; null when absent.</param>
    /// <returns>The weight the exchange charges.</returns>
    public int WeightFor<TState>(TState state, Func<TState, string, string?> parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var hasSymbol = !string.IsNullOrEmpty(parameter(state, "symbol"));
        return (Method, Path) switch
        {
            ("GET", "/fapi/v1/depth") => DepthWeight(ParseInt(parameter(state, "limit"), 500)),
            ("GET", "/fapi/v1/klines") => KlinesWeight(ParseInt(parameter(state, "limit"), 500)),
            ("GET", "/fapi/v1/ticker/price" or "/fapi/v2/ticker/price") => hasSymbol ? 1 : 2,
            ("GET", "/fapi/v1/ticker/24hr") => hasSymbol ? 1 : 40,
            ("GET", "/fapi/v1/premiumIndex") => hasSymbol ? 1 : 10,
            ("GET", "/fapi/v1/openOrders" or "/fapi/v1/openAlgoOrders") => hasSymbol ? 1 : 40,
            _ => Weight,
        };
    }

    private static int DepthWeight(int limit) => limit switch
    {
        <= 50 => 2,
        <= 100 => 5,
        <= 500 => 10,
        _ => 20,
    };

    private static int KlinesWeight(int limit) => limit switch
    {
        < 100 => 1,
        < 500 => 2,
        <= 1000 => 5,
        _ => 10,
    };

    private static int ParseInt(string? value, int fallback) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;
}
