using System.Text.Json;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Resilience;
using TradeFinder.Gateway.Signing;

namespace TradeFinder.Gateway.Upstream;

/// <summary>The gateway's own calls to a mode's upstream (mark price, positions, open orders, cancels, reduce-only pull-backs), signed like bot traffic.</summary>
internal sealed class UpstreamQueries(
    UpstreamDirectory upstreams, KeyRing keys, ExchangeClock clock, IHttpClientFactory httpClients, IOptions<SigningOptions> options,
    UpstreamBackoff backoff, ExchangeBudgets budgets)
{
    public const string HttpClientName = "upstream-queries";

    /// <summary>A look-up or cancel on <paramref name="account"/>, signed with that account's keys only (a key group never borrows another group's key), charged to <paramref name="chargeTo"/>'s quota when given.</summary>
    public async Task<JsonElement> SendAsync(ExchangeAccount account, string? chargeTo, HttpMethod method, string path, string query, CancellationToken cancellationToken)
    {
        var mode = account.Mode;
        var endpoint = UsdmEndpoints.Find(method.Method, path) ?? throw new InvalidOperationException($"{method} {path} is not catalogued.");
        if (!upstreams.Upstreams.TryGetValue(mode, out var baseAddress))
        {
            throw new HttpRequestException($"No {mode.ToConfigValue()} upstream.");
        }

        if (backoff.Remaining(mode) > TimeSpan.Zero)
        {
            throw new HttpRequestException($"The {mode.ToConfigValue()} upstream asked the gateway to back off.");
        }

        // Look-ups are charged like account reads (to the bot they are made for). The gateway's other calls of its own
        // (cancels of owned orders, reduce-only pull-backs, the user stream's listen key) keep the account safe, so they
        // may use the reserve; an order counts as an order.
        var priority = method == HttpMethod.Get ? RequestPriority.Account : RequestPriority.RiskReducing;
        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        var decision = await budgets.TryChargeAsync(mode, chargeTo, priority, endpoint.WeightFor(n => parameters.TryGetValue(n, out var v) ? v.ToString() : null), endpoint.OrderCount).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            throw new BudgetRefusedException($"The gateway's own {method} {path} would exceed the budget: {decision.Reason}.", decision.RetryAfter);
        }

        SignedRequestFeature signed;
        try
        {
            signed = RequestSigner.Sign(method == HttpMethod.Get, endpoint, query, "", keys, mode, account.Group, clock, options.Value.RecvWindowMs);
        }
        catch (NoKeyException ex)
        {
            throw new HttpRequestException(ex.Message);
        }

        var target = SigningTransform.Target(baseAddress.GetLeftPart(UriPartial.Authority), path, signed.Outgoing.Query);
        using var request = new HttpRequestMessage(method, target);
        SigningTransform.ApplyKey(request, signed.Key, target);
        request.Options.Set(SigningTransform.SignedOption, signed);

        // Reads go through the account breaker, so an order lookup still works while the trading breaker is open.
        request.Options.Set(UpstreamResilience.RouteOption, (mode, method == HttpMethod.Get ? RouteClass.Account : UpstreamResilience.ClassOf(endpoint)));

        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        budgets.Observe(mode, response.Headers);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return json.RootElement.Clone();
    }
}
