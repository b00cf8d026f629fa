using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Orders;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// An account's one upstream user-data stream, owned by the gateway: it creates the account's listen key, keeps it
/// alive every 30 minutes (it lives 60), reconnects with back-off and jitter, takes a new key when the old one
/// expired (<c>listenKeyExpired</c>, -1125), and reconnects before the exchange's 24-hour cut. Every order event
/// updates the ownership ledger (fills as they happen), then goes to the sessions of the bots that may see it.
/// </summary>
internal sealed class AccountUserStream(
    ExchangeAccount account, UpstreamQueries upstream, StreamEndpoints endpoints, OwnershipLedger ledger, BotTags tags, UserEventViews views,
    VirtualListenKeys keys, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan ReconnectBefore = TimeSpan.FromHours(23);
    private readonly Lock _gate = new();
    private Task? _running;

    public ExchangeAccount Account => account;

    public int Reconnects { get; private set; }

    public DateTimeOffset? KeyCreatedAt { get; private set; }

    /// <summary>Now minus the last event's time, when it arrived.</summary>
    public double LagMs { get; private set; }

    public int Subscribers => keys.On(account).Sum(k => k.Sessions);

    public void Start(CancellationToken stopping)
    {
        lock (_gate)
        {
            _running ??= Task.Run(() => RunAsync(stopping), CancellationToken.None);
        }
    }

    public Task Stopped => _running ?? Task.CompletedTask;

    private async Task RunAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var key = (await upstream.SendAsync(account, null, HttpMethod.Post, UsdmPaths.ListenKey, "", stopping).ConfigureAwait(false)).GetProperty("listenKey").GetString()!;
                KeyCreatedAt = time.GetUtcNow();
                using var socket = new ClientWebSocket();
                socket.Options.Proxy = null;
                await socket.ConnectAsync(endpoints.UserData(account.Mode, key), stopping).ConfigureAwait(false);
                StreamsLog.UpstreamConnected(logger, account.ToString());
                backoff = TimeSpan.FromSeconds(1);
                if (Reconnects > 0)
                {
                    // Events of the gap are gone from the stream: what changed is read back over REST.
                    await ResyncAsync(stopping).ConfigureAwait(false);
                }

                using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                connection.CancelAfter(ReconnectBefore); // well before the exchange's 24-hour cut
                var keepAlive = KeepAliveAsync(key, connection);
                await ReadAsync(socket, connection.Token).ConfigureAwait(false);
                await connection.CancelAsync().ConfigureAwait(false);
                await keepAlive.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or WebSocketException or JsonException or OperationCanceledException or KeyNotFoundException or InvalidOperationException)
            {
                StreamsLog.UpstreamLost(logger, account.ToString(), ex.Message);
            }

            Reconnects++;
            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250));
            await Task.Delay(backoff + jitter, time, stopping).ConfigureAwait(false);
            backoff = TimeSpan.FromSeconds(Math.Min(60, backoff.TotalSeconds * 2));
        }
    }

    private async Task KeepAliveAsync(string key, CancellationTokenSource connection)
    {
        try
        {
            while (!connection.IsCancellationRequested)
            {
                await Task.Delay(KeepAliveEvery, time, connection.Token).ConfigureAwait(false);
                var answer = await upstream.SendAsync(account, null, HttpMethod.Put, UsdmPaths.ListenKey, "listenKey=" + key, connection.Token).ConfigureAwait(false);
                if (answer.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() < 0)
                {
                    // -1125: the key is gone; reconnect with a new one.
                    await connection.CancelAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or JsonException)
        {
            await connection.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task ReadAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var part = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (part.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            message.Write(buffer, 0, part.Count);
            if (!part.EndOfMessage)
            {
                continue;
            }

            using (var document = JsonDocument.Parse(message.ToArray()))
            {
                if (!Dispatch(document.RootElement))
                {
                    return; // the key expired: reconnect with a new one
                }
            }

            message.SetLength(0);
        }
    }

    /// <summary>False when the stream must be re-established (the key expired).</summary>
    internal bool Dispatch(JsonElement e)
    {
        var type = e.TryGetProperty("e", out var t) ? t.GetString() : null;
        if (type == "listenKeyExpired")
        {
            return false;
        }

        if (e.TryGetProperty("E", out var eventTime) && eventTime.TryGetInt64(out var eventMs))
        {
            LagMs = Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - eventMs);
        }

        if (type == "ORDER_TRADE_UPDATE" && e.TryGetProperty("o", out var o))
        {
            ledger.Observe(account, AsOrder(o), tags.BotFor);
        }

        // Every active key on the account gets its bot's view, numbered and kept for replay, whether connected or not.
        var now = time.GetUtcNow();
        foreach (var feed in keys.On(account))
        {
            if (views.ViewFor(feed.Bot, e) is { } view)
            {
                feed.Publish(view, now);
            }
        }

        return true;
    }

    /// <summary>
    /// After a gap (a lost connection, an expired key), every order held as open is looked up; one that filled or
    /// ended meanwhile is sent to its owner as the <c>ORDER_TRADE_UPDATE</c> the stream would have carried (marked
    /// <c>"gatewayResync": true</c>).
    /// </summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        foreach (var held in ledger.OpenOrdersOn(account).Where(o => !o.Algo))
        {
            JsonElement now;
            try
            {
                now = await upstream.SendAsync(account, null, HttpMethod.Get, UsdmPaths.Order,
                    $"symbol={held.Symbol}&origClientOrderId={Uri.EscapeDataString(held.ClientId)}", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException)
            {
                StreamsLog.UpstreamLost(logger, account.ToString(), "resync look-up failed: " + ex.Message);
                continue;
            }

            if (!now.TryGetProperty("status", out var statusValue) || now.TryGetProperty("code", out _))
            {
                continue;
            }

            var status = statusValue.GetString();
            var executed = decimal.Parse(now.GetProperty("executedQty").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            ledger.Observe(account, now, tags.BotFor);
            if (executed == held.ExecutedQty && status is "NEW" or "PARTIALLY_FILLED")
            {
                continue;
            }

            var execution = executed > held.ExecutedQty ? "TRADE" : status == "CANCELED" ? "CANCELED" : "EXPIRED";
            Dispatch(JsonSerializer.SerializeToElement(new Dictionary<string, object?>
            {
                ["e"] = "ORDER_TRADE_UPDATE",
                ["E"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
                ["T"] = now.TryGetProperty("updateTime", out var updated) ? updated.GetInt64() : 0,
                ["gatewayResync"] = true,
                ["o"] = new Dictionary<string, object?>
                {
                    ["s"] = held.Symbol, ["c"] = held.ClientId, ["S"] = held.Side, ["o"] = Text(now, "type"), ["f"] = Text(now, "timeInForce"),
                    ["q"] = Text(now, "origQty"), ["p"] = Text(now, "price"), ["ap"] = Text(now, "avgPrice"), ["sp"] = Text(now, "stopPrice"),
                    ["x"] = execution, ["X"] = status, ["i"] = now.GetProperty("orderId").GetInt64(),
                    ["l"] = (executed - held.ExecutedQty).ToString(System.Globalization.CultureInfo.InvariantCulture), ["z"] = Text(now, "executedQty"),
                    ["L"] = Text(now, "avgPrice"), ["R"] = held.Reducing, ["ps"] = held.PositionSide,
                },
            }));
        }

        static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ToString() : null;
    }

    /// <summary>An order event's order in the REST shape the ledger reads.</summary>
    private static JsonElement AsOrder(JsonElement o)
    {
        string? S(string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["orderId"] = o.TryGetProperty("i", out var id) && id.TryGetInt64(out var orderId) ? orderId : null,
            ["symbol"] = S("s"),
            ["status"] = S("X"),
            ["clientOrderId"] = S("c"),
            ["origQty"] = S("q"),
            ["executedQty"] = S("z"),
            ["side"] = S("S"),
            ["positionSide"] = S("ps"),
            ["reduceOnly"] = o.TryGetProperty("R", out var r) && r.ValueKind == JsonValueKind.True,
        });
    }
}
