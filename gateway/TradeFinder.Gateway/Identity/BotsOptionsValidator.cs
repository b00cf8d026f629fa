using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// A configured bot names only known scopes, a key group that could exist, and limits that mean something
/// (positive caps, leverage the exchange offers, margin types and order types it knows).
/// </summary>
internal sealed partial class BotsOptionsValidator : IValidateOptions<BotsOptions>
{
    private static readonly HashSet<string> OrderTypes = new(StringComparer.Ordinal)
    {
        "LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET",
    };

    public ValidateOptionsResult Validate(string? name, BotsOptions options)
    {
        var failures = new List<string>();
        foreach (var (bot, configured) in options)
        {
            var at = $"{BotsOptions.Section}:{bot}";
            if (configured.Scopes?.FirstOrDefault(s => !BotPolicies.AllScopes.Contains(s)) is { } scope)
            {
                failures.Add($"{at}:Scopes names unknown scope '{scope}' (known: {string.Join(", ", BotPolicies.AllScopes)}).");
            }

            if (configured.KeyGroup is { } group && !GroupPattern().IsMatch(group))
            {
                failures.Add($"{at}:KeyGroup '{group}' is not a key set group name (lower-case letters, digits, '-').");
            }

            if (configured.Limits is { } limits)
            {
                failures.AddRange(LimitProblems(limits).Select(p => $"{at}:Limits:{p}"));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>What is wrong with a set of limits (also checked when an operator sets them at run time).</summary>
    public static IEnumerable<string> LimitProblems(RiskLimits limits)
    {
        if (limits.MaxOrderNotional is <= 0)
        {
            yield return "MaxOrderNotional must be positive.";
        }

        if (limits.MaxPositionNotional is <= 0)
        {
            yield return "MaxPositionNotional must be positive.";
        }

        // USDⓈ-M futures offer leverage 1 to 125 ("Change Initial Leverage").
        if (limits.MaxLeverage is < 1 or > 125)
        {
            yield return "MaxLeverage must be between 1 and 125.";
        }

        if (limits.MaxOpenOrders is < 1)
        {
            yield return "MaxOpenOrders must be at least 1.";
        }

        if (limits.RequiredMarginType is { } margin && margin is not ("ISOLATED" or "CROSSED"))
        {
            yield return "RequiredMarginType must be ISOLATED or CROSSED.";
        }

        if (limits.AllowedOrderTypes?.FirstOrDefault(t => !OrderTypes.Contains(t)) is { } type)
        {
            yield return $"AllowedOrderTypes names unknown order type '{type}'.";
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex GroupPattern();
}
