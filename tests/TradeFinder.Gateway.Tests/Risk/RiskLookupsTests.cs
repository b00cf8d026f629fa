using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Risk;
using TradeFinder.Gateway.Signing;
using TradeFinder.Gateway.Tests.Keys;
using TradeFinder.Gateway.Upstream;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Risk;

/// <summary>The risk step's cached look-ups, against canned exchange answers counted per path.</summary>
public sealed class RiskLookupsTests : IDisposable
{
    private static readonly BotIdentity Bot = new("alpha", TradingMode.Testnet);
    private readonly string _dir = TempDirectory.Create("tf-risk-lookups");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CannedExchange _exchange = new();
    private readonly KeyRing _keys = new([KeyFactory.Slot(TestKey.Hmac())]);
    private readonly RiskLookups _lookups;

    public RiskLookupsTests()
    {
        var paths = new GatewayPaths(_dir);
        var budgets = new ExchangeBudgets(Options.Create(new BudgetOptions()), new ExchangeClock(_time));
        budgets.SetLimits(TradingMode.Testnet, new ExchangeLimits(1_000_000, 1_000_000, 1_000_000));
        var upstream = new UpstreamQueries(
            new UpstreamDirectory(TradingMode.Testnet, new Dictionary<TradingMode, Uri> { [TradingMode.Testnet] = KeyFactory.TestnetHost }),
            _keys, new ExchangeClock(_time), _exchange, Options.Create(new SigningOptions()), new UpstreamBackoff(paths, _time), budgets);
        _lookups = new RiskLookups(upstream, _time);
    }

    public void Dispose()
    {
        _keys.Dispose();
        TempDirectory.Delete(_dir);
    }

    [Fact]
    public async Task AnswersAreReadOnce_SharedUntilTheyExpire_ThenAskedForAgain()
    {
        _exchange.Answer(UsdmPaths.PremiumIndex, """{"symbol":"BTCUSDT","markPrice":"65000.10000000"}""");
        _exchange.Answer(UsdmPaths.PositionRiskV2, """[{"symbol":"BTCUSDT","leverage":"7","marginType":"isolated","positionSide":"BOTH"}]""");

        Assert.Equal(65000.1m, await _lookups.MarkPriceAsync(Bot, "BTCUSDT", CancellationToken.None));
        Assert.Equal(65000.1m, await _lookups.MarkPriceAsync(Bot, "BTCUSDT", CancellationToken.None));
        Assert.Equal((7, "ISOLATED"), await _lookups.SettingsAsync(Bot, "BTCUSDT", CancellationToken.None));
        Assert.Equal((7, "ISOLATED"), await _lookups.SettingsAsync(Bot, "BTCUSDT", CancellationToken.None));
        Assert.Equal(1, _exchange.Asked(UsdmPaths.PremiumIndex));
        Assert.Equal(1, _exchange.Asked(UsdmPaths.PositionRiskV2));

        // The mark price lives a second, the account's settings five.
        _exchange.Answer(UsdmPaths.PremiumIndex, """{"symbol":"BTCUSDT","markPrice":"64000.5"}""");
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(64000.5m, await _lookups.MarkPriceAsync(Bot, "BTCUSDT", CancellationToken.None));
        Assert.Equal((7, "ISOLATED"), await _lookups.SettingsAsync(Bot, "BTCUSDT", CancellationToken.None));
        Assert.Equal(2, _exchange.Asked(UsdmPaths.PremiumIndex));
        Assert.Equal(1, _exchange.Asked(UsdmPaths.PositionRiskV2));

        // A change made through the gateway is seen by the next order.
        _exchange.Answer(UsdmPaths.PositionRiskV2, """[{"symbol":"BTCUSDT","leverage":"3","marginType":"cross","positionSide":"BOTH"}]""");
        _lookups.SettingsChanged(Bot.Account, "BTCUSDT");
        Assert.Equal((3, "CROSSED"), await _lookups.SettingsAsync(Bot, "BTCUSDT", CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"symbol":"BTCUSDT"}""")]
    [InlineData("""{"symbol":"BTCUSDT","markPrice":null}""")]
    [InlineData("""{"symbol":"BTCUSDT","markPrice":"not a price"}""")]
    [InlineData("""[]""")]
    public async Task AnUnreadableAnswer_FailsEveryOrderThatNeedsIt_AsALookupFailure_WithoutAskingAgainUntilItExpires(string premium)
    {
        _exchange.Answer(UsdmPaths.PremiumIndex, premium);

        // A failure the risk step answers with "could not be checked; nothing was sent", never one that escapes it.
        for (var i = 0; i < 2; i++)
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await _lookups.MarkPriceAsync(Bot, "BTCUSDT", CancellationToken.None));
            Assert.True(LookupFailures.Handles(failure, new Microsoft.AspNetCore.Http.DefaultHttpContext()), failure.ToString());
        }

        Assert.Equal(1, _exchange.Asked(UsdmPaths.PremiumIndex));
        _exchange.Answer(UsdmPaths.PremiumIndex, """{"symbol":"BTCUSDT","markPrice":"65000"}""");
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(65000m, await _lookups.MarkPriceAsync(Bot, "BTCUSDT", CancellationToken.None));
    }

    [Fact]
    public async Task NoPositionInformation_IsALookupFailure()
    {
        _exchange.Answer(UsdmPaths.PositionRiskV2, "[]");

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await _lookups.SettingsAsync(Bot, "BTCUSDT", CancellationToken.None));
        Assert.True(LookupFailures.Handles(failure, new Microsoft.AspNetCore.Http.DefaultHttpContext()), failure.ToString());
        Assert.Contains("No position information for BTCUSDT", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedCall_IsNotCached()
    {
        _exchange.Fail(UsdmPaths.PremiumIndex);
        await Assert.ThrowsAsync<HttpRequestException>(async () => await _lookups.MarkPriceAsync(Bot, "BTCUSDT", CancellationToken.None));

        _exchange.Answer(UsdmPaths.PremiumIndex, """{"symbol":"BTCUSDT","markPrice":"65000"}""");
        Assert.Equal(65000m, await _lookups.MarkPriceAsync(Bot, "BTCUSDT", CancellationToken.None));
        Assert.Equal(2, _exchange.Asked(UsdmPaths.PremiumIndex));
    }

    [Fact]
    public async Task OpenOrders_AreListedAsTheExchangeSentThem_AndAFreshLookAsksAgain()
    {
        _exchange.Answer(UsdmPaths.OpenOrders, """[{"clientOrderId":"a","status":"NEW"},{"clientOrderId":"b","status":"PARTIALLY_FILLED"}]""");

        Assert.Equal(["a", "b"], (await _lookups.OpenOrdersAsync(Bot, "BTCUSDT", fresh: false, CancellationToken.None)).Select(o => o.GetProperty("clientOrderId").GetString()));
        Assert.Equal(2, (await _lookups.OpenOrdersAsync(Bot, "BTCUSDT", fresh: false, CancellationToken.None)).Count);
        Assert.Equal(1, _exchange.Asked(UsdmPaths.OpenOrders));

        _exchange.Answer(UsdmPaths.OpenOrders, "[]");
        Assert.Empty(await _lookups.OpenOrdersAsync(Bot, "BTCUSDT", fresh: true, CancellationToken.None));
        Assert.Equal(2, _exchange.Asked(UsdmPaths.OpenOrders));
    }

    /// <summary>The exchange's answers by path, and how often each path was asked.</summary>
    private sealed class CannedExchange : HttpMessageHandler, IHttpClientFactory
    {
        private readonly Dictionary<string, string?> _answers = [];
        private readonly Dictionary<string, int> _asked = [];

        public void Answer(string path, string json) => _answers[path] = json;

        public void Fail(string path) => _answers[path] = null;

        public int Asked(string path) => _asked.GetValueOrDefault(path);

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            _asked[path] = Asked(path) + 1;
            return _answers.GetValueOrDefault(path) is { } json
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json) })
                : Task.FromException<HttpResponseMessage>(new HttpRequestException("upstream unavailable"));
        }
    }
}
