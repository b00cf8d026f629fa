using System.Net;

namespace TradeFinder.Bots.Client;

/// <summary>429 or 418: the gateway (or the exchange) asks the bot to slow down; see <see cref="GatewayApiException.RetryAfter"/>.</summary>
public sealed class GatewayRateLimitedException(HttpStatusCode statusCode, int code, string exchangeMessage, TimeSpan? retryAfter)
    : GatewayApiException(statusCode, code, exchangeMessage, retryAfter);

/// <summary>401 or 403: the bot is not allowed this (scope, risk limit, trading state, suspended or revoked).</summary>
public sealed class GatewayForbiddenException(HttpStatusCode statusCode, int code, string exchangeMessage)
    : GatewayApiException(statusCode, code, exchangeMessage);

/// <summary>400 (or another 4xx): the request was invalid or the exchange rejected it; sending it again will not help.</summary>
public sealed class GatewayRejectedException(HttpStatusCode statusCode, int code, string exchangeMessage)
    : GatewayApiException(statusCode, code, exchangeMessage);

/// <summary>5xx: the exchange is failing or unreachable; see <see cref="GatewayApiException.RetryAfter"/>.</summary>
public sealed class GatewayUnavailableException(HttpStatusCode statusCode, int code, string exchangeMessage, TimeSpan? retryAfter)
    : GatewayApiException(statusCode, code, exchangeMessage, retryAfter);

/// <summary>
/// An order's outcome could not be established (-1007): it may or may not exist. Look it up by
/// <see cref="ClientOrderId"/> before sending it again; never send it blindly.
/// </summary>
public sealed class OrderOutcomeUnknownException(HttpStatusCode statusCode, int code, string exchangeMessage, string clientOrderId)
    : GatewayApiException(statusCode, code, exchangeMessage)
{
    /// <summary>The client order id to look the order up by.</summary>
    public string ClientOrderId { get; } = clientOrderId;
}
