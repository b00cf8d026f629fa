using System.Net.WebSockets;

namespace TradeFinder.Contracts.Streams;

/// <summary>
/// The server side of a stream connection's lifetime, shared by the gateway and the paper exchange: a reader that
/// notices the client's close, and an ending that completes the close handshake either way, so the client reads
/// every message sent before the close instead of a reset connection.
/// </summary>
public static class StreamConnection
{
    /// <summary>Reads (and ignores) what the client sends until it closes; then cancels <paramref name="closed"/>.</summary>
    /// <param name="socket">The accepted WebSocket.</param>
    /// <param name="closed">Cancelled when the connection is over.</param>
    /// <returns>A task that ends with the connection.</returns>
    public static async Task DrainAsync(WebSocket socket, CancellationTokenSource closed)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(closed);
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                if ((await socket.ReceiveAsync(buffer, closed.Token).ConfigureAwait(false)).MessageType == WebSocketMessageType.Close)
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

    /// <summary>
    /// Completes the close handshake: answers a client's close, or waits up to <paramref name="grace"/> for the client
    /// to answer ours (aborting at once would reset the connection and could drop its last messages); then ends the reader.
    /// </summary>
    /// <param name="socket">The accepted WebSocket.</param>
    /// <param name="draining">The task of <see cref="DrainAsync"/>.</param>
    /// <param name="closed">The token source given to <see cref="DrainAsync"/>.</param>
    /// <param name="grace">How long the client may take to answer our close.</param>
    /// <param name="time">The clock the wait runs on.</param>
    /// <returns>A task that ends when the connection is done.</returns>
    public static async Task EndAsync(WebSocket socket, Task draining, CancellationTokenSource closed, TimeSpan grace, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(draining);
        ArgumentNullException.ThrowIfNull(closed);
        if (socket.State == WebSocketState.CloseReceived)
        {
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
            await Task.WhenAny(draining, Task.Delay(grace, time, CancellationToken.None)).ConfigureAwait(false);
        }

        await closed.CancelAsync().ConfigureAwait(false);
        await draining.ConfigureAwait(false);
    }
}
