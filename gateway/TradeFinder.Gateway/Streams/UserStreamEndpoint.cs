using System.Net.WebSockets;
using TradeFinder.Contracts.Streams;
using System.Text;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Streams;

/// <summary>
/// Bots connect over mTLS WebSocket on the bots port with the exchange's paths (<c>/ws/&lt;listenKey&gt;</c>,
/// <c>/private/ws/&lt;listenKey&gt;</c>), using the virtual key the gateway gave them, so stream clients work by base URL.
/// </summary>
internal static class UserStreamEndpoint
{
    public static void MapUserStreams(this IEndpointRouteBuilder app)
    {
        app.Map("/private/ws/{listenKey}", (HttpContext c, string listenKey, UserStreams streams, VirtualListenKeys keys, TimeProvider time, ILogger<UserStreams> logger) => StreamAsync(c, listenKey, streams, keys, time, logger))
            .OnListener(Listener.Bots);
    }

    /// <summary>Also reached through <c>/ws/&lt;listenKey&gt;</c>, a path the market streams share (see <see cref="MarketStreamEndpoint"/>).</summary>
    public static async Task StreamAsync(HttpContext context, string listenKey, UserStreams streams, VirtualListenKeys keys, TimeProvider time, ILogger logger)
    {
        var bot = context.Features.Get<BotIdentity>();
        if (bot is null || !bot.Scopes.Contains(ScopeNames.UserStream))
        {
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ExchangeErrorCodes.Unauthorized, $"Bot '{bot?.Name}' lacks scope '{ScopeNames.UserStream}'.").ConfigureAwait(false);
            return;
        }

        // Another bot's key names nothing for this bot: the same answer as for a key that never existed.
        if (keys.FeedOf(bot.Name, listenKey) is not { } feed || !context.WebSockets.IsWebSocketRequest)
        {
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, -1125, "This listenKey does not exist.").ConfigureAwait(false);
            return;
        }

        streams.Ensure(feed.Account);
        if (keys.On(feed.Account).Where(k => k.Bot.Name == bot.Name).Sum(k => k.Sessions) >= streams.Options.MaxConnectionsPerBot)
        {
            await ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, ExchangeErrorCodes.TooManyRequests,
                $"Bot '{bot.Name}' already holds {streams.Options.MaxConnectionsPerBot} user-data connections.").ConfigureAwait(false);
            return;
        }

        // ?since=N: the events after N this key was sent in the last minute come first.
        long? since = long.TryParse(context.Request.Query["since"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
        var session = new BotStreamSession(streams.Options.MaxQueuedEventsPerConnection);
        // Attached before the upgrade is answered: the bot may act as soon as its connection opens (place an order), and
        // that order's event, dispatched before a later attach, would have been missed. Until then events queue here.
        var (replay, gap) = feed.Attach(session, since);
        WebSocket accepted;
        try
        {
            accepted = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        }
        catch
        {
            feed.Detach(session);
            throw;
        }

        using var socket = accepted;
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var receiving = StreamConnection.DrainAsync(socket, closed);
        try
        {
            if (gap)
            {
                await SendAsync(socket, $$"""{"e":"gatewayGap","E":{{time.GetUtcNow().ToUnixTimeMilliseconds()}},"since":{{since}},"msg":"Events older than the replay window were dropped; reconcile over REST."}""", closed.Token).ConfigureAwait(false);
            }

            foreach (var json in replay)
            {
                await SendAsync(socket, json, closed.Token).ConfigureAwait(false);
            }

            while (!closed.IsCancellationRequested)
            {
                // Wake up now and then to notice a key that expired without a keep-alive.
                using var due = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(closed.Token, due.Token);
                try
                {
                    if (!await session.Events.WaitToReadAsync(tick.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (!closed.IsCancellationRequested)
                {
                    if (!keys.IsActive(listenKey))
                    {
                        session.End("listenKey expired");
                        break;
                    }

                    continue;
                }

                while (session.Events.TryRead(out var json))
                {
                    await SendAsync(socket, json, closed.Token).ConfigureAwait(false);
                }
            }

            if (session.EndReason == "listenKey expired" && socket.State == WebSocketState.Open)
            {
                await SendAsync(socket, $$"""{"e":"listenKeyExpired","E":{{time.GetUtcNow().ToUnixTimeMilliseconds()}},"listenKey":"{{listenKey}}"}""", CancellationToken.None).ConfigureAwait(false);
            }

            if (session.EndReason is { } reason && socket.State == WebSocketState.Open)
            {
                StreamsLog.BotStreamEnded(logger, bot.Name, reason);
                if (reason.StartsWith("slow", StringComparison.Ordinal))
                {
                    context.RequestServices.GetRequiredService<Diagnostics.GatewayMetrics>().SlowConsumerDropped(bot.Name);
                }

                await socket.CloseOutputAsync(reason.StartsWith("slow", StringComparison.Ordinal) ? WebSocketCloseStatus.PolicyViolation : WebSocketCloseStatus.NormalClosure,
                    reason, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The bot went away.
        }
        finally
        {
            feed.Detach(session);
            await StreamConnection.EndAsync(socket, receiving, closed, TimeSpan.FromSeconds(2), time).ConfigureAwait(false);
        }
    }

    private static Task SendAsync(WebSocket socket, string json, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, cancellationToken);
}
