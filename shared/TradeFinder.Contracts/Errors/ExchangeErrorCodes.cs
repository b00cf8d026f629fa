namespace TradeFinder.Contracts.Errors;

/// <summary>Binance USDⓈ-M error codes the gateway, the simulator and the bot client agree on.</summary>
public static class ExchangeErrorCodes
{
    /// <summary>Unknown error while processing the request.</summary>
    public const int Unknown = -1000;

    /// <summary>Internal error; the upstream could not be reached or answered badly.</summary>
    public const int Disconnected = -1001;

    /// <summary>Not authorized for this request.</summary>
    public const int Unauthorized = -1002;

    /// <summary>Too many requests (429) or IP banned (418).</summary>
    public const int TooManyRequests = -1003;

    /// <summary>Timestamp outside recvWindow or ahead of server time.</summary>
    public const int InvalidTimestamp = -1021;

    /// <summary>Timeout waiting for the backend: send status unknown, execution status unknown.</summary>
    public const int UnknownExecutionStatus = -1007;

    /// <summary>Server overloaded; the request may not have been processed.</summary>
    public const int Overloaded = -1008;

    /// <summary>Order does not exist.</summary>
    public const int NoSuchOrder = -2013;

    /// <summary>Signature not valid.</summary>
    public const int InvalidSignature = -1022;

    /// <summary>Illegal characters in a parameter.</summary>
    public const int IllegalChars = -1100;

    /// <summary>A mandatory parameter was missing, empty or malformed.</summary>
    public const int MandatoryParamEmptyOrMalformed = -1102;

    /// <summary>A parameter was sent when not required, or twice.</summary>
    public const int ParamNotRequired = -1106;

    /// <summary>Invalid API key, IP or permissions for action.</summary>
    public const int RejectedMbxKey = -2015;

    /// <summary>API-key format invalid.</summary>
    public const int BadApiKeyFormat = -2014;

    /// <summary>A price, quantity or notional failed a symbol filter.</summary>
    public const int FilterFailure = -1013;

    /// <summary>Not all sent parameters were read (a parameter this endpoint does not take).</summary>
    public const int UnreadParameters = -1104;

    /// <summary>Precision is over the maximum defined for this asset.</summary>
    public const int BadPrecision = -1111;

    /// <summary>Invalid timeInForce.</summary>
    public const int InvalidTimeInForce = -1115;

    /// <summary>Invalid orderType.</summary>
    public const int InvalidOrderType = -1116;

    /// <summary>Invalid side.</summary>
    public const int InvalidSide = -1117;

    /// <summary>Invalid symbol.</summary>
    public const int BadSymbol = -1121;

    /// <summary>Data sent for a parameter is not valid.</summary>
    public const int InvalidParameter = -1130;

    /// <summary>New order rejected.</summary>
    public const int NewOrderRejected = -2010;

    /// <summary>Cancel rejected.</summary>
    public const int CancelRejected = -2011;

    /// <summary>Reduce-only order rejected (REDUCE_ONLY_REJECT): it would not reduce the position.</summary>
    public const int ReduceOnlyRejected = -2022;

    /// <summary>Reduce-only order plus an existing order would flip the position and lack margin.</summary>
    public const int ReduceOnlyMarginCheckFailed = -4118;

    /// <summary>Client order id is not valid.</summary>
    public const int InvalidClientOrderId = -4015;

    /// <summary>Invalid position side.</summary>
    public const int InvalidPositionSide = -4060;

    /// <summary>The path and method are not an endpoint of this API.</summary>
    public const int PathNotFound = -5000;
}
