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
/// expired (<c>listenKeyExpired</c>, -1125), and replaces its connection make-before-break before the exchange's 24-hour cut. Every order event
/// updates the ownership ledger (fills as they happen), then goes to the sessions of the bots that may see it.
/// </summary>
internal sealed class AccountUserStream(
    ExchangeAccount account, UpstreamQueries upstream, StreamEndpoints endpoints, OwnershipLedger ledger, BotTags tags, UserEventViews views,
    VirtualListenKeys keys, TimeSpan rotateAfter, TimeProvider time, ILogger logger, Anomalies.AnomalyMonitor? anomalies = null,
    Anomalies.QuantitativeRules? quantitativeRules = null)
{
    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan RotationOverlap = TimeSpan.FromSeconds(2);

    /// <summary>How long orders in flight when a connection opens are waited for: longer than the trading time-out's default (10 s).</summary>
    private static readonly TimeSpan InFlightSettleLimit = TimeSpan.FromSeconds(15);

    /// <summary>After they settle, how long the stream has to show them itself before they are looked up.</summary>
    private static readonly TimeSpan StreamGrace = TimeSpan.FromSeconds(1);

    /// <summary>How many of the orders the stream last showed closed are remembered, so a resync never repeats their end.</summary>
    private const int ShownClosedKept = 10_000;

    /// <summary>Reasons of an ACCOUNT_UPDATE that trading explains (Binance USDⓈ-M Futures "Event: Balance and Position Update").</summary>
    private static readonly HashSet<string> TradingReasons = new(StringComparer.Ordinal)
    {
        "ORDER", "FUNDING_FEE", "MARGIN_TYPE_CHANGE", "INSURANCE_CLEAR", "AUTO_EXCHANGE", "ADJUSTMENT", "OPTIONS_PREMIUM_FEE", "OPTIONS_SETTLE_PROFIT",
    };
    private readonly Lock _gate = new();
    private readonly Lock _dispatching = new();
    private readonly RotationDuplicates _duplicates = new();
    private readonly Dictionary<string, StreamedOrder> _streamed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _shownClosed = new(StringComparer.Ordinal);
    private readonly Queue<string> _shownClosedOrder = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _lastHeard;
    private Task? _running;

    public ExchangeAccount Account => account;

    public int Reconnects { get; private set; }

    /// <summary>Gaps in the upstream stream (lost connection, expired key) closed by a REST resync.</summary>
    public int Gaps { get; private set; }

    /// <summary>Connections replaced make-before-break before the exchange's 24-hour cut.</summary>
    public int Rotations { get; private set; }

    public DateTimeOffset? KeyCreatedAt { get; private set; }

    /// <summary>Now minus the last event's time, when it arrived.</summary>
    public double LagMs { get; private set; }

    public int Subscribers => keys.On(account).Sum(k => k.Sessions);

    public void Start(CancellationToken stopping)
    {
        lock (_gate)
        {
            _running ??= Task.Run(async () =>
            {
                try
                {
                    await RunAsync(stopping).ConfigureAwait(false);
                }
                finally
                {
                    _firstAttempt.TrySetResult(); // stopped or failed: nobody waits for a connection that will not come
                }
            }, CancellationToken.None);
        }
    }

    public Task Stopped => _running ?? Task.CompletedTask;

    /// <summary>
    /// Done once the first connection is open (events from then on are carried live) or the first attempt failed (the
    /// gap is resynced when one opens): what a bot's first listen key waits for.
    /// </summary>
    public Task FirstAttempt => _firstAttempt.Task;

    private async Task RunAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromSeconds(1);
        // Orders changed from here on may have events the stream never carried: at first everything since the stream
        // started (orders placed while it connects), later everything since a lost connection was last heard from.
        var unseenSince = time.GetUtcNow();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var key = (await upstream.SendAsync(account, null, HttpMethod.Post, UsdmPaths.ListenKey, "", stopping).ConfigureAwait(false)).GetProperty("listenKey").GetString()!;
                KeyCreatedAt = time.GetUtcNow();
                var socket = await ConnectAsync(key, stopping).ConfigureAwait(false);
                StreamsLog.UpstreamConnected(logger, account.ToString());
                backoff = TimeSpan.FromSeconds(1);
                Heard();
                _firstAttempt.TrySetResult();
                try
                {
                    // Events of a gap are gone from the stream, and orders placed before the stream existed (a bot registered
                    // after the gateway started, a restart) may have filled unseen: either way what changed is read back over REST.
                    Gaps += Reconnects > 0 ? 1 : 0;
                    var settling = await ResyncAsync(unseenSince, stopping).ConfigureAwait(false);

                    using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    var keepAlive = KeepAliveAsync(key, connection);
                    var settled = ResyncSettledAsync(settling, connection.Token);
                    try
                    {
                        await ReadRotatingAsync(socket, key, connection.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        await connection.CancelAsync().ConfigureAwait(false);
                        await keepAlive.ConfigureAwait(false);
                        await settled.ConfigureAwait(false);
                    }
                }
                finally
                {
                    // A second's margin: the ledger's times and ours come from one clock, but not from one instant.
                    lock (_dispatching)
                    {
                        unseenSince = _lastHeard - TimeSpan.FromSeconds(1);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or WebSocketException or JsonException or OperationCanceledException or KeyNotFoundException or InvalidOperationException)
            {
                StreamsLog.UpstreamLost(logger, account.ToString(), ex.Message);
            }

            _firstAttempt.TrySetResult();

            Reconnects++;
            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250));
            await Task.Delay(backoff + jitter, time, stopping).ConfigureAwait(false);
            backoff = TimeSpan.FromSeconds(Math.Min(60, backoff.TotalSeconds * 2));
        }
    }

    private async Task<ClientWebSocket> ConnectAsync(string key, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.Proxy = null;
        try
        {
            await socket.ConnectAsync(endpoints.UserData(account.Mode, key), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the stream until it is lost or the key expires. Before the exchange's 24-hour cut the connection is
    /// replaced make-before-break: a second connection on the same key opens, both are read for a short overlap (events
    /// arriving on both are passed on once), then the old one closes, so nothing is lost and no REST resync is needed.
    /// </summary>
    private async Task ReadRotatingAsync(ClientWebSocket socket, string key, CancellationToken cancellationToken)
    {
        var reading = ReadAsync(socket, cancellationToken);
        try
        {
            while (true)
            {
                using var due = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var rotate = Task.Delay(rotateAfter, time, due.Token);
                if (await Task.WhenAny(reading, rotate).ConfigureAwait(false) == reading)
                {
                    await due.CancelAsync().ConfigureAwait(false);
                    await reading.ConfigureAwait(false);
                    return; // lost, closed or the key expired: the caller reconnects
                }

                // Remembering starts before the new connection exists: the exchange sends on it as soon as it is open, and an
                // event the old connection passed on meanwhile must be known when its copy is read from the new one. Under the
                // dispatch lock, so that the readers see it from their next message on.
                lock (_dispatching)
                {
                    _duplicates.Open();
                }

                ClientWebSocket next;
                try
                {
                    next = await ConnectAsync(key, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WebSocketException or HttpRequestException)
                {
                    lock (_dispatching)
                    {
                        _duplicates.Close(time.GetUtcNow());
                    }

                    StreamsLog.UpstreamLost(logger, account.ToString(), "rotation failed, keeping the current connection: " + ex.Message);
                    continue;
                }

                var nextReading = ReadAsync(next, cancellationToken);
                await Task.Delay(RotationOverlap, time, cancellationToken).ConfigureAwait(false);
                await CloseAsync(socket, reading).ConfigureAwait(false);
                socket.Dispose();
                lock (_dispatching)
                {
                    _duplicates.Close(time.GetUtcNow());
                }

                (socket, reading) = (next, nextReading);
                Rotations++;
            }
        }
        finally
        {
            socket.Dispose();
        }
    }

    /// <summary>Closes a connection being replaced, reading it to the end so nothing it still carries is lost.</summary>
    private async Task CloseAsync(ClientWebSocket socket, Task reading)
    {
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "rotated", CancellationToken.None).ConfigureAwait(false);
            await reading.WaitAsync(TimeSpan.FromSeconds(5), time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
        {
            socket.Abort();
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
                if (ExchangeErrorResponses.ErrorCode(answer) is not null)
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

            Heard();
            if (!DispatchOnce(message.ToArray()))
            {
                return; // the key expired: reconnect with a new one
            }

            message.SetLength(0);
        }
    }

    /// <summary>
    /// One message from either connection of a rotation: the first copy is passed on, in arrival order. A resync's
    /// message for <paramref name="unlessShown"/> is dropped if the stream showed that order meanwhile.
    /// </summary>
    private bool DispatchOnce(byte[] message, string? unlessShown = null)
    {
        lock (_dispatching)
        {
            if (!_duplicates.FirstSeen(message, time.GetUtcNow()) || (unlessShown is not null && Shown(unlessShown)))
            {
                return true;
            }

            using var document = JsonDocument.Parse(message);
            return Dispatch(document.RootElement);
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
            Remember(o);
            quantitativeRules?.Observe(account.ToString(), o, BotOf);
            if (o.TryGetProperty("c", out var c) && c.GetString() is { } clientId && !ledger.Knows(account, clientId) && !ExchangeOriginated(clientId))
            {
                // No bot placed it through the gateway: the account's key is being used elsewhere.
                anomalies?.Report(Anomalies.AnomalyMonitor.ForeignActivity, Anomalies.AnomalySeverity.Critical, null, account.ToString(),
                    $"order {o.GetProperty("i")} {Text(o, "s")} {Text(o, "S")} {Text(o, "q")}@{Text(o, "p")} (client id {clientId}, {Text(o, "X")}) was not placed through the gateway");
            }
        }

        if (type == "ACCOUNT_UPDATE" && e.TryGetProperty("a", out var update) && Text(update, "m") is { } reason && !TradingReasons.Contains(reason))
        {
            // The wallet moved for something no bot did through the gateway: money leaving is critical.
            var balances = update.TryGetProperty("B", out var b) && b.ValueKind == JsonValueKind.Array
                ? string.Join(", ", b.EnumerateArray().Select(x => $"{Text(x, "a")} change {Text(x, "bc")}, wallet {Text(x, "wb")}"))
                : "";
            anomalies?.Report(Anomalies.AnomalyMonitor.BalanceChange, reason.Contains("WITHDRAW", StringComparison.Ordinal) ? Anomalies.AnomalySeverity.Critical : Anomalies.AnomalySeverity.Warning,
                null, account.ToString(), $"balance moved outside trading ({reason}): {balances}");
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
    /// After a gap (a lost connection, an expired key) every order the stream last showed as open, every order the
    /// ledger holds as open (some placed during the gap, never shown), and every order the ledger saw change since the
    /// stream was last heard from (placed, filled or cancelled during the gap) is looked up, unless the stream already
    /// showed its end; each whose state differs from what the stream last showed is sent to its owner as the
    /// <c>ORDER_TRADE_UPDATE</c> the stream would have carried (marked <c>"gatewayResync": true</c>). What the stream
    /// showed is the reference, not the ledger, which also learns from REST answers (a cancel answered during the gap
    /// has its event resent). Orders still in flight cannot be looked up yet: they are returned for
    /// <see cref="ResyncSettledAsync"/>.
    /// </summary>
    private async Task<List<KeyValuePair<string, StreamedOrder>>> ResyncAsync(DateTimeOffset unseenSince, CancellationToken cancellationToken)
    {
        var held = ledger.OpenOrChangedOn(account, unseenSince.ToUnixTimeMilliseconds());
        Dictionary<string, StreamedOrder> candidates;
        var settling = new List<KeyValuePair<string, StreamedOrder>>();
        lock (_dispatching)
        {
            candidates = new Dictionary<string, StreamedOrder>(_streamed, StringComparer.Ordinal);
            foreach (var order in held.Where(o => !candidates.ContainsKey(o.ClientId) && !_shownClosed.Contains(o.ClientId)))
            {
                var never = new StreamedOrder(order.Symbol, order.Side, order.PositionSide, order.Reducing, 0m, null);
                if (order.State == OwnedOrderState.InFlight)
                {
                    settling.Add(new(order.ClientId, never));
                }
                else
                {
                    candidates[order.ClientId] = never;
                }
            }
        }

        foreach (var (clientId, shown) in candidates)
        {
            await LookUpAsync(clientId, shown, onlyIfUnshown: false, cancellationToken).ConfigureAwait(false);
        }

        return settling;
    }

    /// <summary>
    /// Orders in flight when the connection opened: their events may have gone out before it while their answers came
    /// after the look-ups. Once they settle and the stream has had a moment to show them itself, each it has not shown
    /// is looked up and sent the same way.
    /// </summary>
    private async Task ResyncSettledAsync(List<KeyValuePair<string, StreamedOrder>> settling, CancellationToken cancellationToken)
    {
        if (settling.Count == 0)
        {
            return;
        }

        try
        {
            var deadline = time.GetUtcNow() + InFlightSettleLimit;
            while (time.GetUtcNow() < deadline && settling.Any(o => ledger.FindByClientId(account, o.Key, algo: false)?.State == OwnedOrderState.InFlight))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(StreamGrace, time, cancellationToken).ConfigureAwait(false);
            foreach (var (clientId, shown) in settling)
            {
                await LookUpAsync(clientId, shown, onlyIfUnshown: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended first: the next one's resync looks again.
        }
    }

    /// <summary>Looks one order up and sends its owner what changed since <paramref name="shown"/>, if anything.</summary>
    private async Task LookUpAsync(string clientId, StreamedOrder shown, bool onlyIfUnshown, CancellationToken cancellationToken)
    {
        if (onlyIfUnshown)
        {
            lock (_dispatching)
            {
                if (Shown(clientId))
                {
                    return;
                }
            }
        }

        JsonElement now;
        try
        {
            now = await upstream.SendAsync(account, null, HttpMethod.Get, UsdmPaths.Order,
                $"symbol={shown.Symbol}&origClientOrderId={Uri.EscapeDataString(clientId)}", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            StreamsLog.UpstreamLost(logger, account.ToString(), "resync look-up failed: " + ex.Message);
            return;
        }

        if (!now.TryGetProperty("status", out var statusValue) || now.TryGetProperty("code", out _))
        {
            return;
        }

        var status = statusValue.GetString();
        var executed = decimal.Parse(now.GetProperty("executedQty").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        ledger.Observe(account, now, tags.BotFor);
        if (executed == shown.ExecutedQty && status == shown.Status)
        {
            return;
        }

        var execution = executed > shown.ExecutedQty ? "TRADE" : status switch { "CANCELED" => "CANCELED", "EXPIRED" => "EXPIRED", _ => "NEW" };
        DispatchOnce(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["e"] = "ORDER_TRADE_UPDATE",
            ["E"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
            ["T"] = now.TryGetProperty("updateTime", out var updated) ? updated.GetInt64() : 0,
            ["gatewayResync"] = true,
            ["o"] = new Dictionary<string, object?>
            {
                ["s"] = shown.Symbol, ["c"] = clientId, ["S"] = shown.Side, ["o"] = Text(now, "type"), ["f"] = Text(now, "timeInForce"),
                ["q"] = Text(now, "origQty"), ["p"] = Text(now, "price"), ["ap"] = Text(now, "avgPrice"), ["sp"] = Text(now, "stopPrice"),
                ["x"] = execution, ["X"] = status, ["i"] = now.GetProperty("orderId").GetInt64(),
                ["l"] = (executed - shown.ExecutedQty).ToString(System.Globalization.CultureInfo.InvariantCulture), ["z"] = Text(now, "executedQty"),
                ["L"] = Text(now, "avgPrice"), ["R"] = shown.Reducing, ["ps"] = shown.PositionSide,
            },
        }, StreamsJson.Default.DictionaryStringObject), onlyIfUnshown ? clientId : null);
    }

    /// <summary>Whether the stream (or a resync) has shown the order: open, or lately closed (under the dispatch lock).</summary>
    private bool Shown(string clientId) => _streamed.ContainsKey(clientId) || _shownClosed.Contains(clientId);

    /// <summary>The connection delivered something (or just opened): events before now reached the stream.</summary>
    private void Heard()
    {
        lock (_dispatching)
        {
            _lastHeard = time.GetUtcNow();
        }
    }

    /// <summary>Keeps what the stream last showed of each open order (under the dispatch lock), the reference for a resync.</summary>
    private void Remember(JsonElement o)
    {
        string? S(string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (S("c") is not { } clientId)
        {
            return;
        }

        var status = S("X");
        if (status is "NEW" or "PARTIALLY_FILLED")
        {
            _streamed[clientId] = new StreamedOrder(S("s")!, S("S")!, S("ps") ?? "BOTH", o.TryGetProperty("R", out var r) && r.ValueKind == JsonValueKind.True,
                decimal.TryParse(S("z"), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var z) ? z : 0m, status);
        }
        else
        {
            _streamed.Remove(clientId);
            if (_shownClosed.Add(clientId))
            {
                _shownClosedOrder.Enqueue(clientId);
                if (_shownClosedOrder.Count > ShownClosedKept)
                {
                    _shownClosed.Remove(_shownClosedOrder.Dequeue());
                }
            }
        }
    }

    /// <summary>An open order as the stream last showed it.</summary>
    private sealed record StreamedOrder(string Symbol, string Side, string PositionSide, bool Reducing, decimal ExecutedQty, string? Status);

    /// <summary>The bot an exchange client id belongs to, or null.</summary>
    private string? BotOf(string clientId) => ClientIds.TryParse(clientId, out var tag, out _, out _) ? tags.BotFor(tag) : null;

    /// <summary>The exchange's own orders on an account: liquidation, ADL and delivery settlement (Binance USDⓈ-M Futures "Event: Order Update").</summary>
    private static bool ExchangeOriginated(string clientId) =>
        clientId.StartsWith("autoclose-", StringComparison.Ordinal) || clientId.StartsWith("adl_autoclose", StringComparison.Ordinal)
        || clientId.StartsWith("settlement_autoclose-", StringComparison.Ordinal);

    private static string? Text(JsonElement o, string name) => o.TryGetProperty(name, out var v) ? v.ToString() : null;

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
        }, StreamsJson.Default.DictionaryStringObject);
    }
}
