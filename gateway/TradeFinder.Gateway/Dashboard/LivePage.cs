using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Anomalies;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Modes;

namespace TradeFinder.Gateway.Dashboard;

/// <summary>
/// The SRE's live page at <c>/</c> on the ops port: bots (state, scopes, quota used, last seen), exchange budgets, breakers, keys
/// (fingerprints and age only), anomalies with evidence and a one-line explanation, recent refusals. Rendered on the
/// server, no script and no external assets (works offline); it reloads itself every five seconds. The ops port is
/// unauthenticated HTTP on loopback by default, so the page shows nothing secret and is served with a strict CSP.
/// </summary>
internal static class LivePage
{
    private const string Css = """
        body{font:14px system-ui,sans-serif;margin:1.5em;color:#1b1f23;background:#fafbfc}
        h1{font-size:20px;margin:0 0 .2em}h2{font-size:16px;margin:1.4em 0 .4em}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f0f2f4}.critical{background:#ffe3e3}.warning{background:#fff5d6}.muted{color:#6a737d}
        .state-HALTED{color:#b00020;font-weight:600}.state-REDUCING{color:#9a6700;font-weight:600}
        """;

    /// <summary>One line per anomaly kind: what it most likely means (every kind has one; a test holds it so).</summary>
    internal static readonly Dictionary<string, string> Explanations = new(StringComparer.Ordinal)
    {
        [AnomalyMonitor.ForeignActivity] = "Orders appeared on the account that no bot placed through the gateway: the exchange key is being used elsewhere. Revoke it (runbook: key compromise).",
        [AnomalyMonitor.Probing] = "The bot keeps asking for what its scopes, the validator or ownership refuse: a bug, or someone probing with its certificate.",
        [AnomalyMonitor.BalanceChange] = "The wallet moved for something that is not trading (a withdrawal, transfer or deposit): check it was ops; a withdrawal nobody made means the account or key is compromised.",
        [AnomalyMonitor.RateLimited] = "The bot keeps hitting its budget or the gateway's rate limits: it polls too fast or retries refusals.",
        [CertificateDetector.Kind] = "A revoked, suspended or unknown certificate keeps knocking: a retired bot still running, or a stolen certificate.",
        [HoursDetector.Kind] = "The bot is active at an hour it (almost) never uses: a restart by someone else, or its certificate used while its owner sleeps.",
        [OrderBehaviourDetector.OrderSize] = "An order far larger than the bot's usual size on the symbol: a unit or decimal bug, or someone else driving the bot.",
        [OrderBehaviourDetector.NewSymbol] = "The bot traded a symbol for the first time: expected after a configuration change, odd otherwise.",
        [OrderBehaviourDetector.AccountSetting] = "The bot changed leverage, margin type or position mode, which apply to the whole account for every bot on it.",
        [QuantitativeRules.Kind] = "The account nears the exchange's Futures quantitative rules (unfilled, cancel, expiry or dust ratios): keep going and the exchange restricts the key.",
        [SilenceDetector.Silent] = "The bot sent nothing for longer than its expected heartbeat: it died, hangs, or lost its network.",
        [RequestRateDetector.Kind] = "The bot sends far more requests than it usually does: a loop, a retry storm, or someone else using its certificate.",
        [PositionWatch.NearLiquidation] = "A position this bot holds part of is close to liquidation (margin ratio towards 1): reduce it or add margin (runbook: near liquidation).",
        [PositionWatch.OverCap] = "The bot's share of a position is worth more than its cap at today's price: the cap held when it ordered; the price moved.",
        [PositionWatch.PullBack] = "The gateway reduced part of this bot's position itself (its configured pull-back from liquidation); the evidence has the exchange's answer.",
    };

    public static void MapLivePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context) => RenderAsync(context)).OnListener(Listener.Ops);
        app.MapGet("/live.css", (HttpContext context) =>
        {
            Secure(context);
            context.Response.Headers.CacheControl = "max-age=300";
            return Results.Text(Css, "text/css; charset=utf-8");
        }).OnListener(Listener.Ops);
    }

    private static void Secure(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
    }

    private static Task RenderAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var registry = services.GetRequiredService<BotRegistry>();
        var activity = services.GetRequiredService<BotActivity>();
        var policies = services.GetRequiredService<BotPolicies>();
        var html = new StringBuilder(16 * 1024);
        string E(object? value) => HtmlEncoder.Default.Encode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
        string Ago(DateTimeOffset? at) => at is { } t ? $"{(long)(now - t).TotalSeconds} s ago" : "never";

        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"5\">")
            .Append("<title>TradeFinder Gateway</title><link rel=\"stylesheet\" href=\"/live.css\"></head><body>")
            .Append("<h1>TradeFinder Gateway</h1><p class=\"muted\">").Append(E(now.ToString("u", CultureInfo.InvariantCulture)))
            .Append(" · gateway state <span class=\"state-").Append(E(registry.GlobalState.ToString().ToUpperInvariant())).Append("\">")
            .Append(E(registry.GlobalState.ToString().ToUpperInvariant())).Append("</span> · refreshes every 5 s</p>");

        var anomalies = services.GetRequiredService<AnomalyMonitor>().Recent.Reverse().ToList();
        html.Append("<h2>Anomalies</h2>");
        if (anomalies.Count == 0)
        {
            html.Append("<p class=\"muted\">None.</p>");
        }
        else
        {
            html.Append("<table><tr><th>when</th><th>severity</th><th>kind</th><th>bot</th><th>account</th><th>evidence</th><th>what it means</th><th>action</th></tr>");
            foreach (var a in anomalies)
            {
                html.Append("<tr class=\"").Append(E(a.Severity.ToString().ToLowerInvariant())).Append("\"><td>").Append(Ago(DateTimeOffset.FromUnixTimeMilliseconds(a.AtMs)))
                    .Append(a.Repeats > 0 ? $" (+{a.Repeats})" : "").Append("</td><td>").Append(E(a.Severity.ToString().ToLowerInvariant())).Append("</td><td>").Append(E(a.Kind))
                    .Append("</td><td>").Append(E(a.Bot ?? "—")).Append("</td><td>").Append(E(a.Account ?? "—")).Append("</td><td>").Append(E(a.Evidence))
                    .Append("</td><td>").Append(E(Explanations.GetValueOrDefault(a.Kind, ""))).Append("</td><td>").Append(E(a.Action ?? "—")).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        var budgets = services.GetRequiredService<ExchangeBudgets>();
        var modes = services.GetRequiredService<UpstreamDirectory>().Upstreams.Keys.Order().ToList();
        var quotas = modes.SelectMany(m => budgets.BotUsage(m).Select(q => (Mode: m, Usage: q))).ToDictionary(q => (q.Mode, q.Usage.Bot), q => q.Usage);
        html.Append("<h2>Bots</h2><table><tr><th>bot</th><th>mode</th><th>key group</th><th>state</th><th>scopes</th><th>weight / minute (its quota)</th><th>orders / 10 s (its quota)</th><th>last seen</th></tr>");
        foreach (var bot in registry.All().OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            var state = bot.State.ToString().ToUpperInvariant();
            var quota = quotas.GetValueOrDefault((bot.Mode, bot.Name));
            html.Append("<tr><td>").Append(E(bot.Name)).Append("</td><td>").Append(E(bot.Mode.ToConfigValue())).Append("</td><td>").Append(E(bot.KeyGroup ?? "default"))
                .Append("</td><td class=\"state-").Append(E(state)).Append("\">").Append(E(bot.Status == BotStatus.Active ? state : bot.Status.ToString().ToUpperInvariant()))
                .Append("</td><td>").Append(E(string.Join(", ", policies.Resolve(bot, TradingState.Active).Scopes.Order(StringComparer.Ordinal))))
                .Append("</td><td>").Append(quota is null ? "—" : $"{quota.Weight} / {quota.WeightQuota}").Append("</td><td>").Append(quota is null ? "—" : $"{quota.Orders10Seconds} / {quota.OrdersQuota}")
                .Append("</td><td>").Append(Ago(activity.LastSeen(bot.Name))).Append("</td></tr>");
        }

        html.Append("</table><h2>Exchange budgets (this window)</h2><table><tr><th>mode</th><th>weight / minute</th><th>orders / 10 s</th><th>orders / minute</th></tr>");
        foreach (var mode in modes)
        {
            var u = budgets.Usage(mode);
            html.Append("<tr><td>").Append(E(mode.ToConfigValue())).Append("</td><td>").Append(u.Weight).Append(" / ").Append(u.Limits.WeightPerMinute)
                .Append("</td><td>").Append(u.Orders10Seconds).Append(" / ").Append(u.Limits.OrdersPer10Seconds).Append("</td><td>").Append(u.Orders1Minute)
                .Append(" / ").Append(u.Limits.OrdersPerMinute).Append("</td></tr>");
        }

        html.Append("</table><h2>Breakers</h2>");
        var breakers = services.GetRequiredService<GatewayMetrics>().BreakerStates;
        html.Append(breakers.Count == 0 ? "<p class=\"muted\">All closed (none has changed state).</p>" : "<table><tr><th>breaker</th><th>state</th></tr>");
        foreach (var (name, value) in breakers.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            html.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(value switch { 2 => "open", 1 => "half-open", _ => "closed" }).Append("</td></tr>");
        }

        html.Append(breakers.Count == 0 ? "" : "</table>").Append("<h2>Keys</h2><table><tr><th>set</th><th>mode</th><th>purpose</th><th>fingerprint</th><th>type</th><th>age</th><th>last validation</th></tr>");
        foreach (var slot in services.GetRequiredService<KeyRing>().Slots)
        {
            var key = slot.Active;
            html.Append("<tr><td>").Append(E(slot.Set.Name)).Append("</td><td>").Append(E(slot.Set.Mode.ToConfigValue())).Append("</td><td>")
                .Append(E(slot.Set.Purpose.ToString().ToLowerInvariant())).Append("</td><td>").Append(E(key.Fingerprint)).Append("</td><td>")
                .Append(E(key.Type.ToString().ToLowerInvariant())).Append("</td><td>").Append(Ago(key.LoadedAt).Replace(" ago", "", StringComparison.Ordinal)).Append("</td><td>")
                .Append(slot.LastValidation is { } v ? E((v.Ok ? "ok " : "FAILED ") + Ago(v.At)) : "—").Append("</td></tr>");
        }

        html.Append("</table><h2>Recent refusals</h2>");
        var refusals = services.GetRequiredService<RecentRefusals>().Latest;
        html.Append(refusals.Count == 0 ? "<p class=\"muted\">None.</p>" : "<table><tr><th>when</th><th>bot</th><th>reason</th></tr>");
        foreach (var (at, bot, reason) in refusals)
        {
            html.Append("<tr><td>").Append(Ago(at)).Append("</td><td>").Append(E(bot)).Append("</td><td>").Append(E(reason)).Append("</td></tr>");
        }

        html.Append(refusals.Count == 0 ? "" : "</table>").Append("</body></html>");
        Secure(context);
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }
}
