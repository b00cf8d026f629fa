using System.Security.Cryptography;
using System.Text;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.PaperExchange.Limits;
using TradeFinder.PaperExchange.Security;

namespace TradeFinder.Benchmarks;

/// <summary>
/// Public market-data requests/s and order placements/s served by the standalone simulator. Limits are
/// raised (as for a high VIP tier) so the simulator's own 429s do not cap what is measured.
/// </summary>
public static class PaperExchangeBenchmark
{
    private static readonly string Key = "key" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
    private static readonly string Secret = "secret" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public static async Task<IReadOnlyList<LoadResult>> RunAsync(TimeSpan duration)
    {
        await using var server = await PaperExchangeServer.StartAsync(new PaperExchangeSettings
        {
            Credentials = [new PaperCredential(Key, Encoding.UTF8.GetBytes(Secret))],
            StartingBalance = 1_000_000_000m,
            Limits = new RateLimitSettings { WeightPerMinute = int.MaxValue, OrdersPer10Seconds = int.MaxValue, OrdersPerMinute = int.MaxValue },
            Quiet = true,
        }, TimeProvider.System);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = server.BaseAddress };
        var secret = Encoding.UTF8.GetBytes(Secret);

        var results = new List<LoadResult>();
        foreach (var concurrency in new[] { 16, 64 })
        {
            results.Add(await LoadRunner.RunAsync("GET /fapi/v1/ticker/price?symbol=BTCUSDT", concurrency, duration, async (_, _) =>
            {
                using var response = await http.GetAsync(new Uri("fapi/v1/ticker/price?symbol=BTCUSDT", UriKind.Relative)).ConfigureAwait(false);
                return response.IsSuccessStatusCode;
            }));
            results.Add(await LoadRunner.RunAsync("GET /fapi/v1/depth?symbol=BTCUSDT&limit=5", concurrency, duration, async (_, _) =>
            {
                using var response = await http.GetAsync(new Uri("fapi/v1/depth?symbol=BTCUSDT&limit=5", UriKind.Relative)).ConfigureAwait(false);
                return response.IsSuccessStatusCode;
            }));
        }

        results.Add(await LoadRunner.RunAsync("POST /fapi/v1/order (MARKET, signed)", 16, duration, async (worker, n) =>
        {
            // Alternate sides per worker so the position stays flat and margin never runs out.
            var side = n % 2 == 0 ? "BUY" : "SELL";
            var payload = $"symbol=ETHUSDT&side={side}&type=MARKET&quantity=0.01&timestamp={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
            var signature = Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(payload)));
            using var request = new HttpRequestMessage(HttpMethod.Post, "fapi/v1/order?" + payload + "&signature=" + signature);
            request.Headers.Add("X-MBX-APIKEY", Key);
            using var response = await http.SendAsync(request).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }));
        return results;
    }
}
