using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.PaperExchange.Security;

namespace TradeFinder.PaperExchange.Tests;

public sealed record PaperResponse(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers)
{
    public int Code => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;

    public string Header(string name) => Headers.TryGetValues(name, out var v) ? v.First() : "";
}

/// <summary>A real simulator on loopback with a fake clock, and a client that signs like a Binance SDK.</summary>
public sealed class PaperHarness : IAsyncDisposable
{
    public static readonly string ApiKey = "testKey" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    public static readonly string Secret = "testSecret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    private PaperHarness(PaperExchangeServer server, FakeTimeProvider? time)
    {
        Server = server;
        Time = time;
        Http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    public PaperExchangeServer Server { get; }

    public FakeTimeProvider? Time { get; }

    public HttpClient Http { get; }

    public static PaperExchangeSettings DefaultSettings() => new()
    {
        Credentials = [new PaperCredential(ApiKey, Encoding.UTF8.GetBytes(Secret))],
        JournalEnabled = true,
    };

    public static async Task<PaperHarness> StartAsync(Func<PaperExchangeSettings, PaperExchangeSettings>? configure = null, bool fakeTime = true)
    {
        var settings = configure?.Invoke(DefaultSettings()) ?? DefaultSettings();
        var time = fakeTime ? new FakeTimeProvider(Start) : null;
        var server = await PaperExchangeServer.StartAsync(settings, (TimeProvider?)time ?? TimeProvider.System);
        return new PaperHarness(server, time);
    }

    public long NowMs => (Time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<PaperResponse> SendAsync(HttpMethod method, string path, string query = "", bool signed = true, bool inBody = false, string? apiKey = null)
    {
        apiKey ??= ApiKey;
        var payload = query;
        if (signed)
        {
            payload = (payload.Length > 0 ? payload + "&" : "") + $"timestamp={NowMs}";
            var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(payload)));
            payload += "&signature=" + signature;
        }

        using var request = inBody
            ? new HttpRequestMessage(method, path) { Content = new StringContent(payload, Encoding.UTF8, "application/x-www-form-urlencoded") }
            : new HttpRequestMessage(method, payload.Length > 0 ? path + "?" + payload : path);
        if (apiKey.Length > 0)
        {
            request.Headers.Add("X-MBX-APIKEY", apiKey);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new PaperResponse(response.StatusCode, body, response.Headers);
    }

    public async Task<JsonElement> OkAsync(HttpMethod method, string path, string query = "", bool signed = true)
    {
        var response = await SendAsync(method, path, query, signed);
        Assert.True(response.Status == HttpStatusCode.OK, $"{method} {path}?{query} → {(int)response.Status} {response.Body}");
        return response.Body;
    }

    public async Task<int> ErrorAsync(HttpMethod method, string path, string query = "", bool signed = true)
    {
        var response = await SendAsync(method, path, query, signed);
        Assert.True(response.Status != HttpStatusCode.OK, $"{method} {path}?{query} unexpectedly succeeded: {response.Body}");
        return response.Code;
    }

    public Task<JsonElement> OrderAsync(string query) => OkAsync(HttpMethod.Post, "fapi/v1/order", query + "&newOrderRespType=RESULT");

    public async Task PinAsync(string symbol, decimal price)
    {
        using var response = await Http.PostAsJsonAsync("paper/control/price", new { symbol, price });
        response.EnsureSuccessStatusCode();

        // A pinned price applies from the next second; let the venue see that second.
        Time?.Advance(TimeSpan.FromSeconds(1));
    }

    public void Advance(TimeSpan by) => Time!.Advance(by);

    public async Task<JsonElement> PositionAsync(string symbol, string side = "BOTH")
    {
        var risks = await OkAsync(HttpMethod.Get, "fapi/v2/positionRisk", "symbol=" + symbol);
        return risks.EnumerateArray().Single(p => p.GetProperty("positionSide").GetString() == side);
    }

    public async Task<decimal> WalletAsync() =>
        D((await OkAsync(HttpMethod.Get, "fapi/v2/account")).GetProperty("totalWalletBalance"));

    public static decimal D(JsonElement e) => decimal.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
