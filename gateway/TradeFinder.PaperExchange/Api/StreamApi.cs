using System.Net.WebSockets;
using System.Text;
using TradeFinder.PaperExchange.Trading;

namespace TradeFinder.PaperExchange.Api;

/// <summary>
/// The user-data stream over WebSocket at the exchange's paths (<c>/ws/&lt;listenKey&gt;</c>, and the routed
/// <c>/private/ws/&lt;listenKey&gt;</c> of Binance USDⓈ-M Futures "User Data Streams"): every event of the account while
/// the key is active; an expired key ends the connection after its <c>listenKeyExpired</c> event.
/// </summary>
internal static class StreamApi
{
    public static void MapStreamApi(this WebApplication app)
    {
        app.Map("/ws/{listenKey}", (HttpContext c, string listenKey, PaperVenue v, TimeProvider time) => StreamAsync(c, listenKey, v, time));
        app.Map("/private/ws/{listenKey}", (HttpContext c, string listenKey, PaperVenue v, TimeProvider time) => StreamAsync(c, listenKey, v, time));
    }

    private static async Task StreamAsync(HttpContext context, string listenKey, PaperVenue venue, TimeProvider time)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (venue.SubscribeUserData(listenKey) is not { } events)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { code = -1125, msg = "This listenKey does not exist." }).ConfigureAwait(false);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var receiving = DrainAsync(socket, closed);
        try
        {
            await foreach (var e in events.ReadAllAsync(closed.Token).ConfigureAwait(false))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(e), WebSocketMessageType.Text, true, closed.Token).ConfigureAwait(false);
            }

            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "listenKeyExpired", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went away.
        }
        finally
        {
            venue.UnsubscribeUserData(events);
            if (socket.State == WebSocketState.CloseReceived)
            {
                // The client closed: complete the handshake.
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                }
                catch (WebSocketException)
                {
                    // Already gone.
                }
            }

            if (socket.State == WebSocketState.CloseSent)
            {
                // Let the client read what was sent and answer the close: aborting now would reset the connection
                // and could drop the last messages from its receive buffer.
                await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromSeconds(2), time, CancellationToken.None)).ConfigureAwait(false);
            }

            await closed.CancelAsync().ConfigureAwait(false);
            await receiving.ConfigureAwait(false);
        }
    }

    /// <summary>Reads (and ignores) what the client sends, so its close is seen.</summary>
    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var message = await socket.ReceiveAsync(buffer, closed.Token).ConfigureAwait(false);
                if (message.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closed from either side.
        }

        await closed.CancelAsync().ConfigureAwait(false);
    }
}
