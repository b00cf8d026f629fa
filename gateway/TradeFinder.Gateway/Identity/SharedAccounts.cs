using System.Runtime.CompilerServices;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// Who else trades on a bot's exchange account: the active bots per account and which symbol an operator gave to
/// one of them exclusively. Built once per registry change.
/// </summary>
internal sealed class SharedAccounts(BotRegistry registry, BotPolicies policies)
{
    private readonly ConditionalWeakTable<IReadOnlyList<BotRecord>, Members> _views = [];

    /// <summary>Every account an active bot trades on.</summary>
    public IReadOnlyCollection<ExchangeAccount> Accounts => Current().ByAccount.Keys;

    /// <summary>The active bots on <paramref name="account"/> (all states: a halted bot's limits still hold on its symbols).</summary>
    public IReadOnlyList<BotIdentity> On(ExchangeAccount account) => Current().ByAccount.GetValueOrDefault(account) ?? [];

    /// <summary>The bot a symbol is exclusive to on this account, or null.</summary>
    public string? ExclusiveOwner(ExchangeAccount account, string symbol) => Current().Exclusive.GetValueOrDefault((account, symbol));

    /// <summary>Whether <paramref name="bot"/> may trade (and see positions on) <paramref name="symbol"/>: its allow-list, and no other bot's exclusive claim.</summary>
    public bool MayTrade(BotIdentity bot, string symbol)
    {
        if (bot.Limits.AllowedSymbols is { } allowed && !allowed.Contains(symbol))
        {
            return false;
        }

        return ExclusiveOwner(bot.Account, symbol) is not { } owner || owner == bot.Name;
    }

    /// <summary>The other bots on the account holding <c>trade</c> that may trade <paramref name="symbol"/>.</summary>
    public IEnumerable<BotIdentity> OthersTrading(BotIdentity bot, string symbol) =>
        On(bot.Account).Where(b => b.Name != bot.Name && b.Scopes.Contains(ScopeNames.Trade) && MayTrade(b, symbol));

    private Members Current()
    {
        var bots = registry.All();
        return _views.GetValue(bots, list =>
        {
            var byAccount = new Dictionary<ExchangeAccount, List<BotIdentity>>();
            var exclusive = new Dictionary<(ExchangeAccount, string), string>();
            foreach (var record in list.Where(b => b.Status == BotStatus.Active))
            {
                var identity = policies.Resolve(record, TradingState.Active);
                if (!byAccount.TryGetValue(identity.Account, out var members))
                {
                    byAccount[identity.Account] = members = [];
                }

                members.Add(identity);
                foreach (var symbol in identity.ExclusiveSymbols)
                {
                    exclusive.TryAdd((identity.Account, symbol), record.Name);
                }
            }

            return new Members(byAccount.ToDictionary(p => p.Key, p => (IReadOnlyList<BotIdentity>)p.Value), exclusive);
        });
    }

    private sealed record Members(Dictionary<ExchangeAccount, IReadOnlyList<BotIdentity>> ByAccount, Dictionary<(ExchangeAccount, string), string> Exclusive);
}
