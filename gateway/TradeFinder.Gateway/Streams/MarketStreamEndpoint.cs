using System.Net.WebSockets;
using System.Text;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Streams;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// Market streams for bots over mTLS WebSocket on the bots port, with every URL shape of the exchange: <c>/ws</c>,
/// <c>/ws/&lt;stream&gt;[/&lt;stream&gt;…]</c> (raw payloads), <c>/stream?streams=a/b</c> (combined envelopes; a name that is the
/// bot's listen key adds its user-data events), the routed <c>/public</c> and <c>/market</c> prefixes of all of them, and
/// the SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY messages. Whatever the bot's URL, the
/// gateway picks the upstream route itself. <c>/ws/&lt;listenKey&gt;</c> stays the user-data stream, and the routed
/// <c>/private/ws?listenKey=</c> and <c>/private/stream?listenKey=</c> forms reach it too.
/// </summary>
internal static class MarketStreamEndpoint
{
    public static void MapMarketStreams(this IEndpointRouteBuilder app)
    {
        foreach (var route in new[] { "", "/public", "/market" })
        {
            app.Map(route + "/ws", c => StreamAsync(c, [], combined: false)).OnListener(Listener.Bots);
            app.Map(route + "/stream", c => StreamAsync(c, ((string?)c.Request.Query["streams"] ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries), combined: true))
                .OnListener(Listener.Bots);
            app.Map(route + "/ws/{**names}", c =>
            {
                var names = (string)c.Request.RouteValues["names"]!;
                return route == "" && IsListenKey(names)
                    ? UserStreamEndpoint.StreamAsync(c, names, c.RequestServices.GetRequiredService<UserStreams>(), c.RequestServices.GetRequiredService<VirtualListenKeys>(),
                        c.RequestServices.GetRequiredService<TimeProvider>(), c.RequestServices.GetRequiredService<ILogger<UserStreams>>())
                    : StreamAsync(c, names.Split('/', StringSplitOptions.RemoveEmptyEntries), combined: false);
            }).OnListener(Listener.Bots);
        }

        // The routed user-data forms: /private/ws?listenKey=K (raw events) and /private/stream?listenKey=K (combined).
        app.Map("/private/ws", c => c.Request.Query["listenKey"] is [{ } key]
                ? UserStreamEndpoint.StreamAsync(c, key, c.RequestServices.GetRequiredService<UserStreams>(), c.RequestServices.GetRequiredService<VirtualListenKeys>(),
                    c.RequestServices.GetRequiredService<TimeProvider>(), c.RequestServices.GetRequiredService<ILogger<UserStreams>>())
                : ExchangeErrorResponses.WriteAsync(c, StatusCodes.Status400BadRequest, ExchangeErrorCodes.MandatoryParamEmptyOrMalformed, "Mandatory parameter 'listenKey' was not sent, was empty/null, or malformed."))
            .OnListener(Listener.Bots);
        app.Map("/private/stream", c => StreamAsync(c, [.. c.Request.Query["listenKey"].Concat(((string?)c.Request.Query["streams"] ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries)).OfType<string>()], combined: true))
            .OnListener(Listener.Bots);
    }

    /// <summary>The gateway's virtual listen keys are 64 lowercase hex characters.</summary>
    private static bool IsListenKey(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);

    private static async Task StreamAsync(HttpContext context, string[] names, bool combined)
    {
        var services = context.RequestServices;
        var hub = services.GetRequiredService<MarketStreamHub>();
        var keys = services.GetRequiredService<VirtualListenKeys>();
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILogger<MarketStreamHub>>();
        var bot = context.Features.Get<BotIdentity>();
        var marketNames = names.Where(n => !IsListenKey(n) && MarketStreamName.LooksLikeStream(n)).ToList();
        if (bot is null || ((marketNames.Count > 0 || !names.Any(IsListenKey)) && !bot.Scopes.Contains(ScopeNames.MarketRead)))
        {
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ExchangeErrorCodes.Unauthorized, $"Bot '{bot?.Name}' lacks scope '{ScopeNames.MarketRead}'.").ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ExchangeErrorCodes.Unknown, "Market streams are WebSocket connections.").ConfigureAwait(false);
            return;
        }

        // In a combined URL the bot's own listen key adds its user-data events; a name that is no stream and has no
        // stream's shape (clients number their connections, /ws/1) is ignored, as the exchange does.
        var userFeeds = combined ? names.Where(IsListenKey).Select(n => (Key: n, Feed: keys.FeedOf(bot.Name, n))).ToList() : [];
        if (userFeeds.FirstOrDefault(f => f.Feed is null) is { Key: { } unknown })
        {
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, -1125, "This listenKey does not exist.").ConfigureAwait(false);
            return;
        }

        if (userFeeds.Count > 0 && !bot.Scopes.Contains(ScopeNames.UserStream))
        {
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ExchangeErrorCodes.Unauthorized, $"Bot '{bot.Name}' lacks scope '{ScopeNames.UserStream}'.").ConfigureAwait(false);
            return;
        }

        if (!hub.TryOpen(bot.Name))
        {
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, ExchangeErrorCodes.TooManyRequests,
                $"Bot '{bot.Name}' already holds {hub.Options.MaxMarketConnectionsPerBot} market stream connections.").ConfigureAwait(false);
            return;
        }

        var session = new BotMarketSession(bot, combined, services.GetRequiredService<UserStreams>().Options.MaxQueuedEventsPerConnection);
        var userSessions = new List<(string Key, ListenKeyFeed Feed, BotStreamSession Session)>();
        try
        {
            var (refused, ready) = hub.Subscribe(session, marketNames);
            if (refused is not null)
            {
                await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ExchangeErrorCodes.InvalidParameter,
                    refused).ConfigureAwait(false);
                return;
            }

            // As on the exchange, a stream named in the URL flows once the connection is open.
            await ReadyAsync(ready, time).ConfigureAwait(false);

            // The bot's user-data sessions are attached before the upgrade is answered (as on /ws/<listenKey>): the event
            // of an order placed as soon as the connection opens is queued, not missed. Detached below whatever happens.
            foreach (var (key, feed) in userFeeds)
            {
                services.GetRequiredService<UserStreams>().Ensure(feed!.Account);
                var user = new BotStreamSession(hub.Options.MaxQueuedEventsPerConnection);
                feed.Attach(user, null);
                userSessions.Add((key, feed, user));
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            var pumps = userSessions.Select(user => PumpUserEventsAsync(user.Key, user.Session, session, closed.Token)).ToList();

            var receiving = ReceiveAsync(socket, session, hub, time, closed);
            try
            {
                await foreach (var message in session.Events.ReadAllAsync(closed.Token).ConfigureAwait(false))
                {
                    await socket.SendAsync(message, WebSocketMessageType.Text, true, closed.Token).ConfigureAwait(false);
                }

                if (session.EndReason is { } reason && socket.State == WebSocketState.Open)
                {
                    StreamsLog.BotMarketStreamEnded(logger, bot.Name, reason);
                    if (reason.StartsWith("slow", StringComparison.Ordinal))
                    {
                        services.GetRequiredService<Diagnostics.GatewayMetrics>().SlowConsumerDropped(bot.Name);
                    }

                    // Every reason the gateway ends a connection for is the bot breaking a rule.
                    await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, reason, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                // The bot went away.
            }
            finally
            {
                session.End("closed");
                await StreamConnection.EndAsync(socket, receiving, closed, TimeSpan.FromSeconds(2), time).ConfigureAwait(false);
                await Task.WhenAll(pumps).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var (_, feed, user) in userSessions)
            {
                feed.Detach(user);
            }

            hub.Close(session);
        }
    }

    /// <summary>User-data events of a combined connection, in the combined envelope named by the listen key.</summary>
    private static async Task PumpUserEventsAsync(string key, BotStreamSession user, BotMarketSession session, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var json in user.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                session.Offer(MarketStreamControl.Combined(key, Encoding.UTF8.GetBytes(json)));
            }

            if (user.EndReason is { } reason)
            {
                session.End(reason);
            }
        }
        catch (OperationCanceledException)
        {
            // Connection over.
        }
    }

    /// <summary>The bot's control messages, answered in order; more than the allowed messages a second ends the connection, as on the exchange.</summary>
    private static async Task ReceiveAsync(WebSocket socket, BotMarketSession session, MarketStreamHub hub, TimeProvider time, CancellationTokenSource closed)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        var rate = new IncomingMessageRate(hub.Options.BotMessagesPerSecond, time);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var part = await socket.ReceiveAsync(buffer, closed.Token).ConfigureAwait(false);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                {
                    if (message.Length > 64 * 1024)
                    {
                        session.End("too large: messages are at most 64 KiB");
                        return; // the sender closes the connection with the reason
                    }

                    continue;
                }

                if (!rate.TryCount())
                {
                    session.End($"too many messages: at most {hub.Options.BotMessagesPerSecond} a second");
                    return; // the sender closes the connection with the reason
                }

                session.Offer(Encoding.UTF8.GetBytes(await AnswerAsync(message.ToArray(), session, hub, time).ConfigureAwait(false)));
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closed from either side.
        }

        await closed.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for the exchange to confirm new streams, at most a few seconds (an upstream that is down answers later; the streams flow once it is back).</summary>
    private static async Task ReadyAsync(Task ready, TimeProvider time)
    {
        try
        {
            await ready.WaitAsync(TimeSpan.FromSeconds(5), time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Answered anyway.
        }
    }

    private static async Task<string> AnswerAsync(byte[] message, BotMarketSession session, MarketStreamHub hub, TimeProvider time)
    {
        if (MarketStreamControl.Parse(message, out var error) is not { } request)
        {
            return error!;
        }

        switch (request.Method)
        {
            case MarketStreamMethod.Subscribe:
                var (refused, ready) = hub.Subscribe(session, request.Streams);
                if (refused is not null)
                {
                    return MarketStreamControl.Error(2, "Invalid request: " + refused, request.Id);
                }

                await ReadyAsync(ready, time).ConfigureAwait(false);
                return MarketStreamControl.Result(request.Id, "null");
            case MarketStreamMethod.Unsubscribe:
                hub.Unsubscribe(session, request.Streams);
                return MarketStreamControl.Result(request.Id, "null");
            case MarketStreamMethod.ListSubscriptions:
                return MarketStreamControl.List(request.Id, hub.StreamsOf(session));
            case MarketStreamMethod.SetProperty:
                session.Combined = request.Combined;
                return MarketStreamControl.Result(request.Id, "null");
            default:
                return MarketStreamControl.Result(request.Id, session.Combined ? "true" : "false");
        }
    }
}
