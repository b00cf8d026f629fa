using System.Text.Json;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Orders;

namespace TradeFinder.Gateway.Scopes;

/// <summary>
/// Sets trading states (per bot or for the whole gateway), persisted in the registry so they survive a
/// restart, audited, and optionally cancels the bot's open orders at the exchange: every order the ownership
/// ledger holds as open for the bot (including those placed before a restart), retried within the cancel reserve
/// until each is settled or the attempts run out, reporting what is still open.
/// </summary>
internal sealed class KillSwitch(BotRegistry registry, BotPolicies policies, OwnershipLedger ledger, OwnCancels own, AuditTrail audit, TimeProvider time)
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

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
        var stillOpen = new List<string>();
        string? cancelError = null;
        if (cancelOpen)
        {
            var bots = bot is null ? registry.All() : [registry.FindByName(bot)!];
            foreach (var record in bots)
            {
                var (done, left, error) = await CancelOpenAsync(policies.Resolve(record, TradingState.Active), cancellationToken).ConfigureAwait(false);
                canceled += done;
                stillOpen.AddRange(left.Select(id => $"{record.Name}:{id}"));
                cancelError ??= error;
            }
        }

        await audit.WriteDurableAsync(new AuditRecord
        {
            OccurredAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Type = AuditEventTypes.Halt,
            Bot = bot,
            Endpoint = bot is null ? "gateway" : "bot",
            Outcome = state.ToString().ToUpperInvariant(),
            Details = AuditRecord.SerializeDetails(new Dictionary<string, object?>
            {
                ["actor"] = actor, ["cancelOpen"] = cancelOpen, ["canceled"] = canceled, ["stillOpen"] = stillOpen.Count == 0 ? null : stillOpen, ["cancelError"] = cancelError,
            }),
        }, cancellationToken).ConfigureAwait(false);
        return new KillSwitchResult(true, $"{bot ?? "gateway"} is {state.ToString().ToUpperInvariant()}"
            + (cancelOpen ? $"; {canceled} open order(s) canceled" : "")
            + (stillOpen.Count == 0 ? "" : $"; still open after retries ({cancelError}): {string.Join(", ", stillOpen)} — run halt --cancel-open again"), canceled)
        {
            StillOpen = stillOpen,
        };
    }

    private async Task<(int Canceled, IReadOnlyList<string> StillOpen, string? Error)> CancelOpenAsync(BotIdentity bot, CancellationToken cancellationToken)
    {
        // Every account the bot has orders on (its key group may have changed since it placed them).
        IReadOnlyList<OwnedOrder> pending = ledger.OpenOrders(bot.Name);
        var canceled = 0;
        string? error = null;
        for (var attempt = 0; pending.Count > 0; attempt++)
        {
            var (done, failed) = await own.CancelAsync(pending, chargeTo: null, cancellationToken).ConfigureAwait(false);
            canceled += done;
            pending = [.. failed.Select(f => f.Order)];
            error = failed.Count > 0 ? failed[0].Error : error;
            if (pending.Count == 0 || attempt == RetryDelays.Length)
            {
                break;
            }

            await Task.Delay(RetryDelays[attempt], time, cancellationToken).ConfigureAwait(false);
        }

        return (canceled, [.. pending.Select(o => o.BotClientId)], pending.Count > 0 ? error : null);
    }
}
