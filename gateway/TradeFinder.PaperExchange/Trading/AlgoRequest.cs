using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>A parsed <c>POST /fapi/v1/algoOrder</c> (algoType CONDITIONAL).</summary>
internal sealed record AlgoRequest(
    string Symbol, OrderSide Side, PositionSide? PositionSide, OrderType Type, TimeInForce TimeInForce, decimal? Quantity, decimal? Price,
    decimal? TriggerPrice, WorkingType WorkingType, bool ClosePosition, bool PriceProtect, bool ReduceOnly, bool ReduceOnlySent,
    decimal? ActivatePrice, decimal? CallbackRate, string? ClientAlgoId)
{
    public static AlgoRequest Parse(Params p)
    {
        var algoType = p.Required("algoType");
        if (algoType != "CONDITIONAL")
        {
            throw new ExchangeException(-1130, "Data sent for parameter 'algoType' is not valid.");
        }

        var type = p.Enum<OrderType>("type", -1116, "Invalid orderType.") ?? throw ExchangeException.Mandatory("type");
        if (!type.IsConditional())
        {
            throw new ExchangeException(-1116, "Invalid orderType.");
        }

        var clientId = p["clientAlgoId"];
        if (clientId is not null && !Params.IsValidClientId(clientId))
        {
            throw new ExchangeException(-4015, "Client order id is not valid.");
        }

        return new AlgoRequest(
            p.Required("symbol"),
            p.Enum<OrderSide>("side", -1117, "Invalid side.") ?? throw ExchangeException.Mandatory("side"),
            p.Enum<PositionSide>("positionSide", -4060, "Invalid position side."),
            type,
            p.Enum<TimeInForce>("timeInForce", -1115, "Invalid timeInForce.") ?? TimeInForce.GTC,
            p.Decimal("quantity"),
            p.Decimal("price"),
            p.Decimal("triggerPrice"),
            p.Enum<WorkingType>("workingType", -1130, "Data sent for parameter 'workingType' is not valid.") ?? WorkingType.CONTRACT_PRICE,
            p.Bool("closePosition"),
            p.Bool("priceProtect"),
            p.Bool("reduceOnly"),
            p["reduceOnly"] is not null,
            p.Decimal("activatePrice"),
            p.Decimal("callbackRate"),
            clientId);
    }
}
