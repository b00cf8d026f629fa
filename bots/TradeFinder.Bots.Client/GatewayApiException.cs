using System.Net;

namespace TradeFinder.Bots.Client;

/// <summary>
/// The gateway or the exchange refused a request; carries the exchange's error code and message. Catch the
/// subclasses to tell rate limits, permissions, rejections and outages apart.
/// </summary>
public class GatewayApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">HTTP status of the answer.</param>
    /// <param name="code">Exchange error code, e.g. -1121; 0 when the body carried none.</param>
    /// <param name="exchangeMessage">The exchange's or gateway's message.</param>
    /// <param name="retryAfter">When the answer said when to retry (429/503), how long to wait.</param>
    public GatewayApiException(HttpStatusCode statusCode, int code, string exchangeMessage, TimeSpan? retryAfter = null)
        : base($"HTTP {(int)statusCode}, code {code}: {exchangeMessage}")
    {
        StatusCode = statusCode;
        Code = code;
        ExchangeMessage = exchangeMessage;
        RetryAfter = retryAfter;
    }

    /// <summary>HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Exchange error code (negative), or 0 when the body carried none.</summary>
    public int Code { get; }

    /// <summary>The exchange's or gateway's message.</summary>
    public string ExchangeMessage { get; }

    /// <summary>How long to wait before retrying, when the answer said so.</summary>
    public TimeSpan? RetryAfter { get; }
}
