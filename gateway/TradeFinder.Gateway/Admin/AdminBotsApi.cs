using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TradeFinder.Contracts;
using TradeFinder.Contracts.Errors;
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
            TypedResults.Json(new BotsView(registry.GlobalState.ToString().ToUpperInvariant(), [.. registry.All().Select(b => View(b, policies, registry))]), AdminJson.Default.BotsView));
        admin.MapGet("/bots/{name}", IResult (string name, BotRegistry registry, BotPolicies policies) =>
            registry.FindByName(name) is { } bot ? TypedResults.Json(View(bot, policies, registry), AdminJson.Default.BotView) : NoSuchBot(name));
        admin.MapPut("/bots/{name}", async Task<IResult> (string name, BotUpdate update, BotRegistry registry, BotPolicies policies, SharedAccounts accounts, AuditTrail audit, TimeProvider time, HttpContext context) =>
        {
            if (update.Scopes?.FirstOrDefault(s => !BotPolicies.AllScopes.Contains(s)) is { } unknown)
            {
                return Refused($"Unknown scope '{unknown}'; known: {string.Join(", ", BotPolicies.AllScopes)}.");
            }

            // The same rules as configured bots (Gateway:Bots), so a run-time change cannot set a meaningless limit.
            if (update.Limits is { } limits && BotsOptionsValidator.LimitProblems(limits).ToList() is { Count: > 0 } problems)
            {
                return Refused("Invalid limits: " + string.Join(" ", problems));
            }

            TradingMode? mode = null;
            if (update.Mode is not null)
            {
                if (!TradingModes.TryParse(update.Mode, out var parsed))
                {
                    return Refused("mode must be paper, testnet or live.");
                }

                mode = parsed;
            }

            if (registry.FindByName(name) is not { } current)
            {
                return NoSuchBot(name);
            }

            // A symbol is exclusive to one bot per account.
            if (update.ExclusiveSymbols is { Count: > 0 } claimed)
            {
                var account = policies.Resolve(current with { Mode = mode ?? current.Mode, KeyGroup = update.KeyGroup ?? current.KeyGroup }, TradingState.Active).Account;
                var taken = claimed.Select(s => (Symbol: s, Owner: accounts.ExclusiveOwner(account, s))).FirstOrDefault(c => c.Owner is not null && c.Owner != name);
                if (taken.Owner is not null)
                {
                    return Refused($"{taken.Symbol} is already exclusive to bot '{taken.Owner}' on account {account}.");
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
                return NoSuchBot(name);
            }

            await AuditAsync(audit, time, context, name, "bot updated", JsonSerializer.Serialize(update, AdminJson.Default.BotUpdate)).ConfigureAwait(false);
            return TypedResults.Json(View(registry.FindByName(name)!, policies, registry), AdminJson.Default.BotView);
        });
        foreach (var (action, status) in new[] { ("suspend", BotStatus.Suspended), ("revoke", BotStatus.Revoked), ("activate", BotStatus.Active) })
        {
            admin.MapPost("/bots/{name}/" + action, async Task<IResult> (string name, BotRegistry registry, AuditTrail audit, TimeProvider time, HttpContext context) =>
            {
                if (!registry.SetStatus(name, status))
                {
                    return NoSuchBot(name);
                }

                await AuditAsync(audit, time, context, name, "bot " + status.ToString().ToUpperInvariant(), null).ConfigureAwait(false);
                return TypedResults.Json(new BotStatusView(name, status.ToString().ToUpperInvariant()), AdminJson.Default.BotStatusView);
            });
        }
        admin.MapPost("/trading-state", async Task<IResult> (StateChange change, KillSwitch killSwitch, HttpContext context) =>
        {
            if (!Enum.TryParse<TradingState>(change.State, ignoreCase: true, out var state))
            {
                return Refused("state must be ACTIVE, REDUCING or HALTED.");
            }

            var actor = context.Features.Get<AdminIdentity>()?.Name ?? "?";
            var result = await killSwitch.SetAsync(change.Bot, state, change.CancelOpen, actor, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Json(result, AdminJson.Default.KillSwitchResult, statusCode: result.Ok ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
        });
    }

    private static BotView View(BotRecord bot, BotPolicies policies, BotRegistry registry)
    {
        var effective = policies.Resolve(bot, registry.GlobalState);
        return new BotView(
            bot.Name,
            bot.Mode.ToConfigValue(),
            bot.Status.ToString().ToUpperInvariant(),
            bot.State.ToString().ToUpperInvariant(),
            effective.State.ToString().ToUpperInvariant(),
            [.. effective.Scopes.Order(StringComparer.Ordinal)],
            effective.Limits,
            bot.Unlimited ?? false,
            [.. effective.ExclusiveSymbols.Order(StringComparer.Ordinal)],
            effective.KeyGroup ?? KeySet.DefaultGroup,
            bot.CertificateSha256,
            bot.IssuedAt);
    }

    private static JsonHttpResult<ExchangeError> NoSuchBot(string name) =>
        TypedResults.Json(new ExchangeError(-1, $"No bot named '{name}'."), ContractsJson.Default.ExchangeError, statusCode: StatusCodes.Status404NotFound);

    private static JsonHttpResult<ExchangeError> Refused(string message) =>
        TypedResults.Json(new ExchangeError(-1, message), ContractsJson.Default.ExchangeError, statusCode: StatusCodes.Status400BadRequest);

    /// <param name="change">The change as JSON, or null.</param>
    internal static Task AuditAsync(AuditTrail audit, TimeProvider time, HttpContext context, string? bot, string outcome, string? change) =>
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
                ["change"] = change,
            }),
        });

    internal sealed record BotUpdate(List<string>? Scopes, RiskLimits? Limits, string? Mode, string? KeyGroup, List<string>? ExclusiveSymbols = null, bool? Unlimited = null);

    internal sealed record StateChange(string? Bot, string State, bool CancelOpen);
}
