using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Admin;

/// <summary>The admin API on the admin port: effective bot policy, and changes that are refused leave the bot as it was.</summary>
public sealed class AdminBotsApiTests : IClassFixture<AdminBotsApiTests.Gateway>
{
    private readonly GatewayTestHost _host;
    private readonly HttpClient _admin;

    public AdminBotsApiTests(Gateway gateway)
    {
        _host = gateway.Host;
        _admin = gateway.Admin;
    }

    public sealed class Gateway : GatewayFixture
    {
        public HttpClient Admin { get; private set; } = null!;

        protected override IEnumerable<(string Name, string Scopes)> Bots => [("alpha", "market:read,account:read")];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Admin = Host.CreateAdminClient(await Host.IssueAdminAsync("ops"));
        }
    }

    private async Task<JsonElement> BotAsync(string name) =>
        await _admin.GetFromJsonAsync<JsonElement>(new Uri("admin/bots/" + name, UriKind.Relative));

    [Fact]
    public async Task Bot_ShowsItsEffectivePolicy()
    {
        var alpha = await BotAsync("alpha");

        Assert.Equal(["account:read", "market:read"], alpha.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("default", alpha.GetProperty("keyGroup").GetString());
        Assert.Equal("ACTIVE", alpha.GetProperty("effectiveState").GetString());
    }

    [Fact]
    public async Task UnknownScope_IsRefused_NamingTheKnownOnes()
    {
        using var response = await _admin.PutAsJsonAsync(new Uri("admin/bots/alpha", UriKind.Relative), new { scopes = new[] { "withdraw" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("trade:leverage", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, (await BotAsync("alpha")).GetProperty("scopes").GetArrayLength());
    }

    [Fact]
    public async Task MeaninglessLimits_AreRefused_AndTheBotKeepsItsOwn()
    {
        using var response = await _admin.PutAsJsonAsync(new Uri("admin/bots/alpha", UriKind.Relative), new { limits = new { maxLeverage = 0, maxOrderNotional = -5 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = await response.Content.ReadAsStringAsync();
        Assert.Contains("MaxLeverage", message);
        Assert.Contains("MaxOrderNotional", message);
        // Still the default a trading bot gets, not the meaningless value.
        Assert.Equal(20, (await BotAsync("alpha")).GetProperty("limits").GetProperty("maxLeverage").GetInt32());
    }

    [Fact]
    public async Task UnknownBot_Is404()
    {
        using var response = await _admin.GetAsync(new Uri("admin/bots/ghost", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AdminApi_IsNotOnTheBotsPort()
    {
        using var bot = _host.CreateClient(_host.LoadBotCertificate("alpha"));

        using var response = await bot.GetAsync(new Uri("admin/bots", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
