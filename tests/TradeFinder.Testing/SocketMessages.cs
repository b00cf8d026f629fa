using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace TradeFinder.Testing;

/// <summary>
/// Reads a WebSocket in the background (cancelling a pending receive would abort the socket), so a test can wait for
/// the next JSON message with a timeout. Messages spanning several frames are assembled.
/// </summary>
public sealed class SocketMessages
{
    private readonly Channel<JsonElement> _messages = Channel.CreateUnbounded<JsonElement>();

    /// <summary>Starts reading <paramref name="socket"/>.</summary>
    /// <param name="socket">A connected socket.</param>
    public SocketMessages(WebSocket socket) => _ = Task.Run(async () =>
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var part = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = socket.CloseStatus;
                    CloseReason = socket.CloseStatusDescription;
                    break;
                }

                message.Write(buffer, 0, part.Count);
                if (part.EndOfMessage)
                {
                    _messages.Writer.TryWrite(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (WebSocketException)
        {
            // Ended.
        }

        Ended = true;
        _messages.Writer.TryComplete();
    });

    /// <summary>True once the stream ended (messages received before may still be unread).</summary>
    public bool Ended { get; private set; }

    /// <summary>The close status the server sent, once it closed.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    /// <summary>The close reason the server sent, once it closed.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>The next message, or null when nothing came in time or the stream ended.</summary>
    /// <param name="wait">How long to wait.</param>
    /// <returns>The message, or null.</returns>
    public async Task<JsonElement?> NextAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await _messages.Reader.ReadAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Skips messages until none has come for <paramref name="quiet"/> (or the stream ended).</summary>
    /// <param name="quiet">How long without a message counts as quiet.</param>
    /// <returns>A task that completes once the stream is quiet.</returns>
    public async Task SkipUntilQuietAsync(TimeSpan quiet)
    {
        while (await NextAsync(quiet) is not null)
        {
        }
    }

    /// <summary>The next message matching <paramref name="match"/> (others are skipped), or null.</summary>
    /// <param name="match">Which message is wanted.</param>
    /// <param name="wait">How long to wait in all.</param>
    /// <returns>The message, or null.</returns>
    public async Task<JsonElement?> NextAsync(Func<JsonElement, bool> match, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(match);
        var until = DateTimeOffset.UtcNow + wait;
        while (DateTimeOffset.UtcNow < until && await NextAsync(until - DateTimeOffset.UtcNow) is { } message)
        {
            if (match(message))
            {
                return message;
            }
        }

        return null;
    }
}
