using System.Text.Json;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Orders;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Scopes;

/// <summary>
/// Sets trading states (per bot or for the whole gateway), persisted in the registry so they survive a
/// restart, audited, and optionally cancels the bot's open orders at the exchange.
/// </summary>
internal sealed class KillSwitch(BotRegistry registry, OrderLedger ledger, UpstreamQueries upstream, AuditTrail audit, TimeProvider time)
{
    public async Task<KillSwitchResult> SetAsync(string? bot, TradingState state, bool cancelOpen, string actor, CancellationToken cancellationToken)
    {
        if (bot is null)
        {
            registry.SetGlobalState(state);
        }
        else if (!registry.Change(bot, r => r with { State = state }))
        {
            return new KillSwitchResult(false, $"No bot named '{bot}'.", 0);
        }

        var canceled = 0;
        string? cancelError = null;
        if (cancelOpen)
        {
            var bots = bot is null ? registry.All().Select(b => b.Name) : [bot];
            try
            {
                foreach (var name in bots)
                {
                    canceled += await CancelOpenAsync(name, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
            {
                // The state change already holds; report that cancelling could not finish.
                cancelError = ex.Message;
            }
        }

        await audit.WriteDurableAsync(new AuditRecord
        {
            OccurredAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Type = AuditEventTypes.Halt,
            Bot = bot,
            Endpoint = bot is null ? "gateway" : "bot",
            Outcome = state.ToString().ToUpperInvariant(),
            Details = AuditRecord.SerializeDetails(new Dictionary<string, object?> { ["actor"] = actor, ["cancelOpen"] = cancelOpen, ["canceled"] = canceled, ["cancelError"] = cancelError }),
        }, cancellationToken).ConfigureAwait(false);
        return new KillSwitchResult(true, $"{bot ?? "gateway"} is {state.ToString().ToUpperInvariant()}"
            + (cancelOpen ? $"; {canceled} open order(s) canceled" : "")
            + (cancelError is null ? "" : $"; cancelling stopped early: {cancelError} — retry halt --cancel-open"), canceled);
    }

    private async Task<int> CancelOpenAsync(string bot, CancellationToken cancellationToken)
    {
        var record = registry.FindByName(bot);
        if (record is null)
        {
            return 0;
        }

        var canceled = 0;
        foreach (var (symbol, clientId, algo) in ledger.Drain(bot))
        {
            var result = algo
                ? await upstream.SendAsync(record.Mode, HttpMethod.Delete, UsdmPaths.AlgoOrder, "clientAlgoId=" + Uri.EscapeDataString(clientId), cancellationToken).ConfigureAwait(false)
                : await upstream.SendAsync(record.Mode, HttpMethod.Delete, UsdmPaths.Order, $"symbol={symbol}&origClientOrderId={Uri.EscapeDataString(clientId)}", cancellationToken).ConfigureAwait(false);

            // Filled or already-canceled orders answer -2011; only live ones count.
            if (!(result.ValueKind == JsonValueKind.Object && result.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() < 0))
            {
                canceled++;
            }
        }

        return canceled;
    }
}
