using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TradeFinder.Contracts;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Validation;

/// <summary>
/// Checks a request's parameters before anything is forwarded: known names only, each once, required ones
/// present, values in the exchange's formats and enums, symbols that exist, and prices and quantities that
/// pass the symbol's filters.
/// </summary>
internal static partial class RequestValidator
{
    private const int MaxBatch = 5;

    private static readonly Dictionary<string, string[]> Enums = new(StringComparer.Ordinal)
    {
        ["side"] = ["BUY", "SELL"],
        ["type"] = ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"],
        ["timeInForce"] = ["GTC", "IOC", "FOK", "GTX", "GTD", "RPI"],
        ["positionSide"] = ["BOTH", "LONG", "SHORT"],
        ["workingType"] = ["MARK_PRICE", "CONTRACT_PRICE"],
        ["newOrderRespType"] = ["ACK", "RESULT"],
        ["marginType"] = ["ISOLATED", "CROSSED"],
        ["algoType"] = ["CONDITIONAL"],
        ["priceMatch"] = ["NONE", "OPPONENT", "OPPONENT_5", "OPPONENT_10", "OPPONENT_20", "QUEUE", "QUEUE_5", "QUEUE_10", "QUEUE_20"],
        ["selfTradePreventionMode"] = ["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"],
        ["interval"] = ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"],
        ["incomeType"] = ["TRANSFER", "WELCOME_BONUS", "REALIZED_PNL", "FUNDING_FEE", "COMMISSION", "INSURANCE_CLEAR", "REFERRAL_KICKBACK", "COMMISSION_REBATE", "API_REBATE", "CONTEST_REWARD", "CROSS_COLLATERAL_TRANSFER", "OPTIONS_PREMIUM_FEE", "OPTIONS_SETTLE_PROFIT", "INTERNAL_TRANSFER", "AUTO_EXCHANGE", "DELIVERED_SETTELMENT", "COIN_SWAP_DEPOSIT", "COIN_SWAP_WITHDRAW", "POSITION_LIMIT_INCREASE_FEE"],
    };

    private static readonly Dictionary<string, int> EnumCodes = new(StringComparer.Ordinal)
    {
        ["side"] = ExchangeErrorCodes.InvalidSide, ["type"] = ExchangeErrorCodes.InvalidOrderType, ["timeInForce"] = ExchangeErrorCodes.InvalidTimeInForce, ["positionSide"] = ExchangeErrorCodes.InvalidPositionSide,
    };

    private static readonly HashSet<string> Decimals = new(StringComparer.Ordinal) { "quantity", "price", "stopPrice", "triggerPrice", "activationPrice", "activatePrice", "callbackRate", "amount" };
    private static readonly HashSet<string> Integers = new(StringComparer.Ordinal) { "limit", "orderId", "startTime", "endTime", "fromId", "leverage", "countdownTime", "goodTillDate", "algoId", "page", "timestamp", "recvWindow" };
    private static readonly HashSet<string> Booleans = new(StringComparer.Ordinal) { "reduceOnly", "closePosition", "priceProtect", "dualSidePosition" };
    private static readonly HashSet<string> ClientIdNames = new(StringComparer.Ordinal) { "newClientOrderId", "origClientOrderId", "clientAlgoId" };

    public static ValidationFailure? Validate(string method, string path, GatewayRequest request, TradingMode mode, ExchangeRules rules)
    {
        if (request.Duplicate is not null)
        {
            return new(ExchangeErrorCodes.ParamNotRequired, $"Parameter '{request.Duplicate}' was sent more than once.");
        }

        var (allowed, required) = ParameterRules.For(method, path);
        return ValidateSet(request.Values, allowed, required, mode, rules)
            ?? (method == "POST" && path == UsdmPaths.BatchOrders ? ValidateBatch(request.Batch, mode, rules) : null)
            ?? (method == "DELETE" && path == UsdmPaths.BatchOrders ? ValidateIdLists(request) : null);
    }

    private static ValidationFailure? ValidateSet(IReadOnlyDictionary<string, string> values, System.Collections.Frozen.FrozenSet<string> allowed, string[] required, TradingMode mode, ExchangeRules rules)
    {
        foreach (var unknown in values.Keys)
        {
            if (!allowed.Contains(unknown) && !ParameterRules.Credentials.Contains(unknown))
            {
                return new(ExchangeErrorCodes.UnreadParameters, $"Not all sent parameters were read; parameter '{Printable(unknown)}' is not accepted by this endpoint.");
            }
        }

        foreach (var name in required)
        {
            if (!values.TryGetValue(name, out var v) || v.Length == 0)
            {
                return new(ExchangeErrorCodes.MandatoryParamEmptyOrMalformed, $"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.");
            }
        }

        foreach (var (name, value) in values)
        {
            if (CheckValue(name, value) is { } failure)
            {
                return failure;
            }
        }

        if (values.TryGetValue("symbol", out var symbol))
        {
            if (!rules.IsLoaded(mode))
            {
                if (!rules.Serves(mode))
                {
                    return new(ExchangeErrorCodes.Unauthorized, $"This bot is set to {mode.ToConfigValue()} mode, which this gateway does not serve; ask the operator to change the bot's mode or the gateway's TRADING_MODE.");
                }

                return new(ExchangeErrorCodes.Disconnected, "Exchange rules are not available yet; try again shortly.");
            }

            if (!rules.TryGet(mode, symbol, out var symbolRules) || symbolRules.Status != "TRADING")
            {
                return new(ExchangeErrorCodes.BadSymbol, "Invalid symbol.");
            }

            return CheckFilters(values, symbolRules);
        }

        return null;
    }

    private static ValidationFailure? CheckValue(string name, string value)
    {
        if (!IsPrintable(value))
        {
            return new(ExchangeErrorCodes.IllegalChars, $"Illegal characters found in parameter '{name}'.");
        }

        if (Enums.TryGetValue(name, out var allowed) && !allowed.Contains(value))
        {
            return new(EnumCodes.GetValueOrDefault(name, ExchangeErrorCodes.InvalidParameter), $"Invalid {name}.");
        }

        if (Decimals.Contains(name))
        {
            if (!DecimalPattern().IsMatch(value))
            {
                return new(ExchangeErrorCodes.IllegalChars, $"Illegal characters found in parameter '{name}'; legal range is '^([0-9]{{1,20}})(\\.[0-9]{{1,20}})?$'.");
            }

            if (decimal.Parse(value, CultureInfo.InvariantCulture) <= 0)
            {
                return new(ExchangeErrorCodes.MandatoryParamEmptyOrMalformed, $"Parameter '{name}' must be greater than zero.");
            }
        }

        if (Integers.Contains(name) && !IntegerPattern().IsMatch(value))
        {
            return new(ExchangeErrorCodes.IllegalChars, $"Illegal characters found in parameter '{name}'; legal range is '^[0-9]{{1,20}}$'.");
        }

        if (Booleans.Contains(name) && !value.Equals("true", StringComparison.OrdinalIgnoreCase) && !value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return new(ExchangeErrorCodes.MandatoryParamEmptyOrMalformed, $"Parameter '{name}' must be true or false.");
        }

        if (ClientIdNames.Contains(name) && !ClientIdPattern().IsMatch(value))
        {
            return new(ExchangeErrorCodes.InvalidClientOrderId, "Client order id is not valid.");
        }

        if (name == "symbol" && !SymbolPattern().IsMatch(value))
        {
            return new(ExchangeErrorCodes.IllegalChars, "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'.");
        }

        return null;
    }

    private static ValidationFailure? CheckFilters(IReadOnlyDictionary<string, string> values, SymbolRules rules)
    {
        var market = values.GetValueOrDefault("type") is "MARKET" or "STOP_MARKET" or "TAKE_PROFIT_MARKET" or "TRAILING_STOP_MARKET";
        if (values.GetValueOrDefault("type") is { } type && rules.OrderTypes.Count > 0 && !rules.OrderTypes.Contains(type))
        {
            return new(ExchangeErrorCodes.InvalidOrderType, "Invalid orderType.");
        }

        foreach (var name in new[] { "price", "stopPrice", "triggerPrice", "activationPrice", "activatePrice" })
        {
            if (values.TryGetValue(name, out var text) && decimal.Parse(text, CultureInfo.InvariantCulture) is var price)
            {
                if ((rules.MinPrice > 0 && price < rules.MinPrice) || (rules.MaxPrice > 0 && price > rules.MaxPrice))
                {
                    return new(ExchangeErrorCodes.FilterFailure, $"Filter failure: PRICE_FILTER ({name} outside {rules.MinPrice}..{rules.MaxPrice}).");
                }

                if (rules.TickSize > 0 && (price - rules.MinPrice) % rules.TickSize != 0)
                {
                    return new(ExchangeErrorCodes.BadPrecision, $"Precision is over the maximum defined for this asset ({name} is not a multiple of tick size {rules.TickSize}).");
                }
            }
        }

        if (values.TryGetValue("quantity", out var qtyText) && decimal.Parse(qtyText, CultureInfo.InvariantCulture) is var qty)
        {
            var (min, max, step) = market && rules.MarketStepSize > 0 ? (rules.MarketMinQty, rules.MarketMaxQty, rules.MarketStepSize) : (rules.MinQty, rules.MaxQty, rules.StepSize);
            if (qty < min || (max > 0 && qty > max))
            {
                return new(ExchangeErrorCodes.FilterFailure, $"Filter failure: {(market ? "MARKET_LOT_SIZE" : "LOT_SIZE")} (quantity outside {min}..{max}).");
            }

            if (step > 0 && (qty - min) % step != 0)
            {
                return new(ExchangeErrorCodes.BadPrecision, $"Precision is over the maximum defined for this asset (quantity is not a multiple of step size {step}).");
            }

            var reduceOnly = string.Equals(values.GetValueOrDefault("reduceOnly"), "true", StringComparison.OrdinalIgnoreCase);
            if (!market && !reduceOnly && values.TryGetValue("price", out var p) && qty * decimal.Parse(p, CultureInfo.InvariantCulture) < rules.MinNotional)
            {
                return new(ExchangeErrorCodes.FilterFailure, $"Filter failure: MIN_NOTIONAL (order notional must be at least {rules.MinNotional} unless reduce-only).");
            }
        }

        return null;
    }

    private static ValidationFailure? ValidateBatch(BatchOrders batch, TradingMode mode, ExchangeRules rules)
    {
        if (batch.Malformed)
        {
            return new(ExchangeErrorCodes.MandatoryParamEmptyOrMalformed, "Mandatory parameter 'batchOrders' was not sent, was empty/null, or malformed.");
        }

        if (batch.Orders.Count is 0 or > MaxBatch)
        {
            return new(ExchangeErrorCodes.InvalidParameter, $"Data sent for parameter 'batchOrders' is not valid (1 to {MaxBatch} orders).");
        }

        var (allowed, required) = ParameterRules.BatchElement;
        foreach (var order in batch.Orders)
        {
            if (order.HasNestedValue)
            {
                return new(ExchangeErrorCodes.InvalidParameter, "Data sent for parameter 'batchOrders' is not valid.");
            }

            if (ValidateSet(order.Values, allowed, required, mode, rules) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    private static ValidationFailure? ValidateIdLists(GatewayRequest request)
    {
        try
        {
            var ids = request["orderIdList"] is { } a ? JsonSerializer.Deserialize(a, ContractsJson.Default.Int64Array)?.Length : null;
            var clientIds = request["origClientOrderIdList"] is { } b ? JsonSerializer.Deserialize(b, ContractsJson.Default.StringArray) : null;
            if (clientIds is not null && clientIds.Any(id => !ClientIdPattern().IsMatch(id)))
            {
                return new(ExchangeErrorCodes.InvalidClientOrderId, "Client order id is not valid.");
            }

            return (ids ?? clientIds?.Length) is null or 0 or > 10
                ? new(ExchangeErrorCodes.MandatoryParamEmptyOrMalformed, "Mandatory parameter 'orderIdList' or 'origClientOrderIdList' (1 to 10 ids) was not sent or malformed.")
                : null;
        }
        catch (JsonException)
        {
            return new(ExchangeErrorCodes.MandatoryParamEmptyOrMalformed, "Mandatory parameter 'orderIdList' was not sent, was empty/null, or malformed.");
        }
    }

    /// <summary>Printable ASCII only: no control character (C0, DEL, C1) and nothing past '~'.</summary>
    private static bool IsPrintable(string value) => !value.AsSpan().ContainsAnyExceptInRange(' ', '~');

    private static string Printable(string name) => name.Length > 32 || !IsPrintable(name) ? name[..Math.Min(name.Length, 32)].Where(c => c is >= ' ' and <= '~').Aggregate("", (s, c) => s + c) : name;

    [GeneratedRegex(@"^[0-9]{1,20}(\.[0-9]{1,20})?$")]
    private static partial Regex DecimalPattern();

    [GeneratedRegex("^[0-9]{1,20}$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[\.A-Z\:/a-z0-9_-]{1,36}$")]
    private static partial Regex ClientIdPattern();

    [GeneratedRegex(@"^[A-Z0-9_.\-]{1,20}$")]
    private static partial Regex SymbolPattern();
}
