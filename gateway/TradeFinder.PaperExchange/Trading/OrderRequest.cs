using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>A parsed <c>POST /fapi/v1/order</c> (or one element of batchOrders).</summary>
internal sealed record OrderRequest(
    string Symbol,
    OrderSide Side,
    PositionSide? PositionSide,
    OrderType Type,
    TimeInForce? TimeInForce,
    decimal? Quantity,
    decimal? Price,
    bool ReduceOnly,
    bool ReduceOnlySent,
    string? ClientOrderId,
    bool ResultResponse,
    long? GoodTillDate)
{
    public static OrderRequest Parse(Params p)
    {
        var symbol = p.Required("symbol");
        var side = p.Enum<OrderSide>("side", -1117, "Invalid side.") ?? throw ExchangeException.Mandatory("side");
        var type = p.Enum<OrderType>("type", -1116, "Invalid orderType.") ?? throw ExchangeException.Mandatory("type");
        if (type == OrderType.LIQUIDATION)
        {
            throw new ExchangeException(-1116, "Invalid orderType.");
        }

        var positionSide = p.Enum<PositionSide>("positionSide", -4060, "Invalid position side.");
        var timeInForce = p.Enum<TimeInForce>("timeInForce", -1115, "Invalid timeInForce.");
        var clientId = p["newClientOrderId"];
        if (clientId is not null && !Params.IsValidClientId(clientId))
        {
            throw new ExchangeException(-4015, "Client order id is not valid.");
        }

        var respType = p["newOrderRespType"];
        if (respType is not null and not "ACK" and not "RESULT")
        {
            throw new ExchangeException(-1130, "Data sent for parameter 'newOrderRespType' is not valid.");
        }

        return new OrderRequest(symbol, side, positionSide, type, timeInForce, p.Decimal("quantity"), p.Decimal("price"),
            p.Bool("reduceOnly"), p["reduceOnly"] is not null, clientId, respType == "RESULT", p.Long("goodTillDate"));
    }
}
