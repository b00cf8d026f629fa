using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using TradeFinder.PaperExchange.Faults;
using static TradeFinder.PaperExchange.Tests.PaperHarness;

namespace TradeFinder.PaperExchange.Tests.Faults;

/// <summary>Faults configured at start or through the control API (real clock: latency is real time).</summary>
public sealed class FaultInjectionTests
{
    [Fact]
    public async Task StatusFault_WithCount_FailsThatManyRequestsThenRecovers()
    {
        await using var paper = await StartAsync(s => s with { Faults = [new FaultRule { PathPattern = "/fapi/v1/time", Kind = FaultKind.Status, Status = 503, Count = 2 }] }, fakeTime: false);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await paper.SendAsync(HttpMethod.Get, "fapi/v1/time", signed: false)).Status);
        }

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task ControlApi_AddsListsAndClearsFaults()
    {
        await using var paper = await StartAsync(fakeTime: false);

        using var added = await paper.Http.PostAsJsonAsync("paper/control/faults", new { pathPattern = "/fapi/*", kind = "ErrorCode", code = -1021, status = 400 });
        added.EnsureSuccessStatusCode();
        var rejected = await paper.SendAsync(HttpMethod.Get, "fapi/v2/account");
        using var cleared = await paper.Http.DeleteAsync(new Uri("paper/control/faults", UriKind.Relative));
        var accepted = await paper.SendAsync(HttpMethod.Get, "fapi/v2/account");

        Assert.Equal(-1021, rejected.Code);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
    }

    [Fact]
    public async Task ResetFault_DropsTheConnection()
    {
        await using var paper = await StartAsync(s => s with { Faults = [new FaultRule { PathPattern = "/fapi/v1/ping", Kind = FaultKind.Reset }] }, fakeTime: false);

        await Assert.ThrowsAsync<HttpRequestException>(() => paper.Http.GetAsync(new Uri("fapi/v1/ping", UriKind.Relative)));
    }

    [Fact]
    public async Task RateLimitAndBanFaults_CarryRetryAfter()
    {
        await using var paper = await StartAsync(s => s with
        {
            Faults =
            [
                new FaultRule { PathPattern = "/fapi/v1/depth", Kind = FaultKind.RateLimit, RetryAfterSeconds = 7 },
                new FaultRule { PathPattern = "/fapi/v1/klines", Kind = FaultKind.Ban, RetryAfterSeconds = 120 },
            ],
        }, fakeTime: false);

        var limited = await paper.SendAsync(HttpMethod.Get, "fapi/v1/depth", "symbol=BTCUSDT", signed: false);
        var banned = await paper.SendAsync(HttpMethod.Get, "fapi/v1/klines", "symbol=BTCUSDT&interval=1m", signed: false);

        Assert.Equal((HttpStatusCode)429, limited.Status);
        Assert.Equal("7", limited.Header("Retry-After"));
        Assert.Equal((HttpStatusCode)418, banned.Status);
        Assert.Equal(-1003, banned.Code);
    }

    [Fact]
    public async Task LatencyFault_DelaysTheAnswer()
    {
        await using var paper = await StartAsync(s => s with { Faults = [new FaultRule { PathPattern = "/fapi/v1/time", Kind = FaultKind.Latency, LatencyMs = 300 }] }, fakeTime: false);

        var clock = Stopwatch.StartNew();
        var response = await paper.SendAsync(HttpMethod.Get, "fapi/v1/time", signed: false);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(clock.ElapsedMilliseconds >= 290, $"answered after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task SeededProbability_GivesTheSameFailurePatternForTheSameSeed()
    {
        async Task<string> PatternAsync()
        {
            await using var paper = await StartAsync(s => s with { Seed = 7, Faults = [new FaultRule { PathPattern = "/fapi/v1/ping", Kind = FaultKind.Status, Probability = 0.5 }] }, fakeTime: false);
            var pattern = "";
            for (var i = 0; i < 24; i++)
            {
                pattern += (await paper.SendAsync(HttpMethod.Get, "fapi/v1/ping", signed: false)).Status == HttpStatusCode.OK ? "." : "x";
            }

            return pattern;
        }

        var first = await PatternAsync();
        var second = await PatternAsync();

        Assert.Equal(first, second);
        Assert.Contains('x', first);
        Assert.Contains('.', first);
    }

    [Fact]
    public async Task AcceptThenTimeout_PlacesTheOrderButNeverAnswers()
    {
        await using var paper = await StartAsync(s => s with { Faults = [new FaultRule { PathPattern = "/fapi/v1/order", Method = "POST", Kind = FaultKind.AcceptThenTimeout, Count = 1 }] }, fakeTime: false);
        using var impatient = new HttpClient { BaseAddress = paper.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "fapi/v1/order?" + SignedQuery(paper,
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=40000&newClientOrderId=lost-1"));
        request.Headers.Add("X-MBX-APIKEY", ApiKey);

        await Assert.ThrowsAnyAsync<Exception>(() => impatient.SendAsync(request));

        var order = await paper.OkAsync(HttpMethod.Get, "fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=lost-1");
        Assert.Equal("NEW", order.GetProperty("status").GetString());
    }

    private static string SignedQuery(PaperHarness paper, string query)
    {
        var payload = query + "&timestamp=" + paper.NowMs;
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.UTF8.GetBytes(payload)));
        return payload + "&signature=" + signature;
    }
}
