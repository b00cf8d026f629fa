using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Upstream;

/// <summary>
/// An upstream that answers with a redirect to another host must never get the gateway to send the key there:
/// neither a forwarded bot request nor the gateway's own risk look-up follows it.
/// </summary>
public sealed class RedirectingUpstreamTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, string? ApiKey)> _collected = new();
    private WebApplication _collector = null!;
    private WebApplication _redirector = null!;
    private PaperExchange.Hosting.PaperExchangeServer _exchange = null!;
    private readonly TestKey _key = TestKey.Hmac();

    public async Task InitializeAsync()
    {
        _exchange = await TestExchange.StartAsync(_key.ToPaperCredential());
        _collector = await ServeAsync(context =>
        {
            _collected.Enqueue((context.Request.Path.Value!, context.Request.Headers["X-MBX-APIKEY"].FirstOrDefault()));
            return Task.CompletedTask;
        });
        var collector = new Uri(_collector.Urls.First());

        // Everything is relayed to the simulator, except two paths that redirect to the collector's host.
        var relay = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _exchange.BaseAddress };
        _redirector = await ServeAsync(async context =>
        {
            if (context.Request.Path.Value is "/fapi/v2/account" or "/fapi/v2/positionRisk")
            {
                context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                context.Response.Headers.Location = new Uri(collector, context.Request.Path.Value + context.Request.QueryString).ToString();
                return;
            }

            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path.Value + context.Request.QueryString);
            if (context.Request.Headers.TryGetValue("X-MBX-APIKEY", out var key))
            {
                request.Headers.Add("X-MBX-APIKEY", key.ToString());
            }

            if (context.Request.ContentLength > 0)
            {
                request.Content = new StreamContent(context.Request.Body);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
            }

            using var answer = await relay.SendAsync(request);
            context.Response.StatusCode = (int)answer.StatusCode;
            foreach (var header in answer.Headers.Where(h => h.Key.StartsWith("X-MBX", StringComparison.OrdinalIgnoreCase)))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }

            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
            await context.Response.Body.WriteAsync(await answer.Content.ReadAsByteArrayAsync());
        });
    }

    public async Task DisposeAsync()
    {
        await _redirector.DisposeAsync();
        await _collector.DisposeAsync();
        await _exchange.DisposeAsync();
    }

    [Fact]
    public async Task RedirectedRequests_NeverCarryTheKeyToTheOtherHost()
    {
        using var keys = new ScopedTempDirectory("tf-redirect-keys");
        _key.WriteTo(keys.Path, "testnet");
        var settings = TestExchange.FileKeySettings(keys.Path, _exchange);
        settings["TRADEFINDER_UPSTREAM_OVERRIDE"] = _redirector.Urls.First();
        await using var host = await GatewayTestHost.StartAsync(settings);
        await host.IssueAdminAsync("ops");
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha", "testnet"));
        Assert.Equal(0, (await host.CliAsync("bots", "set", "alpha", "--max-position-notional", "1000000")).ExitCode);

        using var account = await bot.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));
        Assert.True(account.StatusCode == HttpStatusCode.TemporaryRedirect || _collected.Any(c => c.Path == "/fapi/v2/account"), "the account read was not redirected");
        using var order = await bot.PostAsync(new Uri("fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.002", UriKind.Relative), null);

        // The redirect reaches the bot as the exchange's answer (its own client may follow it, holding no key);
        // the gateway's own look-up does not follow it and fails closed (503): nothing is ordered.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, order.StatusCode);
        Assert.DoesNotContain(_exchange.Journal.Entries, e => e.Path == "/fapi/v1/order" && e.Method == "POST");
        Assert.DoesNotContain(_collected, c => c.ApiKey is not null);
        Assert.DoesNotContain(_collected, c => c.Path == "/fapi/v2/positionRisk");
    }

    private static async Task<WebApplication> ServeAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return app;
    }
}
