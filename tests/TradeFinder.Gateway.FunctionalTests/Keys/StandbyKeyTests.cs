using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Keys;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Keys;

/// <summary>When the exchange rejects the active key (revoked), the standby takes over without a restart or an operator.</summary>
public sealed class StandbyKeyTests
{
    private static async Task RejectNextAsync(PaperExchangeServer exchange, string path)
    {
        using var http = new HttpClient { BaseAddress = exchange.BaseAddress };
        using var response = await http.PostAsync(new Uri("paper/control/faults", UriKind.Relative),
            JsonContent.Create(new { pathPattern = path, kind = "ErrorCode", status = 401, code = -2015, message = "Invalid API-key, IP, or permissions for action.", count = 1 }));
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task ActiveKeyRejectedByTheExchange_StandbyIsValidatedPromotedAndAudited_AndTheRejectedKeyStaysOut()
    {
        TestKey active = TestKey.Hmac("ACTIVE"), standby = TestKey.Hmac("STANDBY");
        using var keys = new ScopedTempDirectory("tf-keys");
        active.WriteTo(keys.Path, "testnet");
        standby.WriteTo(keys.Path, "testnet-standby");
        await using var exchange = await TestExchange.StartAsync(active.ToPaperCredential(), standby.ToPaperCredential());
        var settings = TestExchange.FileKeySettings(keys.Path, exchange);
        settings["Gateway:Keys:Standby"] = "true";
        await using var host = await GatewayTestHost.StartAsync(settings);
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha", "testnet"));
        await RejectNextAsync(exchange, "/fapi/v2/account");

        using var rejected = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        var slot = host.Services.GetRequiredService<KeyRing>().Find("testnet")!;
        for (var i = 0; i < 100 && slot.Active.ApiKey != standby.ApiKey; i++)
        {
            await Task.Delay(100);
        }

        exchange.Journal.Clear();
        using var next = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));
        await Task.Delay(TimeSpan.FromSeconds(2)); // two watcher passes: the rejected key, still in its file, must not come back
        using var later = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.All(exchange.Journal.Entries.Where(e => e.Path == "/fapi/v2/account"), e => Assert.Equal(standby.ApiKey, e.ApiKeyHeader));
        var events = await host.Services.GetRequiredService<IAuditStore>().QueryAsync(new AuditQuery(Type: AuditEventTypes.KeyEvent, Limit: 50), CancellationToken.None);
        Assert.Contains(events, e => e.Outcome == "promote" && e.Details.Contains("standby", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutStandby_ARejectedKeyIsNotReplaced()
    {
        TestKey active = TestKey.Hmac("ACTIVE"), standby = TestKey.Hmac("STANDBY");
        using var keys = new ScopedTempDirectory("tf-keys");
        active.WriteTo(keys.Path, "testnet");
        standby.WriteTo(keys.Path, "testnet-standby");
        await using var exchange = await TestExchange.StartAsync(active.ToPaperCredential(), standby.ToPaperCredential());
        await using var host = await GatewayTestHost.StartAsync(TestExchange.FileKeySettings(keys.Path, exchange));
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha", "testnet"));
        await RejectNextAsync(exchange, "/fapi/v2/account");

        using var rejected = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));
        await Task.Delay(500);

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(active.ApiKey, host.Services.GetRequiredService<KeyRing>().Find("testnet")!.Active.ApiKey);
    }

    [Fact]
    public void Standby_WithTheEnvProvider_IsASettingsError()
    {
        var result = new KeysOptionsCustomValidator().Validate(null, new KeysOptions { Standby = true });

        Assert.True(result.Failed);
        Assert.Contains("Gateway:Keys:Standby", result.FailureMessage);
    }
}
