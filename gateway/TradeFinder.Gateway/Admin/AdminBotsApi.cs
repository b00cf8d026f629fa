using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Scopes;

namespace TradeFinder.Gateway.Admin;

/// <summary>Bots and trading states at run time; every change is effective on the next request and audited.</summary>
internal static class AdminBotsApi
{
    public static void MapAdminBotsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").OnListener(Listener.Admin);

        admin.MapGet("/bots", (BotRegistry registry, BotPolicies policies) =>
            TypedResults.Json(new { globalState = registry.GlobalState.ToString().ToUpperInvariant(), bots = registry.All().Select(b => View(b, policies, registry)) }));
        admin.MapGet("/bots/{name}", (string name, BotRegistry registry, BotPolicies policies) =>
            registry.FindByName(name) is { } bot ? Results.Json(View(bot, policies, registry)) : Results.NotFound(new { code = -1, msg = $"No bot named '{name}'." }));
        admin.MapPut("/bots/{name}", async (string name, BotUpdate update, BotRegistry registry, BotPolicies policies, SharedAccounts accounts, AuditTrail audit, TimeProvider time, HttpContext context) =>
        {
            if (update.Scopes?.FirstOrDefault(s => !BotPolicies.AllScopes.Contains(s)) is { } unknown)
            {
                return Results.BadRequest(new { code = -1, msg = $"Unknown scope '{unknown}'; known: {string.Join(", ", BotPolicies.AllScopes)}." });
            }

            // The same rules as configured bots (Gateway:Bots), so a run-time change cannot set a meaningless limit.
            if (update.Limits is { } limits && BotsOptionsValidator.LimitProblems(limits).ToList() is { Count: > 0 } problems)
            {
                return Results.BadRequest(new { code = -1, msg = "Invalid limits: " + string.Join(" ", problems) });
            }

            TradingMode? mode = null;
            if (update.Mode is not null)
            {
                if (!TradingModes.TryParse(update.Mode, out var parsed))
                {
                    return Results.BadRequest(new { code = -1, msg = "mode must be paper, testnet or live." });
                }

                mode = parsed;
            }

            if (registry.FindByName(name) is not { } current)
            {
                return Results.NotFound(new { code = -1, msg = $"No bot named '{name}'." });
            }

            // A symbol is exclusive to one bot per account.
            if (update.ExclusiveSymbols is { Count: > 0 } claimed)
            {
                var account = policies.Resolve(current with { Mode = mode ?? current.Mode, KeyGroup = update.KeyGroup ?? current.KeyGroup }, TradingState.Active).Account;
                var taken = claimed.Select(s => (Symbol: s, Owner: accounts.ExclusiveOwner(account, s))).FirstOrDefault(c => c.Owner is not null && c.Owner != name);
                if (taken.Owner is not null)
                {
                    return Results.BadRequest(new { code = -1, msg = $"{taken.Symbol} is already exclusive to bot '{taken.Owner}' on account {account}." });
                }
            }

            if (!registry.Change(name, b => b with
                {
                    Scopes = update.Scopes ?? b.Scopes,
                    Limits = update.Limits ?? b.Limits,
                    Mode = mode ?? b.Mode,
                    KeyGroup = update.KeyGroup ?? b.KeyGroup,
                    ExclusiveSymbols = update.ExclusiveSymbols ?? b.ExclusiveSymbols,
                    Unlimited = update.Unlimited ?? b.Unlimited,
                }))
            {
                return Results.NotFound(new { code = -1, msg = $"No bot named '{name}'." });
            }

            await AuditAsync(audit, time, context, name, "bot updated", update).ConfigureAwait(false);
            return Results.Json(View(registry.FindByName(name)!, policies, registry));
        });
        foreach (var (action, status) in new[] { ("suspend", BotStatus.Suspended), ("revoke", BotStatus.Revoked), ("activate", BotStatus.Active) })
        {
            admin.MapPost("/bots/{name}/" + action, async (string name, BotRegistry registry, AuditTrail audit, TimeProvider time, HttpContext context) =>
            {
                if (!registry.SetStatus(name, status))
                {
                    return Results.NotFound(new { code = -1, msg = $"No bot named '{name}'." });
                }

                await AuditAsync(audit, time, context, name, "bot " + status.ToString().ToUpperInvariant(), null).ConfigureAwait(false);
                return Results.Json(new { name, status = status.ToString().ToUpperInvariant() });
            });
        }
        admin.MapPost("/trading-state", async (StateChange change, KillSwitch killSwitch, HttpContext context) =>
        {
            if (!Enum.TryParse<TradingState>(change.State, ignoreCase: true, out var state))
            {
                return Results.BadRequest(new { code = -1, msg = "state must be ACTIVE, REDUCING or HALTED." });
            }

            var actor = context.Features.Get<AdminIdentity>()?.Name ?? "?";
            var result = await killSwitch.SetAsync(change.Bot, state, change.CancelOpen, actor, context.RequestAborted).ConfigureAwait(false);
            return result.Ok ? Results.Json(result) : Results.NotFound(result);
        });
    }

    private static object View(BotRecord bot, BotPolicies policies, BotRegistry registry)
    {
        var effective = policies.Resolve(bot, registry.GlobalState);
        return new
        {
            bot.Name,
            mode = bot.Mode.ToConfigValue(),
            status = bot.Status.ToString().ToUpperInvariant(),
            state = bot.State.ToString().ToUpperInvariant(),
            effectiveState = effective.State.ToString().ToUpperInvariant(),
            scopes = effective.Scopes.Order(StringComparer.Ordinal),
            limits = effective.Limits,
            unlimited = bot.Unlimited ?? false,
            exclusiveSymbols = effective.ExclusiveSymbols.Order(StringComparer.Ordinal),
            keyGroup = effective.KeyGroup ?? KeySet.DefaultGroup,
            bot.CertificateSha256,
            bot.IssuedAt,
        };
    }

    internal static Task AuditAsync(AuditTrail audit, TimeProvider time, HttpContext context, string? bot, string outcome, object? details) =>
        audit.WriteDurableAsync(new AuditRecord
        {
            OccurredAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Type = AuditEventTypes.Admin,
            Bot = bot,
            Endpoint = context.Request.Method + " " + context.Request.Path.Value,
            Outcome = outcome,
            Details = AuditRecord.SerializeDetails(new Dictionary<string, object?>
            {
                ["admin"] = context.Features.Get<AdminIdentity>()?.Name,
                ["change"] = details is null ? null : System.Text.Json.JsonSerializer.Serialize(details),
            }),
        });

    internal sealed record BotUpdate(List<string>? Scopes, RiskLimits? Limits, string? Mode, string? KeyGroup, List<string>? ExclusiveSymbols = null, bool? Unlimited = null);

    internal sealed record StateChange(string? Bot, string State, bool CancelOpen);
}
