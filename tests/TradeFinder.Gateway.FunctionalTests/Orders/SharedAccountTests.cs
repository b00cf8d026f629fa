using System.Net;
using System.Text.Json;
using TradeFinder.Contracts.Errors;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Orders;

/// <summary>
/// Three bots on one paper account, one of them hostile: whatever alpha tries, beta's orders stay untouched and
/// nothing of beta's reaches alpha. The paper exchange's journal is the witness of what reached the exchange.
/// </summary>
public sealed class SharedAccountTests : IAsyncLifetime
{
    private const string Resting = "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.002&price=";
    private readonly string _dataDir = TempDirectory.Create("tf-shared");
    private GatewayTestHost _host = null!;
    private HttpClient _alpha = null!;
    private HttpClient _beta = null!;
    private HttpClient _gamma = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync(dataDir: _dataDir);
        _alpha = _host.CreateClient(await _host.IssueBotAsync("alpha"));
        _beta = _host.CreateClient(await _host.IssueBotAsync("beta"));
        _gamma = _host.CreateClient(await _host.IssueBotAsync("gamma"));
        await _host.IssueAdminAsync("ops");
    }

    public async Task DisposeAsync()
    {
        _alpha.Dispose();
        _beta.Dispose();
        _gamma.Dispose();
        await _host.DisposeAsync();
        TempDirectory.Delete(_dataDir);
    }

    private static async Task<JsonElement> JsonAsync(HttpClient bot, HttpMethod method, string path)
    {
        using var response = await bot.SendAsync(new HttpRequestMessage(method, path));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string[]> OpenIdsAsync(HttpClient bot, string symbol = "BTCUSDT") =>
        [.. (await JsonAsync(bot, HttpMethod.Get, "fapi/v1/openOrders?symbol=" + symbol)).EnumerateArray().Select(o => o.GetProperty("clientOrderId").GetString()!)];

    private async Task SetAsync(params string[] args)
    {
        var (code, output, error) = await _host.CliAsync(["bots", "set", .. args]);
        Assert.True(code == 0, output + error);
    }

    [Fact]
    public async Task AHostileBot_CannotCancelAmendOrQueryAnotherBotsOrders_NorWipeThemWithAccountWideCancels()
    {
        var victim = await JsonAsync(_beta, HttpMethod.Post, Resting + "60000&newClientOrderId=victim-1");
        var victimId = victim.GetProperty("orderId").GetInt64();
        await JsonAsync(_alpha, HttpMethod.Post, Resting + "60001&newClientOrderId=mine-1");
        _host.PaperJournal.Clear();

        string[] attacks =
        [
            $"DELETE fapi/v1/order?symbol=BTCUSDT&orderId={victimId}",
            $"PUT fapi/v1/order?symbol=BTCUSDT&orderId={victimId}&side=BUY&quantity=0.003&price=60000",
            $"GET fapi/v1/order?symbol=BTCUSDT&orderId={victimId}",
            "DELETE fapi/v1/batchOrders?symbol=BTCUSDT&orderIdList=" + Uri.EscapeDataString($"[{victimId}]"),
        ];
        foreach (var attack in attacks)
        {
            var (method, path) = (attack.Split(' ')[0], attack.Split(' ')[1]);
            Assert.Equal((HttpStatusCode.BadRequest, ExchangeErrorCodes.NoSuchOrder), await _alpha.SendForCodeAsync(new HttpMethod(method), path));
        }

        // By client id, alpha can only name its own orders: beta's id is "unknown" at the exchange.
        Assert.Equal((HttpStatusCode.BadRequest, ExchangeErrorCodes.CancelRejected), await _alpha.SendForCodeAsync(HttpMethod.Delete, "fapi/v1/order?symbol=BTCUSDT&origClientOrderId=victim-1"));

        // Account-wide cancels cancel alpha's own orders only; countdownCancelAll needs a scope alpha was not given.
        var wiped = await JsonAsync(_alpha, HttpMethod.Delete, "fapi/v1/allOpenOrders?symbol=BTCUSDT");
        Assert.Equal(200, wiped.GetProperty("code").GetInt32());
        Assert.Equal((HttpStatusCode.Forbidden, ExchangeErrorCodes.Unauthorized), await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/countdownCancelAll?symbol=BTCUSDT&countdownTime=1000"));

        // Conditional orders too, and their lists.
        var algo = await JsonAsync(_beta, HttpMethod.Post, "fapi/v1/algoOrder?algoType=CONDITIONAL&symbol=BTCUSDT&side=BUY&type=STOP_MARKET&quantity=0.002&triggerPrice=90000&clientAlgoId=beta-stop");
        var algoId = algo.GetProperty("algoId").GetInt64();
        Assert.Equal("beta-stop", algo.GetProperty("clientAlgoId").GetString());
        Assert.Equal((HttpStatusCode.BadRequest, ExchangeErrorCodes.NoSuchOrder), await _alpha.SendForCodeAsync(HttpMethod.Delete, $"fapi/v1/algoOrder?algoId={algoId}"));
        Assert.Equal((HttpStatusCode.BadRequest, ExchangeErrorCodes.NoSuchOrder), await _alpha.SendForCodeAsync(HttpMethod.Get, $"fapi/v1/algoOrder?algoId={algoId}"));
        Assert.Equal(200, (await JsonAsync(_alpha, HttpMethod.Delete, "fapi/v1/algoOpenOrders?symbol=BTCUSDT")).GetProperty("code").GetInt32());
        Assert.Empty((await JsonAsync(_alpha, HttpMethod.Get, "fapi/v1/openAlgoOrders?symbol=BTCUSDT")).EnumerateArray());
        Assert.Equal(["beta-stop"], (await JsonAsync(_beta, HttpMethod.Get, "fapi/v1/openAlgoOrders?symbol=BTCUSDT")).EnumerateArray().Select(a => a.GetProperty("clientAlgoId").GetString()));

        // Halted, alpha still may cancel only its own.
        Assert.Equal(0, (await _host.CliAsync("halt", "--bot", "alpha")).ExitCode);
        Assert.Equal((HttpStatusCode.BadRequest, ExchangeErrorCodes.NoSuchOrder), await _alpha.SendForCodeAsync(HttpMethod.Delete, $"fapi/v1/order?symbol=BTCUSDT&orderId={victimId}"));

        Assert.Equal(["victim-1"], await OpenIdsAsync(_beta));
        Assert.Empty(await OpenIdsAsync(_alpha));
        Assert.DoesNotContain(_host.PaperJournal.Entries, e => e.Method is "DELETE" or "PUT" && (e.Query + e.Body).Contains(victimId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.DoesNotContain(_host.PaperJournal.Entries, e => e.Path.EndsWith("/allOpenOrders", StringComparison.Ordinal) || e.Path.EndsWith("/countdownCancelAll", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EachBot_SeesOnlyItsOwnOrdersAndTrades_UnderItsOwnIds_AndPositionsOnlyOnItsSymbols()
    {
        var longId = "alpha-" + new string('x', 30); // too long to carry behind a tag: mapped by the ledger
        await JsonAsync(_alpha, HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=alpha-fill");
        var placed = await JsonAsync(_alpha, HttpMethod.Post, Resting + "60000&newClientOrderId=" + longId);
        await JsonAsync(_beta, HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.02&newClientOrderId=beta-fill");
        await JsonAsync(_beta, HttpMethod.Post, Resting + "60001");

        Assert.Equal(longId, placed.GetProperty("clientOrderId").GetString());
        Assert.Equal([longId], await OpenIdsAsync(_alpha));
        Assert.Equal(longId, (await JsonAsync(_alpha, HttpMethod.Get, "fapi/v1/order?symbol=BTCUSDT&origClientOrderId=" + longId)).GetProperty("clientOrderId").GetString());
        Assert.Single(await OpenIdsAsync(_beta));
        Assert.Empty(await OpenIdsAsync(_gamma));

        var alphaOrders = (await JsonAsync(_alpha, HttpMethod.Get, "fapi/v1/allOrders?symbol=ETHUSDT")).EnumerateArray().Select(o => o.GetProperty("clientOrderId").GetString()).ToList();
        Assert.Equal(["alpha-fill"], alphaOrders);
        var alphaTrades = (await JsonAsync(_alpha, HttpMethod.Get, "fapi/v1/userTrades?symbol=ETHUSDT")).EnumerateArray().ToList();
        var betaTrades = (await JsonAsync(_beta, HttpMethod.Get, "fapi/v1/userTrades?symbol=ETHUSDT")).EnumerateArray().ToList();
        Assert.NotEmpty(alphaTrades);
        Assert.NotEmpty(betaTrades);
        Assert.Empty(alphaTrades.Select(t => t.GetProperty("orderId").GetInt64()).Intersect(betaTrades.Select(t => t.GetProperty("orderId").GetInt64())));
        Assert.Equal(0.01m, alphaTrades.Sum(t => decimal.Parse(t.GetProperty("qty").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Empty(await JsonAsync(_gamma, HttpMethod.Get, "fapi/v1/userTrades?symbol=ETHUSDT").ContinueWith(t => t.Result.EnumerateArray().ToList()));

        // Commission is income tied to a trade: each bot sees only that of its own trades.
        static long[] TradeIds(JsonElement income) => [.. income.EnumerateArray().Where(i => i.GetProperty("tradeId").GetString() is { Length: > 0 })
            .Select(i => long.Parse(i.GetProperty("tradeId").GetString()!, System.Globalization.CultureInfo.InvariantCulture))];
        var alphaIncome = TradeIds(await JsonAsync(_alpha, HttpMethod.Get, "fapi/v1/income?symbol=ETHUSDT"));
        Assert.NotEmpty(alphaIncome);
        Assert.All(alphaIncome, id => Assert.Contains(id, alphaTrades.Select(t => t.GetProperty("id").GetInt64())));
        Assert.Empty(TradeIds(await JsonAsync(_gamma, HttpMethod.Get, "fapi/v1/income?symbol=ETHUSDT")));

        // ETHUSDT becomes beta's alone: alpha no longer sees the account's position there, nor may trade it.
        await SetAsync("beta", "--exclusive-symbols", "ETHUSDT");
        await SetAsync("gamma", "--symbols", "BTCUSDT");
        static IEnumerable<string> Symbols(JsonElement positions) => positions.EnumerateArray().Select(p => p.GetProperty("symbol").GetString()!);
        Assert.DoesNotContain("ETHUSDT", Symbols(await JsonAsync(_alpha, HttpMethod.Get, "fapi/v2/positionRisk")));
        Assert.Contains("ETHUSDT", Symbols(await JsonAsync(_beta, HttpMethod.Get, "fapi/v2/positionRisk")));
        Assert.Equal(["BTCUSDT"], Symbols((await JsonAsync(_gamma, HttpMethod.Get, "fapi/v2/account")).GetProperty("positions")).Distinct());
        Assert.Equal((HttpStatusCode.Forbidden, ExchangeErrorCodes.NewOrderRejected),
            await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.01"));

        // A symbol is exclusive to one bot per account.
        var (code, _, _) = await _host.CliAsync("bots", "set", "alpha", "--exclusive-symbols", "ETHUSDT");
        Assert.NotEqual(0, code);
    }

    [Fact]
    public async Task ReduceOnlyOrders_MustReduceTheBotsOwnPosition_SoOneBotCannotCloseAnothersOrBorrowTheReserve()
    {
        await JsonAsync(_beta, HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.05");
        _host.PaperJournal.Clear();

        var flood = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=SELL&type=MARKET&quantity=0.01&reduceOnly=true")));

        Assert.All(flood, r => Assert.Equal((HttpStatusCode.Forbidden, ExchangeErrorCodes.NewOrderRejected), r));
        Assert.DoesNotContain(_host.PaperJournal.Entries, e => e is { Method: "POST", Path: "/fapi/v1/order" });

        // Beta's protective order passes; a second one larger than what is left of its position does not.
        Assert.Equal(HttpStatusCode.OK, (await _beta.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=SELL&type=LIMIT&timeInForce=GTC&price=9000&quantity=0.04&reduceOnly=true")).Status);
        Assert.Equal((HttpStatusCode.Forbidden, ExchangeErrorCodes.NewOrderRejected),
            await _beta.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=SELL&type=LIMIT&timeInForce=GTC&price=9000&quantity=0.02&reduceOnly=true"));

        // closePosition would close every bot's share: only on a symbol exclusive to the bot.
        Assert.Equal((HttpStatusCode.Forbidden, ExchangeErrorCodes.NewOrderRejected),
            await _beta.SendForCodeAsync(HttpMethod.Post, "fapi/v1/algoOrder?algoType=CONDITIONAL&symbol=ETHUSDT&side=SELL&type=STOP_MARKET&triggerPrice=1000&closePosition=true"));
    }

    [Fact]
    public async Task Caps_HoldForBatchesParallelOrdersAndTheAccountsLeverage()
    {
        await SetAsync("alpha", "--max-position-notional", "1000", "--max-leverage", "5", "--max-open-orders", "50");

        // A fixed price, so exactly three 0.004 BTC orders fit under the cap (3 × 260 = 780; a fourth makes 1,040).
        await _host.PinPriceAsync("BTCUSDT", 65_000m);

        // The account's leverage on BTCUSDT is above alpha's 5x: refused until alpha lowers it.
        Assert.Equal((HttpStatusCode.Forbidden, ExchangeErrorCodes.NewOrderRejected), await _alpha.SendForCodeAsync(HttpMethod.Post, Resting + "60000"));
        Assert.Equal(HttpStatusCode.OK, (await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/leverage?symbol=BTCUSDT&leverage=5")).Status);

        // Beta may not raise leverage on a symbol alpha trades (it is the account's, per symbol).
        Assert.Equal((HttpStatusCode.Forbidden, ExchangeErrorCodes.NewOrderRejected), await _beta.SendForCodeAsync(HttpMethod.Post, "fapi/v1/leverage?symbol=BTCUSDT&leverage=10"));

        // 5 × 0.004 BTC (≈ 260 USDT each at the mark) in one batch is ≈ 1300: refused whole.
        const string Element = """{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.004","price":"60000"}""";
        var batch = "[" + string.Join(',', Enumerable.Repeat(Element, 5)) + "]";
        Assert.Equal((HttpStatusCode.Forbidden, ExchangeErrorCodes.NewOrderRejected),
            await _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/batchOrders?batchOrders=" + Uri.EscapeDataString(batch)));

        // Eight at once: however they interleave, open orders stay within the cap.
        var parallel = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _alpha.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.004&price=" + (60000 + i))));
        var accepted = parallel.Count(r => r.Status == HttpStatusCode.OK);
        Assert.Equal(3, accepted);
        Assert.All(parallel.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal((HttpStatusCode.Forbidden, ExchangeErrorCodes.NewOrderRejected), r));
        Assert.Equal(accepted, (await OpenIdsAsync(_alpha)).Length);
        var mark = decimal.Parse((await JsonAsync(_alpha, HttpMethod.Get, "fapi/v1/premiumIndex?symbol=BTCUSDT")).GetProperty("markPrice").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accepted * 0.004m * mark <= 1000m * 1.01m, $"{accepted} orders open: {accepted * 0.004m * mark}");

        // An amendment may not grow an order past the cap either.
        var first = (await OpenIdsAsync(_alpha))[0];
        Assert.Equal((HttpStatusCode.Forbidden, ExchangeErrorCodes.NewOrderRejected),
            await _alpha.SendForCodeAsync(HttpMethod.Put, $"fapi/v1/order?symbol=BTCUSDT&origClientOrderId={first}&side=BUY&quantity=0.02&price=60000"));
    }

    [Fact]
    public async Task HaltAfterARestart_CancelsTheOrdersPlacedBeforeIt_AndOnlyThatBots()
    {
        await JsonAsync(_alpha, HttpMethod.Post, Resting + "60000&newClientOrderId=before-1");
        await JsonAsync(_alpha, HttpMethod.Post, Resting + "60001");
        await JsonAsync(_beta, HttpMethod.Post, Resting + "60002&newClientOrderId=beta-keeps");

        _alpha.Dispose();
        _beta.Dispose();
        await _host.DisposeAsync();
        _host = await GatewayTestHost.StartAsync(dataDir: _dataDir);
        _alpha = _host.CreateClient(_host.LoadBotCertificate("alpha"));
        _beta = _host.CreateClient(_host.LoadBotCertificate("beta"));

        var (code, output, _) = await _host.CliAsync("halt", "--bot", "alpha", "--cancel-open");

        Assert.Equal(0, code);
        Assert.Contains("2 open order(s) canceled", output);
        Assert.Empty(await OpenIdsAsync(_alpha));
        Assert.Equal(["beta-keeps"], await OpenIdsAsync(_beta));
    }

    [Fact]
    public async Task HaltWithCancelOpen_RetriesFailedCancels_AndReportsWhatIsStillOpen()
    {
        await JsonAsync(_alpha, HttpMethod.Post, Resting + "60000&newClientOrderId=stuck-1");
        await JsonAsync(_alpha, HttpMethod.Post, Resting + "60001&newClientOrderId=stuck-2");

        // One cancel fails once: the retry within the reserve gets it.
        await _host.InjectFaultAsync(new { pathPattern = "/fapi/v1/order", method = "DELETE", kind = "ErrorCode", status = 400, code = -1000, count = 1 });
        var (_, once, _) = await _host.CliAsync("halt", "--bot", "alpha", "--cancel-open");
        Assert.Contains("2 open order(s) canceled", once);

        // Every cancel keeps failing: the halt holds, and says which orders are still open.
        await JsonAsync(_beta, HttpMethod.Post, Resting + "60002&newClientOrderId=stuck-3");
        await _host.InjectFaultAsync(new { pathPattern = "/fapi/v1/order", method = "DELETE", kind = "ErrorCode", status = 400, code = -1000 });
        var (code, failing, _) = await _host.CliAsync("halt", "--bot", "beta", "--cancel-open");
        Assert.Equal(0, code);
        Assert.Contains("beta:stuck-3", failing);
        Assert.Equal(["stuck-3"], await OpenIdsAsync(_beta));

        await _host.ClearFaultsAsync();
        var (_, after, _) = await _host.CliAsync("halt", "--bot", "beta", "--cancel-open");
        Assert.Contains("1 open order(s) canceled", after);
        Assert.Empty(await OpenIdsAsync(_beta));
    }

    /// <summary>Stops the gateway, changes its ledger's file as a crash would have left it, starts it again; returns its ledger.</summary>
    private async Task<TradeFinder.Gateway.Orders.OwnershipLedger> RestartWithTheLedgerChangedAsync(string sql, int? rowsChanged = null)
    {
        _alpha.Dispose();
        _beta.Dispose();
        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={new TradeFinder.Gateway.Context.GatewayPaths(_dataDir).OrdersDatabaseFile}"))
        {
            await db.OpenAsync();
            await using var change = db.CreateCommand();
            change.CommandText = sql;
            var changed = await change.ExecuteNonQueryAsync();
            if (rowsChanged is { } expected)
            {
                Assert.Equal(expected, changed);
            }
        }

        _host = await GatewayTestHost.StartAsync(dataDir: _dataDir);
        _alpha = _host.CreateClient(_host.LoadBotCertificate("alpha"));
        _beta = _host.CreateClient(_host.LoadBotCertificate("beta"));
        return Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<TradeFinder.Gateway.Orders.OwnershipLedger>(_host.Services);
    }

    [Fact]
    public async Task OrdersTheStoreMissed_AreAdoptedFromTheExchangeByTheirTag_AtStart()
    {
        await JsonAsync(_alpha, HttpMethod.Post, Resting + "60000&newClientOrderId=lost-1");

        // As if the gateway had stopped between sending the order and writing its owner down.
        var ledger = await RestartWithTheLedgerChangedAsync("DELETE FROM gateway_orders", rowsChanged: 1);
        for (var i = 0; i < 100 && ledger.OpenOrders("alpha").Count == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal("lost-1", Assert.Single(ledger.OpenOrders("alpha")).BotClientId);
        var (_, output, _) = await _host.CliAsync("halt", "--bot", "alpha", "--cancel-open");
        Assert.Contains("1 open order(s) canceled", output);
    }

    [Fact]
    public async Task AFilledOrderTheStoreLost_IsFoundAgainFromItsSentRecord_AtStart_WithItsFill_AndOneSentBeforeTheMarkIsNotLookedFor()
    {
        await JsonAsync(_alpha, HttpMethod.Post, "fapi/v1/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=0.01&newClientOrderId=kept-1");
        // The mark falls between the two orders, further from the first than the slack the recovery allows the clock.
        await Task.Delay(TimeSpan.FromMilliseconds(TradeFinder.Gateway.Orders.OwnershipRecovery.ClockSlackMs + 150));
        var mark = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 50;
        await JsonAsync(_alpha, HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.002&newClientOrderId=lost-1");

        // As after a power cut: the ledger's writes since its last flushed one are gone, its mark with them (one
        // transaction), and kept-1's row too, though written before the mark, which says its loss is not a crash's; the
        // orders' sent records were on disk before their answers went out.
        var ledger = await RestartWithTheLedgerChangedAsync("DELETE FROM gateway_orders; UPDATE gateway_ledger_mark SET committed_through = " + mark);
        for (var i = 0; i < 100 && ledger.Positions().Count == 0; i++)
        {
            await Task.Delay(50);
        }

        // Filled at once, so no longer open: only its sent record could say it was alpha's. Sent before the mark, kept-1
        // was not looked for (its ETHUSDT fill would be a second position).
        var position = Assert.Single(ledger.Positions());
        Assert.Equal(("alpha", "BTCUSDT", 0.002m), (position.Bot, position.Symbol, position.Quantity));
        Assert.Equal("lost-1", ledger.FindByClientId(position.Account, TradeFinder.Gateway.Orders.ClientIds.Direct(TradeFinder.Gateway.Orders.ClientIds.Tag("alpha"), "lost-1")!, algo: false)?.BotClientId);
    }

    [Fact]
    public async Task OrdersWhoseBotIdsAreTooLongToCarry_TheStoreLost_AreRecoveredUnderTheBotsOwnIds_AtStart()
    {
        // Longer than the exchange's id leaves room for behind the tag: each goes out under a random (mapped) exchange id.
        var resting = "resting-" + new string('r', TradeFinder.Gateway.Orders.ClientIds.MaxDirectLength);
        var filled = "filled-" + new string('f', TradeFinder.Gateway.Orders.ClientIds.MaxDirectLength);
        var mark = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 50;
        await JsonAsync(_alpha, HttpMethod.Post, Resting + "60000&newClientOrderId=" + resting);
        await JsonAsync(_alpha, HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.002&newClientOrderId=" + filled);

        // As after a power cut before the ledger's next flushed write: both rows and the mark after them lost; only the
        // orders' sent records say which bot ids their random exchange ids stand for.
        var ledger = await RestartWithTheLedgerChangedAsync("DELETE FROM gateway_orders; UPDATE gateway_ledger_mark SET committed_through = " + mark);
        for (var i = 0; i < 100 && (ledger.OpenOrders("alpha").Count == 0 || ledger.Positions().Count == 0); i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(resting, Assert.Single(ledger.OpenOrders("alpha")).BotClientId);
        var found = await JsonAsync(_alpha, HttpMethod.Get, "fapi/v1/order?symbol=BTCUSDT&origClientOrderId=" + filled);
        Assert.Equal((filled, "FILLED"), (found.GetProperty("clientOrderId").GetString(), found.GetProperty("status").GetString()));
        Assert.Equal([resting], await OpenIdsAsync(_alpha));
        await JsonAsync(_alpha, HttpMethod.Delete, "fapi/v1/order?symbol=BTCUSDT&origClientOrderId=" + resting);
        Assert.Empty(await OpenIdsAsync(_alpha));
    }

    [Fact]
    public async Task ABotInAKeyGroupWithoutKeys_IsRefusedWithTheGroupNamed_NeverSignedWithTheDefaultKey()
    {
        await SetAsync("gamma", "--key-group", "orphan");
        _host.PaperJournal.Clear();

        using var response = await _gamma.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("key group 'orphan'", await response.Content.ReadAsStringAsync());
        Assert.Empty(_host.PaperJournal.Entries);
    }
}
