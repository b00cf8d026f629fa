using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Identity;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TradeFinder.Gateway.Orders;

/// <summary>Successful answers about orders, trades, positions and income: the bot's own view (<see cref="OwnedViews"/>), and the ledger learns from them.</summary>
internal static class OwnedAnswersTransform
{
    public static void AddOwnedAnswers(this TransformBuilderContext context)
    {
        // The gateway's singletons, from the root services: the request's own would create a DI scope per answer.
        var services = context.Services;
        var views = services.GetRequiredService<OwnedViews>();
        var ledger = services.GetRequiredService<OwnershipLedger>();
        context.AddResponseTransform(async transform =>
        {
            var http = transform.HttpContext;
            if (transform.ProxyResponse is not { } response || (int)response.StatusCode is < 200 or >= 300
                || http.Features.Get<UsdmEndpoint>() is not { } endpoint || !OwnedViews.Applies(endpoint)
                || http.Features.Get<BotIdentity>() is not { } bot)
            {
                return;
            }

            var body = await response.Content.ReadAsByteArrayAsync(http.RequestAborted).ConfigureAwait(false);
            if (endpoint.Path == UsdmPaths.Income)
            {
                await LearnTradesAsync(http, services.GetRequiredService<TradeFinder.Gateway.Upstream.UpstreamQueries>(), views, bot, body).ConfigureAwait(false);
            }

            var (view, owned) = views.Rewrite(bot, endpoint, body);
            if (http.Features.Get<OwnedOrdersFeature>() is { Orders.Count: > 1 } placed)
            {
                ReleaseRejected(ledger, placed.Orders, body);
            }

            transform.SuppressResponseBody = true;
            if (!owned)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
            }

            http.Response.ContentLength = view.Length;
            await http.Response.Body.WriteAsync(view, http.RequestAborted).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Income entries name trades by id; to tell whose they are, the trades the ledger does not know yet are looked up
    /// (the symbol's recent trade list, charged to the bot). Entries whose trade stays unknown are not shown.
    /// </summary>
    private static async Task LearnTradesAsync(HttpContext http, TradeFinder.Gateway.Upstream.UpstreamQueries upstream, OwnedViews views, BotIdentity bot, byte[] income)
    {
        foreach (var symbol in views.SymbolsWithUnknownTrades(bot, income).Take(5))
        {
            try
            {
                var trades = await upstream.SendAsync(bot.Account, bot.Name, HttpMethod.Get, UsdmPaths.UserTrades, $"symbol={symbol}&limit=1000", http.RequestAborted).ConfigureAwait(false);
                if (trades.ValueKind == JsonValueKind.Array)
                {
                    views.LearnTrades(bot, trades);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
            {
                // Over budget or upstream trouble: those entries stay hidden, never shown by default.
            }
        }
    }

    /// <summary>A batch answer has one element per order sent: an error element means that order was not placed.</summary>
    private static void ReleaseRejected(OwnershipLedger ledger, IReadOnlyList<OwnedOrder> orders, byte[] body)
    {
        try
        {
            using var answer = JsonDocument.Parse(body);
            if (answer.RootElement.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            var i = 0;
            foreach (var element in answer.RootElement.EnumerateArray())
            {
                if (i < orders.Count && element.ValueKind == JsonValueKind.Object && element.TryGetProperty("code", out _) && !element.TryGetProperty("orderId", out _))
                {
                    ledger.Release(orders[i]);
                }

                i++;
            }
        }
        catch (JsonException)
        {
            // Unreadable: the orders stay in flight and are kept as unknown.
        }
    }
}
