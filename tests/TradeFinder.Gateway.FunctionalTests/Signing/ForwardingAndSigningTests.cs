using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TradeFinder.Contracts.Errors;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Signing;

/// <summary>Bot → mTLS → YARP → signing → hosted paper exchange, with the simulator's journal as the witness.</summary>
public sealed class ForwardingAndSigningTests : IClassFixture<ForwardingAndSigningTests.Gateway>
{
    private readonly GatewayTestHost _host;
    private readonly HttpClient _bot;

    public ForwardingAndSigningTests(Gateway gateway)
    {
        _host = gateway.Host;
        _bot = gateway.Bot("alpha");
        _host.PaperJournal.Clear();
    }

    public sealed class Gateway : GatewayFixture
    {
        protected override IEnumerable<(string Name, string Scopes)> Bots => [("alpha", GatewayTestHost.AllScopes)];
    }

    [Fact]
    public async Task ServerTime_ComesFromTheSimulatorThroughTheGateway()
    {
        using var response = await _bot.GetAsync(new Uri("fapi/v1/time", UriKind.Relative));

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var serverTime = json.RootElement.GetProperty("serverTime").GetInt64();
        Assert.InRange(serverTime, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
        var entry = Assert.Single(_host.PaperJournal.Entries, e => e.Path == "/fapi/v1/time" && e.Query.Length == 0);
        Assert.Null(entry.ApiKeyHeader);
    }

    [Fact]
    public async Task Account_IsSignedByTheGateway_AndTheSimulatorAcceptedTheSignature()
    {
        using var response = await _bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("10000.00000000", json.RootElement.GetProperty("totalWalletBalance").GetString());
        var entry = Assert.Single(_host.PaperJournal.Entries, e => e.Path == "/fapi/v2/account");
        Assert.Equal("ok", entry.Outcome);
        Assert.StartsWith("paper-", entry.ApiKeyHeader);
        Assert.Matches("^timestamp=\\d{13}&recvWindow=5000&signature=[0-9a-f]{64}$", entry.Query);
    }

    [Fact]
    public async Task BotSuppliedApiKeyAndSignature_NeverReachTheUpstream()
    {
        const string canaryKey = "BOT-SUPPLIED-KEY-CANARY-7d1f";
        using var request = new HttpRequestMessage(HttpMethod.Get,
            "fapi/v2/account?recvWindow=59999&timestamp=1000&signature=deadbeefcanary");
        request.Headers.Add("X-MBX-APIKEY", canaryKey);
        request.Headers.Add("X-Forwarded-For", "6.6.6.6");

        using var response = await _bot.SendAsync(request);

        response.EnsureSuccessStatusCode();
        var entry = Assert.Single(_host.PaperJournal.Entries, e => e.Path == "/fapi/v2/account");
        Assert.Equal("ok", entry.Outcome);
        Assert.NotEqual(canaryKey, entry.ApiKeyHeader);
        Assert.DoesNotContain(canaryKey, entry.Query);
        Assert.DoesNotContain("deadbeef", entry.Query);
        Assert.DoesNotContain("timestamp=1000&", entry.Query);
        Assert.DoesNotContain("recvWindow=59999", entry.Query);
        Assert.Single(entry.Query.Split('&'), p => p.StartsWith("signature=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApiKeyAsAQueryParameter_IsNotAnExchangeParameter_AndIsRefused()
    {
        using var response = await _bot.GetAsync(new Uri("fapi/v2/account?apiKey=BOT-SUPPLIED-KEY-CANARY", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-1104, (await response.Content.ReadFromJsonAsync<ExchangeError>())!.Code);
        Assert.Empty(_host.PaperJournal.Entries);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SignedPost_ParamsInFormBodyOrQuery_AreSignedAsSentAndAccepted(bool inBody)
    {
        const string parameters = "symbol=BTCUSDT&leverage=7&timestamp=1&signature=bogus";
        using var request = inBody
            ? new HttpRequestMessage(HttpMethod.Post, "fapi/v1/leverage") { Content = new StringContent(parameters, Encoding.UTF8, "application/x-www-form-urlencoded") }
            : new HttpRequestMessage(HttpMethod.Post, "fapi/v1/leverage?" + parameters);

        using var response = await _bot.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(7, json.RootElement.GetProperty("leverage").GetInt32());
        var entry = Assert.Single(_host.PaperJournal.Entries, e => e.Path == "/fapi/v1/leverage");
        Assert.Equal("ok", entry.Outcome);
        var signedPart = inBody ? entry.Body : entry.Query;
        Assert.StartsWith("symbol=BTCUSDT&leverage=7&timestamp=", signedPart);
        Assert.DoesNotContain("bogus", entry.Query + entry.Body);
    }

    [Theory]
    [InlineData("GET", "sapi/v1/capital/config/getall")]
    [InlineData("POST", "sapi/v1/capital/withdraw/apply")]
    [InlineData("GET", "api/v3/account")]
    [InlineData("GET", "fapi/v1/doesNotExist")]
    [InlineData("PATCH", "fapi/v1/order")]
    public async Task UncataloguedPath_Gets404Json_AndNothingIsForwarded(string method, string path)
    {
        using var response = await _bot.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull(await response.Content.ReadFromJsonAsync<ExchangeError>());
        Assert.Empty(_host.PaperJournal.Entries);
    }

    [Fact]
    public async Task JsonBody_IsRefusedWithExchangeError_AndNothingIsForwarded()
    {
        using var response = await _bot.PostAsync(new Uri("fapi/v1/leverage", UriKind.Relative),
            new StringContent("{\"symbol\":\"BTCUSDT\",\"leverage\":5}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ExchangeErrorCodes.MandatoryParamEmptyOrMalformed, (await response.Content.ReadFromJsonAsync<ExchangeError>())!.Code);
        Assert.Empty(_host.PaperJournal.Entries);
    }

    [Fact]
    public async Task MultipartFormBody_IsRefusedWithExchangeError_AndNothingIsForwarded()
    {
        // A form, but not the one the exchange reads: refused for its shape, not read as if it were url-encoded.
        using var form = new MultipartFormDataContent { { new StringContent("BTCUSDT"), "symbol" }, { new StringContent("5"), "leverage" } };
        using var response = await _bot.PostAsync(new Uri("fapi/v1/leverage", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<ExchangeError>();
        Assert.Equal(ExchangeErrorCodes.MandatoryParamEmptyOrMalformed, error!.Code);
        Assert.Contains("application/x-www-form-urlencoded", error.Message, StringComparison.Ordinal);
        Assert.Empty(_host.PaperJournal.Entries);
    }

    [Fact]
    public async Task ExchangeErrors_AreReturnedToTheBotAsIs()
    {
        using var response = await _bot.DeleteAsync(new Uri("fapi/v1/order?symbol=BTCUSDT&origClientOrderId=never-placed", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<ExchangeError>();
        Assert.Equal(ExchangeErrorCodes.CancelRejected, error!.Code);
        Assert.NotEmpty(_host.PaperJournal.Entries);
    }
}
