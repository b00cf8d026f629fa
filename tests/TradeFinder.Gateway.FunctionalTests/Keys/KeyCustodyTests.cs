using System.Net;
using System.Net.Http.Json;
using TradeFinder.Contracts.Errors;
using TradeFinder.Gateway.Context;
using TradeFinder.PaperExchange.Faults;
using TradeFinder.PaperExchange.Security;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Keys;

/// <summary>
/// Keys from secret files signing real traffic through the gateway to the simulator (standing in for the
/// testnet host), the start-up restrictions check, and the one re-signed retry after a -1021.
/// </summary>
public sealed class KeyCustodyTests
{
    [Theory]
    [InlineData("hmac")]
    [InlineData("ed25519")]
    [InlineData("rsa")]
    public async Task EachKeyType_SignsReadsAndOrdersTheExchangeAccepts(string type)
    {
        var key = TestKey.Of(type);
        using var keys = new ScopedTempDirectory("tf-keys");
        key.WriteTo(keys.Path, "testnet");
        await using var exchange = await TestExchange.StartAsync(key.ToPaperCredential());
        await using var host = await GatewayTestHost.StartAsync(TestExchange.FileKeySettings(keys.Path, exchange));
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha", "testnet"));
        exchange.Journal.Clear();

        using var account = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));
        using var order = await bot.PostAsync(new Uri("fapi/v1/order", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["symbol"] = "BTCUSDT", ["side"] = "BUY", ["type"] = "LIMIT", ["timeInForce"] = "GTC", ["quantity"] = "0.01", ["price"] = "20000",
        }));

        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Equal(HttpStatusCode.OK, order.StatusCode);
        Assert.All(exchange.Journal.Entries.Where(e => e.Path is "/fapi/v2/account" or "/fapi/v1/order"), e =>
        {
            Assert.Equal(key.ApiKey, e.ApiKeyHeader);
            Assert.Equal("ok", e.Outcome);
        });
    }

    [Theory]
    [InlineData("withdrawals")]
    [InlineData("internal-transfer")]
    [InlineData("universal-transfer")]
    public async Task KeyThatCanMoveFunds_IsRefusedAtStart(string permission)
    {
        var key = TestKey.Hmac();
        using var keys = new ScopedTempDirectory("tf-keys");
        key.WriteTo(keys.Path, "testnet");
        await using var exchange = await TestExchange.StartAsync(key.ToPaperCredential(new ApiRestrictions
        {
            EnableWithdrawals = permission == "withdrawals",
            EnableInternalTransfer = permission == "internal-transfer",
            PermitsUniversalTransfer = permission == "universal-transfer",
        }));

        var error = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayTestHost.StartAsync(TestExchange.FileKeySettings(keys.Path, exchange)));

        Assert.Contains("can move funds", error.Message);
        Assert.DoesNotContain(key.ApiKey, error.Message);
        Assert.DoesNotContain(System.Text.Encoding.ASCII.GetString(key.Secret), error.Message);
    }

    [Fact]
    public async Task KeyWithSpotTradingPermission_IsRefused_UnlessThatPermissionIsAllowedOnPurpose()
    {
        var key = TestKey.Hmac();
        using var keys = new ScopedTempDirectory("tf-keys");
        key.WriteTo(keys.Path, "testnet");
        await using var exchange = await TestExchange.StartAsync(key.ToPaperCredential(new ApiRestrictions { EnableSpotAndMarginTrading = true }));

        var refused = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayTestHost.StartAsync(TestExchange.FileKeySettings(keys.Path, exchange)));
        Assert.Contains("does not need (enableSpotAndMarginTrading)", refused.Message);

        var allowed = TestExchange.FileKeySettings(keys.Path, exchange);
        allowed["Gateway:Keys:AllowedPermissions:0"] = "enableSpotAndMarginTrading";
        await using var host = await GatewayTestHost.StartAsync(allowed);
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha", "testnet"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await bot.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task KeyWithoutIpRestriction_IsRefusedInLive_AndOnlyWarnedAboutOnTestnet()
    {
        var key = TestKey.Hmac();
        using var keys = new ScopedTempDirectory("tf-keys");
        key.WriteTo(keys.Path, "live");
        key.WriteTo(keys.Path, "testnet");
        await using var exchange = await TestExchange.StartAsync(key.ToPaperCredential(new ApiRestrictions { IpRestrict = false }));

        var refused = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayTestHost.StartAsync(TestExchange.FileKeySettings(keys.Path, exchange, "live")));
        Assert.Contains("no IP restriction", refused.Message);

        await using var host = await GatewayTestHost.StartAsync(TestExchange.FileKeySettings(keys.Path, exchange, "testnet"));
        var (code, output, _) = await host.CliAsync("keys", "status", "--admin", (await host.IssueAdminAsync("ops")).GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
        Assert.Equal(0, code);
        Assert.Contains("passed with warnings: the key has no IP restriction", output);
    }

    [UnixFact]
    public async Task Placeholder_AndGroupReadableKeyFiles_RefuseTheStart()
    {
        using var keys = new ScopedTempDirectory("tf-keys");
        await using var exchange = await TestExchange.StartAsync(TestKey.Hmac().ToPaperCredential());
        (TestKey.Hmac() with { Secret = System.Text.Encoding.ASCII.GetBytes(new string('x', 48)) }).WriteTo(keys.Path, "testnet");
        var placeholder = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayTestHost.StartAsync(TestExchange.FileKeySettings(keys.Path, exchange)));
        Assert.Contains("placeholder", placeholder.Message);

        TestKey.Hmac().WriteTo(keys.Path, "testnet");
        File.SetUnixFileMode(Path.Combine(keys.Path, "testnet", "secret"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var readable = await Assert.ThrowsAsync<GatewayStartupException>(() => GatewayTestHost.StartAsync(TestExchange.FileKeySettings(keys.Path, exchange)));
        Assert.Contains("group/others", readable.Message);
    }

    [Fact]
    public async Task TimestampRejected_ReadIsReSignedAndRetriedOnce_OrderIsNotRetried()
    {
        var key = TestKey.Hmac();
        using var keys = new ScopedTempDirectory("tf-keys");
        key.WriteTo(keys.Path, "testnet");
        await using var exchange = await TestExchange.StartAsync(key.ToPaperCredential());
        await using var host = await GatewayTestHost.StartAsync(TestExchange.FileKeySettings(keys.Path, exchange));
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha", "testnet"));
        using var control = new HttpClient { BaseAddress = exchange.BaseAddress };
        FaultRule TimestampFault(string path, string method) => new() { PathPattern = path, Method = method, Kind = FaultKind.ErrorCode, Status = 400, Code = ExchangeErrorCodes.InvalidTimestamp, Message = "Timestamp for this request is outside of the recvWindow.", Count = 1 };

        (await control.PostAsJsonAsync("paper/control/faults", TimestampFault("/fapi/v2/balance", "GET"))).EnsureSuccessStatusCode();
        using var read = await bot.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative));

        (await control.PostAsJsonAsync("paper/control/faults", TimestampFault("/fapi/v1/order", "POST"))).EnsureSuccessStatusCode();
        using var order = await bot.PostAsync(new Uri("fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000&newClientOrderId=ts-once", UriKind.Relative), null);
        using var lookup = await bot.GetAsync(new Uri("fapi/v1/order?symbol=BTCUSDT&origClientOrderId=ts-once", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, order.StatusCode);
        Assert.Equal(ExchangeErrorCodes.InvalidTimestamp, (await order.Content.ReadFromJsonAsync<ExchangeError>())!.Code);
        Assert.Equal(HttpStatusCode.BadRequest, lookup.StatusCode); // the order was never placed, and was not re-sent
    }

    [Fact]
    public async Task KeySets_ByPurposeAndBotGroup_PickTheKey_GroupsNeverBorrowAnotherGroupsKey_AndPublicDataUsesNone()
    {
        TestKey trade = TestKey.Hmac("TRADE"), read = TestKey.Ed25519("READ"), maker = TestKey.Rsa("MAKER");
        using var keys = new ScopedTempDirectory("tf-keys");
        trade.WriteTo(keys.Path, "testnet");
        read.WriteTo(keys.Path, "testnet-read");
        maker.WriteTo(keys.Path, "testnet-mm");
        await using var exchange = await TestExchange.StartAsync(trade.ToPaperCredential(), read.ToPaperCredential(), maker.ToPaperCredential());
        var settings = TestExchange.FileKeySettings(keys.Path, exchange);
        settings["Gateway:Keys:Sets:0:Name"] = "testnet";
        settings["Gateway:Keys:Sets:0:Mode"] = "testnet";
        settings["Gateway:Keys:Sets:1:Name"] = "testnet-read";
        settings["Gateway:Keys:Sets:1:Mode"] = "testnet";
        settings["Gateway:Keys:Sets:1:Purpose"] = "read";
        settings["Gateway:Keys:Sets:2:Name"] = "testnet-mm";
        settings["Gateway:Keys:Sets:2:Mode"] = "testnet";
        settings["Gateway:Keys:Sets:2:Group"] = "mm";
        await using var host = await GatewayTestHost.StartAsync(settings);
        using var alpha = host.CreateClient(await host.IssueBotAsync("alpha", "testnet"));
        using var mm = host.CreateClient(await host.IssueBotAsync("mm", "testnet"));
        var admin = (await host.IssueAdminAsync("ops")).GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);
        Assert.Equal(0, (await host.CliAsync("bots", "set", "mm", "--key-group", "mm", "--admin", admin)).ExitCode);

        async Task<string?> KeyUsedAsync(HttpClient bot, HttpMethod method, string path)
        {
            exchange.Journal.Clear();
            using var response = await bot.SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // The request itself (an order's risk look-ups go first, with the same account's keys).
            var sent = exchange.Journal.Entries.Where(e => e.Method == method.Method && path.StartsWith(e.Path.TrimStart('/'), StringComparison.Ordinal)).ToList();
            Assert.All(exchange.Journal.Entries.Where(e => e.ApiKeyHeader is not null), e => Assert.Contains(e.ApiKeyHeader, bot == mm ? [maker.ApiKey] : new[] { trade.ApiKey, read.ApiKey }));
            return Assert.Single(sent).ApiKeyHeader;
        }

        const string Order = "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000";
        Assert.Equal(read.ApiKey, await KeyUsedAsync(alpha, HttpMethod.Get, "fapi/v2/balance"));
        Assert.Equal(trade.ApiKey, await KeyUsedAsync(alpha, HttpMethod.Post, Order));
        Assert.Equal(maker.ApiKey, await KeyUsedAsync(mm, HttpMethod.Post, Order));
        // Group mm has no read key of its own: it reads with its own trading key, never the default group's read key.
        Assert.Equal(maker.ApiKey, await KeyUsedAsync(mm, HttpMethod.Get, "fapi/v2/balance"));
        Assert.Null(await KeyUsedAsync(alpha, HttpMethod.Get, "fapi/v1/depth?symbol=BTCUSDT&limit=5"));
    }
}
