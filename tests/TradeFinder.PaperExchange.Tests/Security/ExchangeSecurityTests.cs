using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Errors;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.PaperExchange.Security;

namespace TradeFinder.PaperExchange.Tests.Security;

/// <summary>The simulator rejects requests exactly where the exchange would (Binance USDⓈ-M Futures "Timing security" and "Error codes").</summary>
public sealed class ExchangeSecurityTests : IAsyncLifetime
{
    private static readonly string ApiKey = "testKey" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private static readonly string Secret = "testSecret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private PaperExchangeServer _server = null!;
    private HttpClient _http = null!;

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task InitializeAsync()
    {
        _server = await PaperExchangeServer.StartAsync(new PaperExchangeSettings
        {
            Credentials = [new PaperCredential(ApiKey, Encoding.UTF8.GetBytes(Secret))],
            JournalEnabled = true,
        }, _time);
        _http = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static string Sign(string payload, string? secret = null) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? Secret), Encoding.UTF8.GetBytes(payload)));

    private async Task<(HttpStatusCode Status, ExchangeError? Error)> GetAccountAsync(string query, string? apiKey = null, bool sendKey = true)
    {
        apiKey = sendKey ? apiKey ?? ApiKey : null;
        using var request = new HttpRequestMessage(HttpMethod.Get, "fapi/v2/account?" + query);
        if (apiKey is not null)
        {
            request.Headers.Add("X-MBX-APIKEY", apiKey);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, response.IsSuccessStatusCode ? null : await response.Content.ReadFromJsonAsync<ExchangeError>());
    }

    [Fact]
    public async Task SignedRequest_WithinRecvWindow_IsAccepted()
    {
        var payload = $"timestamp={Now}&recvWindow=5000";

        var (status, _) = await GetAccountAsync(payload + "&signature=" + Sign(payload));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task UpperCaseHexSignature_IsAccepted()
    {
        var payload = $"timestamp={Now}";

        var (status, _) = await GetAccountAsync(payload + "&signature=" + Sign(payload).ToUpperInvariant());

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData(-5001, 5000)]
    [InlineData(-60_001, 60_000)]
    [InlineData(1000, 5000)]
    [InlineData(5000, 5000)]
    public async Task Timestamp_OutsideWindowOrAheadOfServer_IsRejectedWith1021(long offsetMs, long recvWindow)
    {
        var payload = $"timestamp={Now + offsetMs}&recvWindow={recvWindow}";

        var (status, error) = await GetAccountAsync(payload + "&signature=" + Sign(payload));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ExchangeErrorCodes.InvalidTimestamp, error!.Code);
    }

    [Theory]
    [InlineData(-5000, 5000)]
    [InlineData(999, 5000)]
    [InlineData(-59_000, 60_000)]
    public async Task Timestamp_AtTheEdgesOfTheWindow_IsAccepted(long offsetMs, long recvWindow)
    {
        var payload = $"timestamp={Now + offsetMs}&recvWindow={recvWindow}";

        var (status, _) = await GetAccountAsync(payload + "&signature=" + Sign(payload));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task RequestThatAgesInFlight_IsRejected_WhenServerTimeMovesPastTheWindow()
    {
        var payload = $"timestamp={Now}&recvWindow=1000";
        _time.Advance(TimeSpan.FromMilliseconds(1001));

        var (_, error) = await GetAccountAsync(payload + "&signature=" + Sign(payload));

        Assert.Equal(ExchangeErrorCodes.InvalidTimestamp, error!.Code);
    }

    [Fact]
    public async Task WrongSecret_IsRejectedWith1022()
    {
        var payload = $"timestamp={Now}";

        var (_, error) = await GetAccountAsync(payload + "&signature=" + Sign(payload, Secret + "x"));

        Assert.Equal(ExchangeErrorCodes.InvalidSignature, error!.Code);
    }

    [Fact]
    public async Task ParameterChangedAfterSigning_IsRejectedWith1022()
    {
        var payload = $"timestamp={Now}&recvWindow=5000";

        var (_, error) = await GetAccountAsync(payload.Replace("5000", "6000", StringComparison.Ordinal) + "&signature=" + Sign(payload));

        Assert.Equal(ExchangeErrorCodes.InvalidSignature, error!.Code);
    }

    [Fact]
    public async Task MissingTimestamp_IsRejectedWith1102()
    {
        var (_, error) = await GetAccountAsync("recvWindow=5000&signature=" + Sign("recvWindow=5000"));

        Assert.Equal(ExchangeErrorCodes.MandatoryParamEmptyOrMalformed, error!.Code);
        Assert.Contains("timestamp", error.Message);
    }

    [Fact]
    public async Task UnknownApiKey_IsRejectedWith2015_AndMissingKeyWith2014()
    {
        var payload = $"timestamp={Now}";

        var (unknownStatus, unknown) = await GetAccountAsync(payload + "&signature=" + Sign(payload), apiKey: "someone-else");
        var (_, missing) = await GetAccountAsync(payload + "&signature=" + Sign(payload), sendKey: false);

        Assert.Equal(HttpStatusCode.Unauthorized, unknownStatus);
        Assert.Equal(ExchangeErrorCodes.RejectedMbxKey, unknown!.Code);
        Assert.Equal(ExchangeErrorCodes.BadApiKeyFormat, missing!.Code);
    }

    [Fact]
    public async Task PublicEndpoint_NeedsNoKey()
    {
        using var response = await _http.GetAsync(new Uri("fapi/v1/exchangeInfo", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"REQUEST_WEIGHT\"", body);
        Assert.Contains("\"PRICE_FILTER\"", body);
    }
}
