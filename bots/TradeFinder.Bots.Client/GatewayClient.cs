using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using TradeFinder.Bots.Client.Models;
using TradeFinder.Contracts.Errors;

namespace TradeFinder.Bots.Client;

/// <summary>
/// The default <see cref="IGatewayClient"/>: plain exchange paths over an mTLS <see cref="HttpClient"/>
/// (see <see cref="GatewayHttpHandler"/>). It never adds keys, timestamps or signatures.
/// </summary>
public sealed class GatewayClient : IGatewayClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    private readonly HttpClient _http;

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose handler presents the bot's certificate.</summary>
    /// <param name="http">The HTTP client; its <see cref="HttpClient.BaseAddress"/> is the gateway.</param>
    /// <exception cref="ArgumentNullException"><paramref name="http"/> is null.</exception>
    public GatewayClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        GetAsync<JsonElement>("fapi/v1/ping", cancellationToken);

    /// <inheritdoc />
    public Task<ServerTime> GetServerTimeAsync(CancellationToken cancellationToken = default) =>
        GetAsync<ServerTime>("fapi/v1/time", cancellationToken);

    /// <inheritdoc />
    public Task<AccountInformation> GetAccountAsync(CancellationToken cancellationToken = default) =>
        GetAsync<AccountInformation>("fapi/v2/account", cancellationToken);

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ExchangeError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync<ExchangeError>(Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
        }

        throw new GatewayApiException(
            response.StatusCode,
            error?.Code ?? 0,
            error?.Message ?? response.ReasonPhrase ?? "Request failed.",
            response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable ? response.Headers.RetryAfter?.Delta : null);
    }
}
