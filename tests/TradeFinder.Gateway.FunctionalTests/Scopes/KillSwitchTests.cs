using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeFinder.Contracts.Errors;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Scopes;

/// <summary>Trading states, the kill switch with open orders in the simulator, and run-time registry changes.</summary>
public sealed class KillSwitchTests : IAsyncLifetime
{
    private readonly string _dataDir = TempDirectory.Create("tf-kill");
    private GatewayTestHost _host = null!;
    private HttpClient _alpha = null!;
    private HttpClient _beta = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync(dataDir: _dataDir);
        _alpha = _host.CreateClient(await _host.IssueBotAsync("alpha"));
        _beta = _host.CreateClient(await _host.IssueBotAsync("beta"));
        await _host.IssueAdminAsync("ops");
    }

    public async Task DisposeAsync()
    {
        _alpha.Dispose();
        _beta.Dispose();
        await _host.DisposeAsync();
        TempDirectory.Delete(_dataDir);
    }

    private const string RestingBuy = "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=";

    /// <summary>The bot's own open orders (each bot sees only its own).</summary>
    private static async Task<int> OpenOrdersAsync(HttpClient bot)
    {
        using var json = JsonDocument.Parse(await bot.GetStringAsync(new Uri("fapi/v1/openOrders?symbol=BTCUSDT", UriKind.Relative)));
        return json.RootElement.GetArrayLength();
    }

    [Fact]
    public async Task HaltWithCancelOpen_CancelsOnlyThatBotsOrders_AndLetsOnlyCancelsThrough_UntilResumed()
    {
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, RestingBuy + "60000&newClientOrderId=alpha-1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, RestingBuy + "60001")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _beta.SendForCodeAsync(HttpMethod.Post, RestingBuy + "60002&newClientOrderId=beta-1")).Status);
        Assert.Equal((2, 1), (await OpenOrdersAsync(_alpha), await OpenOrdersAsync(_beta)));

        var (code, output, _) = await _host.CliAsync("halt", "--bot", "alpha", "--cancel-open");

        Assert.Equal(0, code);
        Assert.Contains("2 open order(s) canceled", output);
        Assert.Equal((0, 1), (await OpenOrdersAsync(_alpha), await OpenOrdersAsync(_beta)));
        var refused = await _alpha.SendForCodeAsync(HttpMethod.Post, RestingBuy + "60003");
        Assert.Equal((HttpStatusCode.Forbidden, -2010), refused);
        Assert.NotEqual(HttpStatusCode.Forbidden, (await _alpha.SendForCodeAsync(HttpMethod.Delete, "fapi/v1/order?symbol=BTCUSDT&origClientOrderId=alpha-1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Get, "fapi/v2/account")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _beta.SendForCodeAsync(HttpMethod.Post, RestingBuy + "60004")).Status);

        await _host.CliAsync("resume", "--bot", "alpha");

        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, RestingBuy + "60005")).Status);
    }

    [Fact]
    public async Task Reducing_AllowsOnlyRiskReducingOrders()
    {
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.02")).Status);
        await _host.CliAsync("reduce", "--bot", "alpha");

        Assert.Equal((HttpStatusCode.Forbidden, -2010), await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.01"));
        Assert.Equal((HttpStatusCode.Forbidden, -2010), await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/leverage?symbol=ETHUSDT&leverage=3"));
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=SELL&type=MARKET&quantity=0.02&reduceOnly=true")).Status);
    }

    [Fact]
    public async Task HaltAll_StopsEveryBot_AndSurvivesARestart()
    {
        await _host.CliAsync("halt", "--all");
        Assert.Equal((HttpStatusCode.Forbidden, -2010), await _beta.SendForCodeAsync(HttpMethod.Post, RestingBuy + "60000"));

        await _host.DisposeAsync();
        _host = await GatewayTestHost.StartAsync(dataDir: _dataDir);
        using var beta = _host.CreateClient(_host.LoadBotCertificate("beta"));

        Assert.Equal((HttpStatusCode.Forbidden, -2010), await beta.SendForCodeAsync(HttpMethod.Post, RestingBuy + "60000"));
        using var admin = _host.CreateAdminClient(await _host.IssueAdminAsync("ops2"));
        var halts = await admin.GetFromJsonAsync<JsonElement[]>(new Uri("admin/audit?type=halt", UriKind.Relative));
        Assert.Contains(halts!, h => h.GetProperty("outcome").GetString() == "HALTED");

        await _host.CliAsync("resume");
        Assert.Equal(HttpStatusCode.OK, (await beta.SendForCodeAsync(HttpMethod.Post, RestingBuy + "60000")).Status);
    }

    [Fact]
    public async Task RegistryChanges_TakeEffectWithoutRestart()
    {
        Assert.Equal(0, (await _host.CliAsync("bots", "set", "alpha", "--scopes", "market:read")).ExitCode);
        Assert.Equal((HttpStatusCode.Forbidden, ExchangeErrorCodes.Unauthorized), await _alpha.SendForCodeAsync(HttpMethod.Get, "fapi/v2/account"));

        Assert.Equal(0, (await _host.CliAsync("bots", "suspend", "alpha")).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _alpha.SendForCodeAsync(HttpMethod.Get, "fapi/v1/time")).Status);

        Assert.Equal(0, (await _host.CliAsync("bots", "activate", "alpha")).ExitCode);
        Assert.Equal(0, (await _host.CliAsync("bots", "set", "alpha", "--scopes", "market:read,account:read")).ExitCode);
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Get, "fapi/v2/account")).Status);

        var (_, shown, _) = await _host.CliAsync("bots", "show", "alpha");
        Assert.Contains("\"account:read\"", shown);
    }
}
