using System.Net.WebSockets;
using System.Text;
using TradeFinder.Contracts.Streams;
using TradeFinder.PaperExchange.Protocol;
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
        app.Map("/private/ws/{listenKey}", (HttpContext c, string listenKey, PaperVenue v, TimeProvider time) => StreamAsync(c, listenKey, v, time));
    }

    /// <summary>Also reached through <c>/ws/&lt;listenKey&gt;</c>, which the market stream routes share.</summary>
    public static async Task StreamAsync(HttpContext context, string listenKey, PaperVenue venue, TimeProvider time)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (venue.SubscribeUserData(listenKey) is not { } events)
        {
            await ExchangeResults.Error(-1125, "This listenKey does not exist.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var receiving = StreamConnection.DrainAsync(socket, closed);
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
        catch (Exception ex) when (ex is IOException or System.Threading.Channels.ChannelClosedException)
        {
            // Dropped by the control API: end the connection without a close handshake, as a network failure does.
            socket.Abort();
        }
        finally
        {
            venue.UnsubscribeUserData(events);
            await StreamConnection.EndAsync(socket, receiving, closed, TimeSpan.FromSeconds(2), time).ConfigureAwait(false);
        }
    }
}
