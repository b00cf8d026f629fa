using TradeFinder.Bots.Client.Models;

namespace TradeFinder.Bots.Client;

/// <summary>A keyless, typed client for the exchange paths the gateway serves.</summary>
public interface IGatewayClient
{
    /// <summary>Checks connectivity, <c>GET /fapi/v1/ping</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the gateway and its upstream answered.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task PingAsync(CancellationToken cancellationToken = default);

    /// <summary>The exchange's clock, <c>GET /fapi/v1/time</c>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server time.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<ServerTime> GetServerTimeAsync(CancellationToken cancellationToken = default);

    /// <summary>The futures account, <c>GET /fapi/v2/account</c>; the gateway signs it.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Balances and totals.</returns>
    /// <exception cref="GatewayApiException">The gateway or exchange refused the request.</exception>
    Task<AccountInformation> GetAccountAsync(CancellationToken cancellationToken = default);
}
