using System.Net;
using System.Net.Http.Json;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Scopes;

public sealed class ScopeAndPathTests : IClassFixture<ScopeAndPathTests.Gateway>
{
    private static readonly string[] Scopes = [ScopeNames.MarketRead, ScopeNames.AccountRead, ScopeNames.Trade, ScopeNames.TradeLeverage, ScopeNames.TradeMargin, ScopeNames.UserStream];
    private readonly GatewayTestHost _host;
    private readonly Dictionary<string, HttpClient> _bots;

    public ScopeAndPathTests(Gateway gateway)
    {
        _host = gateway.Host;
        _bots = Scopes.ToDictionary(s => s, s => gateway.Bot(BotFor(s)));
        _host.PaperJournal.Clear();
    }

    private static string BotFor(string scope) => "bot-" + scope.Replace(':', '-');

    public sealed class Gateway : GatewayFixture
    {
        protected override IEnumerable<(string Name, string Scopes)> Bots => Scopes.Select(s => (BotFor(s), s));
    }

    [Fact]
    public async Task ScopeByEndpointMatrix_OverTheWholeCatalog_OnlyTheRequiredScopeGetsPast()
    {
        var failures = new List<string>();
        foreach (var endpoint in UsdmEndpoints.All)
        {
            foreach (var scope in Scopes)
            {
                _host.PaperJournal.Clear();
                using var response = await _bots[scope].SendAsync(new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path.TrimStart('/')));
                var error = response.IsSuccessStatusCode ? null : await response.Content.ReadFromJsonAsync<ExchangeError>();
                var scopeDenied = response.StatusCode == HttpStatusCode.Forbidden && error?.Code == ExchangeErrorCodes.Unauthorized;
                if (scope == endpoint.Scope && scopeDenied)
                {
                    failures.Add($"{endpoint.Method} {endpoint.Path}: refused with its own scope {scope}");
                }

                // The gateway's own user-data stream (started by the userstream bot's listen key) is not a bot's request.
                var forwarded = _host.PaperJournal.Entries.Count(e => e.Path != "/fapi/v1/listenKey" && !e.Path.StartsWith("/ws/", StringComparison.Ordinal));
                if (scope != endpoint.Scope && (!scopeDenied || forwarded > 0))
                {
                    failures.Add($"{endpoint.Method} {endpoint.Path}: not refused for scope {scope} ({(int)response.StatusCode})");
                }

                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{endpoint.Method} {endpoint.Path} with {scope}: {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("/fapi/v1/../../sapi/v1/capital/config/getall")]
    [InlineData("/fapi/v1/%2e%2e/%2e%2e/sapi/v1/capital/config/getall")]
    [InlineData("/fapi/v1/%252e%252e/sapi/v1/capital/config/getall")]
    [InlineData("/fapi/v1/./time")]
    [InlineData("/fapi//v1/time")]
    [InlineData("/fapi/v1/time/")]
    [InlineData("/fapi/v1/time;jsessionid=1")]
    [InlineData("/fapi/v1/ti%6De")]
    [InlineData("/FAPI/V1/TIME")]
    [InlineData("/fapi/v1/Time")]
    [InlineData("/fapi/v1/time%00")]
    [InlineData("/fapi/v1/time%2F")]
    [InlineData("/sapi/v1/capital/withdraw/apply")]
    public async Task PathNormalisationAttacks_AreRefused_AndNothingIsForwarded(string rawPath)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_host.BotsAddress.ToString().TrimEnd('/') + rawPath, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        _host.PaperJournal.Clear();

        using var response = await _bots[ScopeNames.MarketRead].SendAsync(request);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{rawPath} → {(int)response.StatusCode}");
        Assert.Empty(_host.PaperJournal.Entries);
    }

    [Fact]
    public async Task CanonicalPath_StillWorks()
    {
        using var response = await _bots[ScopeNames.MarketRead].GetAsync(new Uri("fapi/v1/time", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
