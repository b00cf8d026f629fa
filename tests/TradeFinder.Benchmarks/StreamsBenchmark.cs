using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Paper;
using TradeFinder.Gateway.Streams;
using TradeFinder.Testing;

namespace TradeFinder.Benchmarks;

/// <summary>
/// Market-data fan-out: how many messages a second the hub hands to bot connections (in process, one upstream stream
/// to 1–500 connections), and the latency the gateway adds per hop, measured against a direct connection to the same
/// simulator stream (each message matched by stream and event time), alone and with 50 bots reading every stream.
/// </summary>
public static class StreamsBenchmark
{
    private static readonly string[] Streams =
    [
        .. new[] { "btcusdt", "ethusdt", "solusdt" }.SelectMany(s => new[] { "@aggTrade", "@bookTicker", "@markPrice@1s", "@kline_1m", "@ticker", "@depth5" }.Select(k => s + k)),
    ];

    public static async Task<IReadOnlyList<string>> RunAsync(TimeSpan duration)
    {
        var rows = new List<string> { "| measurement | connections | messages/s delivered | p50 | p99 |", "|---|---:|---:|---:|---:|" };
        foreach (var connections in new[] { 1, 50, 500 })
        {
            rows.Add(FanOutInProcess(connections, frames: 200_000 / Math.Max(1, connections / 10)));
        }

        rows.AddRange(await AddedLatencyAsync(duration));
        return rows;
    }

    /// <summary>One upstream stream's frames dispatched to <paramref name="connections"/> bot connections, each drained by its own reader.</summary>
    private static string FanOutInProcess(int connections, int frames)
    {
        var options = Options.Create(new StreamsOptions());
        var endpoints = new StreamEndpoints(new UpstreamDirectory(TradingMode.Paper, new Dictionary<TradingMode, Uri> { [TradingMode.Paper] = new("http://127.0.0.1:9/") }), options);
        using var hub = new MarketStreamHub(endpoints, options, TimeProvider.System, NullLogger<MarketStreamHub>.Instance);
        var sessions = Enumerable.Range(0, connections)
            .Select(i => new BotMarketSession(new BotIdentity("bot" + i, TradingMode.Paper), combined: i % 2 == 0, capacity: 1_000_000))
            .ToArray();
        foreach (var session in sessions)
        {
            hub.TryOpen(session.Bot.Name);
            _ = hub.Subscribe(session, ["btcusdt@aggTrade"]);
        }

        var upstream = hub.Connections.Single();
        var frame = Encoding.UTF8.GetBytes("""{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1796170000000,"a":1796170000,"s":"BTCUSDT","p":"65012.30","q":"0.123","f":1796170000,"l":1796170000,"T":1796170000000,"m":true}}""");
        long delivered = 0;
        var readers = sessions.Select(s => Task.Run(async () =>
        {
            await foreach (var _ in s.Events.ReadAllAsync())
            {
                if (Interlocked.Increment(ref delivered) == (long)frames * connections)
                {
                    return;
                }
            }
        })).ToArray();

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < frames; i++)
        {
            hub.Dispatch(upstream, frame);
        }

        var dispatched = clock.Elapsed;
        foreach (var session in sessions)
        {
            session.End("done");
        }

        Task.WaitAll(readers);
        var total = clock.Elapsed;
        return $"| in process: {frames:N0} upstream frames fanned out | {connections} | {delivered / total.TotalSeconds:N0} | {dispatched.TotalMicroseconds / frames:F2} µs per frame to dispatch | — |";
    }

    /// <summary>Added latency: the same simulator messages read directly and through the gateway (bots port, mTLS).</summary>
    private static async Task<IReadOnlyList<string>> AddedLatencyAsync(TimeSpan duration)
    {
        var rows = new List<string>();
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Streams:MaxMarketStreamsPerBot"] = "1000" });
        var paper = host.Services.GetRequiredService<HostedPaperExchange>().Server.BaseAddress;
        var path = "stream?streams=" + string.Join('/', Streams);
        foreach (var extraBots in new[] { 0, 50 })
        {
            var extras = new List<(ClientWebSocket Socket, Task<long> Reading)>();
            using var stop = new CancellationTokenSource();
            for (var i = 0; i < extraBots; i++)
            {
                var socket = await host.ConnectWebSocketAsync(path, await host.IssueBotAsync($"load{i}"));
                extras.Add((socket, CountAsync(socket, stop.Token)));
            }

            using var direct = new ClientWebSocket();
            await direct.ConnectAsync(new Uri(new UriBuilder(paper) { Scheme = "ws" }.Uri, "market/" + path), CancellationToken.None);
            using var viaGateway = await host.ConnectWebSocketAsync(path, await host.IssueBotAsync($"probe{extraBots}"));
            var directTimes = ArrivalsAsync(direct, duration);
            var gatewayTimes = ArrivalsAsync(viaGateway, duration);
            var (a, b) = (await directTimes, await gatewayTimes);
            var added = a.Keys.Intersect(b.Keys).Select(k => b[k] - a[k]).Order().ToArray();
            await stop.CancelAsync();
            long fanned = 0;
            foreach (var (socket, reading) in extras)
            {
                fanned += await reading;
                socket.Dispose();
            }

            var rate = (added.Length + fanned) / duration.TotalSeconds;
            rows.Add($"| added latency per hop, {Streams.Length} streams, {added.Length} messages matched | {1 + extraBots} | {rate:N0} | {Percentile(added, 0.50):F2} ms | {Percentile(added, 0.99):F2} ms |");
        }

        return rows;
    }

    /// <summary>When each (stream, event time) message arrived, in ms on one clock, for <paramref name="duration"/>.</summary>
    private static async Task<Dictionary<string, double>> ArrivalsAsync(WebSocket socket, TimeSpan duration)
    {
        var arrivals = new Dictionary<string, double>(StringComparer.Ordinal);
        using var until = new CancellationTokenSource(duration);
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult part;
                do
                {
                    part = await socket.ReceiveAsync(buffer.AsMemory(count), until.Token);
                    count += part.Count;
                }
                while (!part.EndOfMessage);

                var at = Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
                using var message = JsonDocument.Parse(buffer.AsMemory(0, count));
                var data = message.RootElement.GetProperty("data");
                var time = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("E", out var e) ? e.GetInt64() : 0;
                arrivals.TryAdd(message.RootElement.GetProperty("stream").GetString() + "@" + time.ToString(CultureInfo.InvariantCulture), at);
            }
        }
        catch (OperationCanceledException)
        {
            return arrivals;
        }
    }

    private static async Task<long> CountAsync(WebSocket socket, CancellationToken stop)
    {
        var buffer = new byte[256 * 1024];
        long messages = 0;
        try
        {
            while (true)
            {
                var part = await socket.ReceiveAsync(buffer, stop);
                messages += part.EndOfMessage ? 1 : 0;
            }
        }
        catch (OperationCanceledException)
        {
            return messages;
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
